(() => {
  // Collects the rendered page: DOM, visible text and every element that
  // points somewhere, with why it cannot be seen. Bounded so that a
  // 100 000-node page cannot stall the probe.
  const MAXHTML = 8 << 20, MAXLINKS = 3000;
  const W = Math.max(innerWidth, 1), H = Math.max(innerHeight, 1);
  const sx = scrollX, sy = scrollY;
  const styles = new Map();
  const cs = (e) => { let s = styles.get(e); if (!s) { s = getComputedStyle(e); styles.set(e, s); } return s; };
  const color = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(parseFloat);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const background = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = cs(e);
      if (s.backgroundImage && s.backgroundImage !== 'none') return null; // unknown under an image
      const c = color(s.backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const rectOf = (el) => {
    let r = el.getBoundingClientRect();
    if (r.width * r.height > 0) return r;
    // An inline link around a block (an image, a div) has an empty box
    // of its own: take its first child with a size.
    const kids = el.querySelectorAll('*');
    for (let i = 0; i < kids.length && i < 20; i++) {
      const k = kids[i].getBoundingClientRect();
      if (k.width * k.height > 0) return k;
    }
    return r;
  };
  const why = (el, tag) => {
    if (tag === 'script' || tag === 'link') return '';
    let op = 1;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = cs(e);
      if (s.display === 'none') return 'display';
      op *= parseFloat(s.opacity || '1');
      if (op < 0.05) return 'opacity';
    }
    const s = cs(el);
    if (s.visibility === 'hidden' || s.visibility === 'collapse') return 'visibility';
    const text = (el.innerText || el.textContent || '').trim();
    const textual = text && !el.querySelector('img');
    if (textual && parseFloat(s.fontSize) < 1) return 'font-size';
    const r = rectOf(el);
    if (r.width < 1 || r.height < 1) return 'zero-size';
    const left = r.left + sx, top = r.top + sy;
    if (r.right + sx <= 0 || r.bottom + sy <= 0 || Math.abs(left) >= 3000 || top >= 100000) return 'offscreen';
    for (let e = el.parentElement; e && e.nodeType === 1 && e !== document.documentElement; e = e.parentElement) {
      const ps = cs(e);
      if (ps.clip && ps.clip !== 'auto' && /rect\(0(px)?,? 0(px)?/.test(ps.clip)) return 'clip';
      if (ps.clipPath && /inset\(50%|circle\(0/.test(ps.clipPath)) return 'clip';
      if (ps.overflow !== 'visible' || ps.overflowX !== 'visible' || ps.overflowY !== 'visible') {
        const a = e.getBoundingClientRect();
        const w = Math.min(r.right, a.right) - Math.max(r.left, a.left);
        const h = Math.min(r.bottom, a.bottom) - Math.max(r.top, a.top);
        if (w < 1 || h < 1) return 'clip';
      }
      if (ps.position === 'fixed') break;
    }
    if (textual) {
      const fg = color(s.color), bg = background(el);
      if (fg && fg.a < 0.05) return 'color';
      if (fg && bg && Math.abs(fg.r - bg.r) + Math.abs(fg.g - bg.g) + Math.abs(fg.b - bg.b) < 12) return 'color';
    }
    return '';
  };
  const attr = { a: 'href', area: 'href', img: 'src', script: 'src', iframe: 'src', frame: 'src', link: 'href', embed: 'src' };
  const links = [];
  const els = document.querySelectorAll('a[href],area[href],img[src],script[src],iframe[src],frame[src],link[href],embed[src]');
  for (let i = 0; i < els.length && links.length < MAXLINKS; i++) {
    const el = els[i], tag = el.tagName.toLowerCase();
    if (tag === 'link' && !/stylesheet|icon/i.test(el.rel || '')) continue;
    let href = el[attr[tag]];
    if (typeof href !== 'string') href = el.getAttribute(attr[tag]) || '';
    if (!/^https?:/i.test(href)) continue;
    href = href.split('#')[0];
    const hidden = why(el, tag);
    const r = (tag === 'script' || tag === 'link') ? { left: 0, top: 0, width: 0, height: 0 } : rectOf(el);
    let text = tag === 'img' ? (el.alt || el.title || '') : ((el.innerText || el.textContent || '').trim() || el.title || '');
    if (text.length > 200) text = text.slice(0, 200);
    links.push({ href, text, tag, visible: hidden === '', hidden,
      x: Math.round(r.left + sx), y: Math.round(r.top + sy), w: Math.round(r.width), h: Math.round(r.height) });
  }
  let html = document.documentElement ? document.documentElement.outerHTML : '';
  const truncated = html.length > MAXHTML;
  if (truncated) html = html.slice(0, MAXHTML);
  let text = document.body ? document.body.innerText : '';
  if (text.length > MAXHTML) text = text.slice(0, MAXHTML);
  return { url: location.href, title: document.title, html, text, truncated, links };
})()
