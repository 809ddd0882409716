(() => {
  // Installed before any page script: counts what still fills the page
  // after its load event, so that the settle wait ends as soon as the
  // page is quiet instead of after fixed polls. Tracked: fetch() and XHR
  // in flight, and short timers set while the page loads (a list drawn
  // by setTimeout(load, 300)); timers set later (carousels, clocks) are
  // not, or the page would never be quiet.
  if (window.__inspectorQuiet) return;
  const st = { pending: 0, timers: new Set(), last: 0, early: true };
  Object.defineProperty(window, '__inspectorQuiet', { value: st });
  const ost = window.setTimeout.bind(window), oct = window.clearTimeout.bind(window);
  st.setTimeout = ost;
  const bump = () => { st.last = performance.now(); };
  const begin = () => {
    st.pending++; bump();
    let done = false;
    return () => { if (!done) { done = true; st.pending--; bump(); } };
  };
  const of = window.fetch;
  if (of) {
    window.fetch = function () {
      const end = begin();
      try {
        const p = of.apply(this, arguments);
        p.then(end, end);
        return p;
      } catch (e) { end(); throw e; }
    };
  }
  const XHR = window.XMLHttpRequest;
  if (XHR) {
    const send = XHR.prototype.send;
    XHR.prototype.send = function () {
      const end = begin();
      this.addEventListener('loadend', end);
      try { return send.apply(this, arguments); } catch (e) { end(); throw e; }
    };
  }
  window.setTimeout = function (fn, ms) {
    if (!st.early || typeof fn !== 'function' || (+ms || 0) > 1500) return ost.apply(window, arguments);
    const args = Array.prototype.slice.call(arguments, 2);
    let id = 0;
    id = ost(function () { st.timers.delete(id); bump(); return fn.apply(this, args); }, ms);
    st.timers.add(id);
    return id;
  };
  window.clearTimeout = function (id) { st.timers.delete(id); return oct(id); };
  window.addEventListener('load', () => { ost(() => { st.early = false; }, 100); });
})();
