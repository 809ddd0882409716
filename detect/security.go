package detect

import (
	"sort"
	"strings"

	"inspector/model"
	"inspector/msgs"
	"inspector/probe"
)

// lnk is a link of a page as the detectors use it: the browser's view when
// the page was rendered, else the static reading's.
type lnk struct {
	href, text, tag string
	hidden          string
	scriptOnly      bool
	menu            bool
}

// links merges the browser's links with the static reading's: the browser
// decides visibility where it saw the link; the static reading adds links
// it alone saw (and hides what its CSS reading hides when not rendered).
func (pr *pageRead) links() []lnk {
	var out []lnk
	seen := map[string]bool{}
	// the browser does not say which links sit in a menu; the static
	// reading of the same DOM does
	menu := map[string]bool{}
	for _, l := range pr.v.links {
		if l.menu {
			menu[l.href] = true
		}
	}
	for _, l := range pr.p.Links {
		hidden := l.Hidden
		if !l.Visible && hidden == "" && pr.rendered && l.W == 0 && l.H == 0 && l.Tag == "a" {
			hidden = "zero-size"
		}
		if pr.rendered && l.Visible {
			hidden = ""
		}
		tag := l.Tag
		if tag == "" {
			tag = "a"
		}
		out = append(out, lnk{href: l.Href, text: l.Text, tag: tag, hidden: hidden, scriptOnly: l.ScriptOnly, menu: menu[l.Href]})
		seen[l.Href+"\x00"+oneLine(l.Text)] = true
	}
	for _, l := range pr.v.links {
		k := l.href + "\x00" + oneLine(l.text)
		if seen[k] {
			// the static reading may still know it is hidden when the
			// browser gave no verdict
			continue
		}
		seen[k] = true
		so := false
		if pr.raw != nil && l.tag == "a" {
			so = !pr.raw.hasLink(l.href)
		}
		out = append(out, lnk{href: l.href, text: l.text, tag: l.tag, hidden: l.hidden, scriptOnly: so, menu: l.menu})
	}
	// without a browser verdict, let the static reading hide the links it hides
	if !pr.rendered {
		hid := map[string]string{}
		for _, l := range pr.v.links {
			if l.hidden != "" {
				hid[l.href+"\x00"+oneLine(l.text)] = l.hidden
			}
		}
		for i := range out {
			if out[i].hidden == "" {
				if h := hid[out[i].href+"\x00"+oneLine(out[i].text)]; h != "" {
					out[i].hidden = h
				}
			}
		}
	}
	return out
}

func (v *view) hasLink(href string) bool {
	for _, l := range v.links {
		if l.href == href {
			return true
		}
	}
	return false
}

// hiddenKey is the message key naming each way of hiding.
var hiddenKey = map[string]string{
	"display": "security.hidden_reason.display", "visibility": "security.hidden_reason.visibility",
	"opacity": "security.hidden_reason.opacity", "clip": "security.hidden_reason.clip",
	"offscreen": "security.hidden_reason.offscreen", "zero-size": "security.hidden_reason.zero_size",
	"font-size": "security.hidden_reason.font_size", "color": "security.hidden_reason.color",
}

func hiddenDesc(r string) string {
	if k, ok := hiddenKey[r]; ok {
		return msgs.F(k)
	}
	return r
}

func linkDesc(l lnk) string {
	t := oneLine(l.text)
	if len([]rune(t)) > 40 {
		t = string([]rune(t)[:40]) + "…"
	}
	if t == "" {
		return l.href
	}
	return msgs.F("link.desc", t, l.href)
}

// collector gathers one security finding's evidence.
type collector struct {
	conf   string
	ev     []model.Evidence
	evHost []string // the outside host each evidence is about, "" for none
	what   []string
	seen   map[string]bool
	hosts  map[string]bool
}

func newCollector() *collector { return &collector{seen: map[string]bool{}, hosts: map[string]bool{}} }

func (c *collector) add(conf string, p *probe.Page, snippet string) { c.addHost(conf, p, snippet, "") }

// addHost adds evidence about a spam host: it is reported under the
// host's own finding (subject: the host), whatever the mechanism.
func (c *collector) addHost(conf string, p *probe.Page, snippet, host string) {
	if c.seen[snippet] {
		return
	}
	c.seen[snippet] = true
	c.ev = append(c.ev, evidence(p, snippet))
	c.evHost = append(c.evHost, host)
	c.conf = stronger(c.conf, conf)
}

func (c *collector) note(s string) {
	for _, w := range c.what {
		if w == s {
			return
		}
	}
	c.what = append(c.what, s)
}

func stronger(a, b string) string {
	rank := map[string]int{"": 0, model.ConfPossible: 1, model.ConfSuspect: 2, model.ConfCertain: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// emitSecurity reports a collector: evidence about a spam host goes to
// that host's finding (merged across mechanisms), the rest under subject.
func (r *run) emitSecurity(subject, lead string, c *collector) {
	if len(c.ev) == 0 || c.conf == "" {
		return
	}
	rest := newCollector()
	for i, e := range c.ev {
		h := c.evHost[i]
		if h == "" {
			rest.ev = append(rest.ev, e)
			continue
		}
		hc := r.secHosts[h]
		if hc == nil {
			hc = newCollector()
			r.secHosts[h] = hc
		}
		hc.ev = append(hc.ev, e)
		hc.conf = model.ConfCertain
		hc.note(lead)
	}
	if len(rest.ev) == 0 {
		return
	}
	detail := lead
	if len(c.what) > 0 {
		detail += ":" + strings.Join(c.what, ";")
	}
	r.add("veto.security", subject, detail, c.conf, rest.ev, 0)
}

// emitHosts reports one finding per spam host.
func (r *run) emitHosts() {
	for _, h := range sortedKeys(keysOf(r.secHosts)) {
		c := r.secHosts[h]
		r.add("veto.security", h, msgs.F("security.spam_host", h, strings.Join(c.what, ";")), c.conf, c.ev, 0)
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// security runs the spam, 暗链, injection, redirect and cloaking checks.
func (r *run) security() {
	claimed := map[string]bool{} // links already reported under a stronger subject
	r.cloaking()
	r.redirects()
	r.scripts(claimed)
	r.hiddenLinks(claimed)
	r.spamLinks(claimed)
	r.spamText()
	r.outbound(claimed)
	r.emitHosts()
}

// hiddenLinks: links to outside hosts that a visitor cannot see, and
// hidden text with spam phrases.
func (r *run) hiddenLinks(claimed map[string]bool) {
	col := newCollector()
	for _, pr := range r.pages {
		var plain []lnk
		plainHosts := map[string]bool{}
		for _, l := range pr.links() {
			if l.hidden == "" || (l.tag != "a" && l.tag != "area" && l.tag != "iframe") || !webURL(l.href) {
				continue
			}
			h := hostOf(l.href)
			if !r.outsider(h) {
				continue
			}
			if spam, why := SpamLink(l.href, l.text); spam {
				col.addHost(model.ConfCertain, pr.p, msgs.F("security.hidden_link.spam", hiddenDesc(l.hidden), linkDesc(l), why), h)
				col.note(msgs.F("security.hidden_link.spam.note", h))
				claimed[l.href] = true
				continue
			}
			if !benignHost(h) {
				plain = append(plain, l)
				plainHosts[h] = true
			}
		}
		if len(plainHosts) >= 3 {
			for _, l := range plain {
				col.add(model.ConfSuspect, pr.p, msgs.F("security.hidden_link", hiddenDesc(l.hidden), linkDesc(l)))
				claimed[l.href] = true
			}
			col.note(msgs.F("security.hidden_link.note", len(plainHosts), msgs.List(sortedKeys(plainHosts))))
		}
		// hidden text with spam phrases
		var hb strings.Builder
		reasons := map[string]bool{}
		for _, b := range pr.v.hidden {
			hb.WriteString(b.text)
			hb.WriteString("\n")
			reasons[hiddenDesc(b.reason)] = true
		}
		if hs := spamHits(hb.String()); len(hs.phrases) > 0 {
			col.add(model.ConfCertain, pr.p, msgs.F("security.hidden_text", msgs.List(sortedKeys(reasons)), msgs.List(hs.phrases), strings.Join(hs.snippets, " | ")))
			col.note(msgs.F("security.hidden_text.note", catNames(hs.cats)))
		}
	}
	r.emitSecurity("hidden-links", msgs.F("security.lead.hidden"), col)
}

// spamLinks: visible links (and scripts, frames) to spam hosts, or to
// outside hosts with spam link text.
func (r *run) spamLinks(claimed map[string]bool) {
	byHost := map[string]*collector{}
	for _, pr := range r.pages {
		for _, l := range pr.links() {
			if claimed[l.href] || !webURL(l.href) {
				continue
			}
			h := hostOf(l.href)
			if !r.outsider(h) {
				continue
			}
			spam, why := SpamLink(l.href, l.text)
			if !spam {
				continue
			}
			c := byHost[h]
			if c == nil {
				c = newCollector()
				byHost[h] = c
			}
			kind := msgs.F("security.link_kind.link")
			switch l.tag {
			case "script":
				kind = msgs.F("security.link_kind.script")
			case "iframe":
				kind = msgs.F("security.link_kind.iframe")
			}
			c.addHost(model.ConfCertain, pr.p, msgs.F("security.spam_link", kind, linkDesc(l), why), h)
			c.note(msgs.F("security.spam_link.note", kind, h))
		}
	}
	for _, h := range sortedKeys(keysOf(byHost)) {
		r.emitSecurity(h, msgs.F("security.lead.spam_links"), byHost[h])
	}
}

func keysOf[V any](m map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

// spamText: spam phrases in titles and meta data (hijacked pages), and
// dense spam phrases in visible text outside lawful context.
func (r *run) spamText() {
	col := newCollector()
	for _, pr := range r.pages {
		meta := spamHits(pr.v.title + "\n" + pr.v.keywords + "\n" + pr.v.description)
		if n := len(meta.phrases); n > 0 {
			conf := model.ConfSuspect
			if n >= 2 {
				conf = model.ConfCertain
			}
			col.add(conf, pr.p, msgs.F("security.spam_meta", msgs.List(meta.phrases), strings.Join(meta.snippets, " | ")))
			col.note(msgs.F("security.spam_meta.note", catNames(meta.cats)))
		}
		text := pr.visibleText() + "\n" + strings.Join(pr.v.alts, "\n")
		vis := spamHits(text)
		if len(vis.phrases) >= 3 {
			col.add(model.ConfCertain, pr.p, msgs.F("security.spam_text", len(vis.phrases), msgs.List(vis.phrases), strings.Join(vis.snippets, " | ")))
			col.note(msgs.F("security.spam_text.note", catNames(vis.cats)))
		}
	}
	r.emitSecurity("spam-text", msgs.F("security.lead.spam_text"), col)
}

// outbound: a cluster of visible links to unrelated outside hosts whose
// text carries context words (贷款, 客服QQ …).
func (r *run) outbound(claimed map[string]bool) {
	col := newCollector()
	for _, pr := range r.pages {
		hosts := map[string]bool{}
		var ls []lnk
		var words []string
		for _, l := range pr.links() {
			if claimed[l.href] || l.tag != "a" || !webURL(l.href) {
				continue
			}
			h := hostOf(l.href)
			if !r.outsider(h) || benignHost(h) {
				continue
			}
			hosts[h] = true
			ls = append(ls, l)
			words = append(words, contextWords(l.text)...)
		}
		if len(hosts) >= 5 && len(words) >= 2 {
			for _, l := range ls {
				col.add(model.ConfSuspect, pr.p, msgs.F("security.outbound", linkDesc(l)))
			}
			col.note(msgs.F("security.outbound.note", len(hosts), msgs.List(dedupe(words))))
		}
	}
	r.emitSecurity("outbound-links", msgs.F("security.lead.outbound"), col)
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// scripts: links that only exist once scripts ran, and inline scripts
// that build links or text by obfuscation.
func (r *run) scripts(claimed map[string]bool) {
	col := newCollector()
	for _, pr := range r.pages {
		plainHosts := map[string]bool{}
		var plain []lnk
		for _, l := range pr.links() {
			if !l.scriptOnly || !webURL(l.href) {
				continue
			}
			h := hostOf(l.href)
			if !r.outsider(h) {
				continue
			}
			if spam, why := SpamLink(l.href, l.text); spam {
				col.addHost(model.ConfCertain, pr.p, msgs.F("security.script_link.spam", linkDesc(l), why), h)
				col.note(msgs.F("security.script_link.spam.note", h))
				claimed[l.href] = true
			} else if !benignHost(h) {
				plainHosts[h] = true
				plain = append(plain, l)
			}
		}
		if len(plainHosts) >= 3 {
			for _, l := range plain {
				col.add(model.ConfSuspect, pr.p, msgs.F("security.script_link", linkDesc(l)))
				claimed[l.href] = true
			}
			col.note(msgs.F("security.script_link.note", len(plainHosts)))
		}
		src := pr.v
		if pr.raw != nil {
			src = pr.raw
		}
		for _, s := range src.scripts {
			sf := readScript(s, pr.url)
			if len(sf.techniques) == 0 {
				continue
			}
			tech := msgs.List(sf.techniques)
			hosts := map[string]bool{}
			spamHosts := map[string]bool{}
			spamFound := false
			for _, l := range sf.links {
				h := hostOf(l.href)
				if !r.outsider(h) {
					continue
				}
				hosts[h] = true
				if spam, why := SpamLink(l.href, l.text); spam {
					spamFound = true
					spamHosts[h] = true
					col.addHost(model.ConfCertain, pr.p, msgs.F("security.obfuscated.spam_link", tech, linkDesc(lnk{href: l.href, text: l.text}), why), h)
					claimed[l.href] = true
				}
			}
			if hs := spamHits(sf.decoded); len(hs.phrases) > 0 {
				spamFound = true
				// the words go with the spam host the script writes, when one
				host := ""
				if len(spamHosts) == 1 {
					host = sortedKeys(spamHosts)[0]
				}
				col.addHost(model.ConfCertain, pr.p, msgs.F("security.obfuscated.spam_text", tech, msgs.List(hs.phrases), strings.Join(hs.snippets, " | ")), host)
			}
			if spamFound {
				col.note(msgs.F("security.obfuscated.spam.note", msgs.List(sortedKeys(hosts))))
			} else if len(hosts) > 0 && !allBenign(hosts) {
				col.add(model.ConfSuspect, pr.p, msgs.F("security.obfuscated.links", tech, msgs.List(sortedKeys(hosts))))
				col.note(msgs.F("security.obfuscated.links.note", msgs.List(sortedKeys(hosts))))
			}
		}
	}
	r.emitSecurity("script-links", msgs.F("security.lead.scripts"), col)
}

func allBenign(hosts map[string]bool) bool {
	for h := range hosts {
		if !benignHost(h) {
			return false
		}
	}
	return true
}

// redirects: visitors sent to outside hosts by meta refresh, script,
// window-filling frames, or the server.
func (r *run) redirects() {
	col := newCollector()
	judge := func(pr *pageRead, target, how string, certain bool) {
		h := hostOf(target)
		if !webURL(target) || !r.outsider(h) || benignHost(h) {
			return
		}
		conf := model.ConfSuspect
		if certain || SpamHost(h) {
			conf = model.ConfCertain
		}
		host := ""
		if conf == model.ConfCertain {
			host = h
		}
		col.addHost(conf, pr.p, msgs.F("security.redirect", how, target), host)
		col.note(msgs.F("security.redirect.note", how, h))
	}
	for _, pr := range r.pages {
		if pr.v.refresh != "" {
			judge(pr, pr.v.refresh, msgs.F("security.redirect_by.meta_refresh"), false)
		}
		src := pr.v
		if pr.raw != nil {
			src = pr.raw
		}
		for _, s := range src.scripts {
			sf := readScript(s, pr.url)
			for _, u := range sf.redirects {
				how := msgs.F("security.redirect_by.script")
				if sf.byReferrer {
					how = msgs.F("security.redirect_by.script_referrer")
				}
				judge(pr, u, how, sf.byReferrer)
			}
		}
		for _, f := range src.frames {
			if f.full {
				judge(pr, f.src, msgs.F("security.redirect_by.full_frame"), false)
			}
		}
		// server-side or browser redirects to a spam host
		chain := append(append([]string{}, pr.p.Redirects...), pr.p.FinalURL)
		for _, u := range chain {
			if h := hostOf(u); h != "" && r.outsider(h) && SpamHost(h) {
				judge(pr, u, msgs.F("security.redirect_by.visit"), true)
			}
		}
	}
	r.emitSecurity("redirect", msgs.F("security.lead.redirect"), col)
}

// cloaking compares what crawlers, phones and visitors from a search
// engine get with the ordinary home page.
func (r *run) cloaking() {
	if r.home == nil || len(r.c.Variants) == 0 {
		return
	}
	var normal *pageRead
	for _, pr := range r.pages {
		if pr.p == r.home {
			normal = pr
		}
	}
	if normal == nil {
		return
	}
	normHosts := map[string]bool{}
	addHosts := func(v *view) {
		if v == nil {
			return
		}
		for _, l := range v.links {
			normHosts[hostOf(l.href)] = true
		}
	}
	addHosts(normal.v)
	addHosts(normal.raw)
	for _, l := range normal.p.Links {
		normHosts[hostOf(l.Href)] = true
	}
	normPhr := map[string]bool{}
	for _, ph := range allSpam(normal.v) {
		normPhr[ph] = true
	}
	if normal.raw != nil {
		for _, ph := range allSpam(normal.raw) {
			normPhr[ph] = true
		}
	}
	normFinal := hostOf(pageURL(normal.p))

	col := newCollector()
	for _, va := range r.c.Variants {
		who := va.Name
		if va.Referer != "" {
			who = msgs.F("security.visitor.referer", va.Name, va.Referer)
		} else if va.UserAgent != "" {
			who = msgs.F("security.visitor.ua", va.Name, va.UserAgent)
		}
		// redirects only this visitor gets
		for _, u := range append(append([]string{}, va.Redirects...), va.FinalURL, va.Location) {
			h := hostOf(u)
			if h != "" && h != normFinal && r.outsider(h) && !benignHost(h) {
				col.addHost(model.ConfCertain, r.home, msgs.F("security.cloak.redirect", who, u), h)
				col.note(msgs.F("security.cloak.redirect.note", va.Name, h))
			}
		}
		// Both the document as served and as rendered: a render may not
		// get what the crawler or search visitor got (or leave it by a
		// redirect).
		docs := []string{va.Rendered}
		if va.Raw != "" && va.Raw != va.Rendered {
			docs = append(docs, va.Raw)
		}
		for _, doc := range docs {
			if doc != "" {
				r.cloakedDoc(col, va, who, doc, normal, normHosts, normPhr)
			}
		}
	}
	r.emitSecurity("cloaking", msgs.F("security.lead.cloaking"), col)
}

// cloakedDoc compares one document a crawler or search visitor got with
// the ordinary home page.
func (r *run) cloakedDoc(col *collector, va probe.Variant, who, doc string, normal *pageRead, normHosts, normPhr map[string]bool) {
	base := va.FinalURL
	if base == "" {
		base = normal.url
	}
	vv := readHTML(doc, base, r.sheet)
	if h := hostOf(vv.refresh); vv.refresh != "" && r.outsider(h) && !normHosts[h] && !benignHost(h) {
		col.addHost(model.ConfCertain, r.home, msgs.F("security.cloak.meta_refresh", who, vv.refresh), h)
		col.note(msgs.F("security.cloak.redirect.note", va.Name, h))
	}
	for _, s := range vv.scripts {
		for _, u := range readScript(s, base).redirects {
			if h := hostOf(u); r.outsider(h) && !benignHost(h) && !normHosts[h] {
				col.addHost(model.ConfCertain, r.home, msgs.F("security.cloak.script", who, u), h)
				col.note(msgs.F("security.cloak.script.note", va.Name, h))
			}
		}
	}
	newHosts := map[string]bool{}
	spamHosts := map[string]bool{}
	var newLinks []slink
	spamHost := false
	for _, l := range vv.links {
		h := hostOf(l.href)
		if !webURL(l.href) || !r.outsider(h) || normHosts[h] || benignHost(h) {
			continue
		}
		newHosts[h] = true
		newLinks = append(newLinks, l)
		if s, _ := SpamLink(l.href, l.text); s {
			spamHost = true
			spamHosts[h] = true
		}
	}
	var newPhr []string
	for _, ph := range allSpam(vv) {
		if !normPhr[ph] {
			newPhr = append(newPhr, ph)
		}
	}
	conf := ""
	switch {
	case spamHost || len(newPhr) > 0:
		conf = model.ConfCertain
	case len(newHosts) >= 3:
		conf = model.ConfSuspect
	}
	if conf == "" {
		return
	}
	for _, l := range newLinks {
		host := ""
		if s, _ := SpamLink(l.href, l.text); s {
			host = hostOf(l.href)
		}
		col.addHost(conf, r.home, msgs.F("security.cloak.link", who, linkDesc(lnk{href: l.href, text: l.text})), host)
	}
	if len(newPhr) > 0 {
		// the words go with the spam host when the document names one
		host := ""
		if len(spamHosts) == 1 {
			host = sortedKeys(spamHosts)[0]
		}
		col.addHost(conf, r.home, msgs.F("security.cloak.text", who, msgs.List(newPhr)), host)
	}
	what := msgs.F("security.cloak.note", va.Name)
	if len(newHosts) > 0 {
		what += msgs.F("security.cloak.note.links", msgs.List(sortedKeys(newHosts)))
	}
	if len(newPhr) > 0 {
		what += msgs.F("security.cloak.note.words", msgs.List(newPhr))
	}
	col.note(what)
}

// allSpam lists every spam phrase of a document outside lawful context:
// visible and hidden text, title and meta data, link texts.
func allSpam(v *view) []string {
	var b strings.Builder
	b.WriteString(v.text + "\n" + v.title + "\n" + v.keywords + "\n" + v.description + "\n")
	for _, h := range v.hidden {
		b.WriteString(h.text + "\n")
	}
	for _, l := range v.links {
		b.WriteString(l.text + "\n")
	}
	return spamHits(b.String()).phrases
}
