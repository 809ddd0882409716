package detect

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"inspector/model"
	"inspector/msgs"
	"inspector/probe"
)

func (r *run) homeRead() *pageRead {
	for _, pr := range r.pages {
		if pr.p == r.home {
			return pr
		}
	}
	return nil
}

// pageFor finds the fetched page for a URL.
func (r *run) pageFor(u string) *probe.Page {
	for _, p := range r.c.Pages {
		if p != nil && (p.URL == u || p.FinalURL == u) {
			return p
		}
	}
	return nil
}

func (r *run) linkCheck(u string) *probe.LinkCheck {
	for i := range r.c.Links {
		if r.c.Links[i].URL == u {
			return &r.c.Links[i]
		}
	}
	return nil
}

// works tells whether a linked page opens: its fetched page answered 200,
// or its link check was fine. Unknown counts as working.
func (r *run) works(u string) (bool, string) {
	if p := r.pageFor(u); p != nil {
		if p.Status == 200 && p.Err == "" {
			return true, ""
		}
		if p.Err != "" {
			return false, p.Err
		}
		return false, fmt.Sprintf("HTTP %d", p.Status)
	}
	if lc := r.linkCheck(u); lc != nil && lc.Result == probe.LinkBroken {
		if lc.Err != "" {
			return false, lc.Err
		}
		return false, fmt.Sprintf("HTTP %d", lc.Status)
	}
	return true, ""
}

// interaction: a working consultation / suggestion channel linked from the
// home page, and the public message lists' reply times.
func (r *run) interaction() {
	hr := r.homeRead()
	if hr == nil || r.home.Status >= 400 {
		return
	}
	var found, broken, hubs []string
	var brokenEv, hubEv []model.Evidence
	seen := map[string]bool{}
	for _, l := range hr.links() {
		if l.tag != "a" && l.tag != "area" {
			continue
		}
		kind := channelKind(l.text)
		if kind == chanNone || seen[l.href] {
			continue
		}
		seen[l.href] = true
		ok, why := r.works(l.href)
		if !ok {
			broken = append(broken, l.href)
			brokenEv = append(brokenEv, evidence(r.home, msgs.F("interaction.channel_broken.ev", linkDesc(l), why)))
			continue
		}
		if kind == chanHub {
			// A hub (互动交流) is a channel only when what it opens offers one.
			if offers, judged := r.hubOffers(l.href); judged && !offers {
				hubs = append(hubs, l.href)
				hubEv = append(hubEv, evidence(r.pageFor(l.href), msgs.F("interaction.hub_only_petitions.ev", linkDesc(l))))
				continue
			}
		}
		found = append(found, l.href)
	}
	// an interaction page the probe reached counts as well
	for _, p := range r.c.Pages {
		if p == nil || p.Role != probe.RoleInteraction || p.Status != 200 || p.Err != "" || seen[p.URL] {
			continue
		}
		name := p.LinkText
		if strings.TrimSpace(name) == "" {
			name = p.Title
		}
		switch channelKind(name) {
		case chanChannel:
			found = append(found, p.URL)
		case chanHub:
			if offers, _ := r.hubOffers(p.URL); offers {
				found = append(found, p.URL)
			}
		}
	}
	if len(found) == 0 {
		if len(broken) > 0 {
			r.add("veto.interaction", "no-channel", msgs.F("interaction.channel_broken"), model.ConfSuspect, brokenEv, 0)
		} else if len(hubs) > 0 {
			r.add("veto.interaction", "no-channel", msgs.F("interaction.hub_only_petitions"), model.ConfSuspect,
				append([]model.Evidence{evidence(r.home, msgs.F("interaction.hub_only_petitions.home_ev"))}, hubEv...), 0)
		} else {
			r.add("veto.interaction", "no-channel", msgs.F("interaction.no_channel"), model.ConfSuspect,
				[]model.Evidence{evidence(r.home, msgs.F("interaction.no_channel.ev"))}, 0)
		}
	}
	r.messages()
}

// What a link text names, for the interaction rule.
const (
	chanNone    = iota
	chanChannel // a consultation / suggestion channel (咨询、建言、留言、信箱)
	chanHub     // a hub of channels (互动交流): judged by what it opens
)

// channelKind classifies a link text (or a page's name): petitions and
// discipline reports never count, even when named 信箱.
func channelKind(text string) int {
	L := mustLex()
	n := Normalize(text)
	switch {
	case n == "" || L.interEx.any(n):
		return chanNone
	case L.inter.any(n):
		return chanChannel
	case L.interHub.any(n):
		return chanHub
	}
	return chanNone
}

// hubOffers judges a hub page (互动交流) by what it offers: a working link
// to a channel, a channel named in its own text, or a message form of its
// own. judged is false when the probe did not open the page (then the hub
// is given the benefit of the doubt).
func (r *run) hubOffers(u string) (offers, judged bool) {
	var pr *pageRead
	for _, x := range r.pages {
		if x.p.URL == u || x.p.FinalURL == u {
			pr = x
			break
		}
	}
	if pr == nil || pr.p.Status != 200 || pr.p.Err != "" {
		return false, false
	}
	for _, l := range pr.links() {
		if (l.tag != "a" && l.tag != "area") || l.href == u || l.href == pr.url {
			continue
		}
		switch channelKind(l.text) {
		case chanChannel:
			if ok, _ := r.works(l.href); ok {
				return true, true
			}
		case chanHub:
			// another hub the probe did not open: give it the doubt
			if l.href != r.c.Target.URL && r.pageFor(l.href) == nil {
				if ok, _ := r.works(l.href); ok {
					return true, true
				}
			}
		}
	}
	// channels named in the page's text (not as links)
	for _, seg := range strings.FieldsFunc(pr.visibleText(), func(c rune) bool {
		return unicode.IsSpace(c) || strings.ContainsRune("|｜/、,，;；·•", c)
	}) {
		if channelKind(seg) == chanChannel {
			return true, true
		}
	}
	// a message form on the hub itself
	if pr.v.root != nil && hasMessageForm(pr.v.root) {
		return true, true
	}
	return false, true
}

// hasMessageForm: a form with a text area (a message board of its own).
func hasMessageForm(root *html.Node) bool {
	var walk func(n *html.Node, inForm bool) bool
	walk = func(n *html.Node, inForm bool) bool {
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Form {
				inForm = true
			}
			if inForm && n.DataAtom == atom.Textarea {
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c, inForm) {
				return true
			}
		}
		return false
	}
	return walk(root, false)
}

// message is one entry of a public message list.
type message struct {
	submitted time.Time
	replied   time.Time // zero when unanswered
	open      bool      // marked as waiting
	snippet   string
}

// messages checks the public message lists on interaction pages.
func (r *run) messages() {
	L := mustLex()
	unMonths := 3
	lateMonths := 2
	if r.cat != nil {
		if r.cat.InteractionUnansweredMonths > 0 {
			unMonths = r.cat.InteractionUnansweredMonths
		}
		if r.cat.ReplyLateMonths > 0 {
			lateMonths = r.cat.ReplyLateMonths
		}
	}
	asOf := day(r.asOf)
	yearAgo := asOf.AddDate(-1, 0, 0)
	var unEv, lateEv, noTimeEv []model.Evidence
	unN, lateN := 0, 0
	for _, pr := range r.pages {
		if pr.p.Role != probe.RoleInteraction || pr.p.Status >= 400 {
			continue
		}
		posted := tableMessages(pr.v.root)
		if len(posted) == 0 {
			posted = textMessages(pr.visibleText())
		}
		if len(posted) == 0 {
			n := Normalize(pr.visibleText())
			if containsAny(n, normAll(Normalize, L.msgBody)) != "" && containsAny(n, normAll(Normalize, append(append([]string{}, L.msgSub...), L.msgRep...))) == "" {
				noTimeEv = append(noTimeEv, evidence(pr.p, msgs.F("interaction.no_times.ev")))
			}
			continue
		}
		for _, m := range posted {
			if m.submitted.Before(yearAgo) || m.submitted.After(asOf) {
				continue
			}
			if m.replied.IsZero() {
				if m.submitted.Before(asOf.AddDate(0, -unMonths, 0)) {
					unN++
					unEv = append(unEv, evidence(pr.p, msgs.F("interaction.unanswered.ev", m.submitted.Format("2006-01-02"), asOf.Format("2006-01-02"), m.snippet)))
				}
				continue
			}
			if m.replied.After(m.submitted.AddDate(0, lateMonths, 0)) {
				lateN++
				lateEv = append(lateEv, evidence(pr.p, msgs.F("interaction.late.ev", m.submitted.Format("2006-01-02"), m.replied.Format("2006-01-02"), m.snippet)))
			}
		}
	}
	if unN > 0 {
		r.add("veto.interaction", "unanswered", msgs.F("interaction.unanswered", unN, unMonths), model.ConfCertain, unEv, unN)
	}
	if lateN > 0 {
		r.add("deduct.reply_late", "late-replies", msgs.F("interaction.late", lateN, lateMonths), model.ConfCertain, lateEv, 0)
	}
	if len(noTimeEv) > 0 {
		r.add("deduct.reply_late", "no-times", msgs.F("interaction.no_times"), model.ConfSuspect, noTimeEv, 0)
	}
}

// tableMessages reads message lists laid out as tables with a header row
// naming the submission and reply times.
func tableMessages(root *html.Node) []message {
	if root == nil {
		return nil
	}
	L := mustLex()
	sub, rep, open := normAll(Normalize, L.msgSub), normAll(Normalize, L.msgRep), normAll(Normalize, L.msgOpen)
	var out []message
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Table {
			out = append(out, readTable(n, sub, rep, open)...)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

func readTable(t *html.Node, sub, rep, open []string) []message {
	var rows [][]string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Table && n != t {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Tr {
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.DataAtom == atom.Td || c.DataAtom == atom.Th) {
					cells = append(cells, oneLine(nodeText(c)))
				}
			}
			rows = append(rows, cells)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(t)
	si, ri := -1, -1
	var out []message
	for _, cells := range rows {
		if si < 0 {
			for i, c := range cells {
				n := Normalize(c)
				if si < 0 && containsAny(n, sub) != "" {
					si = i
				} else if ri < 0 && containsAny(n, rep) != "" {
					ri = i
				}
			}
			continue
		}
		if si >= len(cells) {
			continue
		}
		s, ok := firstDate(cells[si])
		if !ok {
			continue
		}
		m := message{submitted: s, snippet: strings.Join(cells, " | ")}
		if ri >= 0 && ri < len(cells) {
			if d, ok := firstDate(cells[ri]); ok {
				m.replied = d
			} else if containsAny(Normalize(cells[ri]), open) != "" {
				m.open = true
			}
		}
		out = append(out, m)
	}
	return out
}

// textMessages reads message lists written as "留言时间:… 答复时间:…".
func textMessages(text string) []message {
	L := mustLex()
	type mark struct {
		pos  int
		sub  bool
		date time.Time
		ok   bool
		n    int // the label's length in bytes
	}
	var marks []mark
	scan := func(labels []string, sub bool) {
		for _, lb := range labels {
			for i := 0; ; {
				j := strings.Index(text[i:], lb)
				if j < 0 {
					break
				}
				at := i + j
				after := text[at+len(lb):]
				if len(after) > 60 {
					after = after[:60]
				}
				d, ok := firstDate(after)
				if ok {
					// the date must follow the label closely
					_, pos := findDates(after)
					ok = len([]rune(after[:pos[0][0]])) <= 4
				}
				marks = append(marks, mark{at, sub, d, ok, len(lb)})
				i = at + len(lb)
			}
		}
	}
	scan(L.msgSub, true)
	scan(L.msgRep, false)
	if len(marks) == 0 {
		return nil
	}
	// order by position
	for i := 1; i < len(marks); i++ {
		for j := i; j > 0 && marks[j].pos < marks[j-1].pos; j-- {
			marks[j], marks[j-1] = marks[j-1], marks[j]
		}
	}
	var out []message
	for i, m := range marks {
		if !m.sub || !m.ok {
			continue
		}
		msg := message{submitted: m.date}
		end := len(text)
		for _, n := range marks[i+1:] {
			if n.sub {
				end = n.pos
				break
			}
			if n.ok {
				msg.replied = n.date
			}
		}
		msg.snippet = around(text, m.pos, min(end, m.pos+m.n), 30)
		out = append(out, msg)
	}
	return out
}

// services: a site with public services must link an online-service entry.
func (r *run) services() {
	if r.c.Target.NoServices {
		return
	}
	L := mustLex()
	hr := r.homeRead()
	if hr == nil || r.home.Status >= 400 {
		return
	}
	for _, l := range hr.links() {
		if L.services.any(Normalize(l.text)) || containsAny(strings.ToLower(l.href), L.svcHref) != "" {
			return
		}
	}
	r.add("veto.service", "no-service", msgs.F("services.none"), model.ConfSuspect,
		[]model.Evidence{evidence(r.home, msgs.F("services.none.ev"))}, 0)
}

// guides checks service guides for the eight key elements.
func (r *run) guides() {
	if r.c.Target.NoServices {
		return
	}
	L := mustLex()
	checked, lacking := 0, 0
	var lackingEv []model.Evidence
	defer func() {
		// The province's threshold turns many incomplete guides into the
		// veto "服务不实用".
		if r.cat == nil {
			return
		}
		share := r.cat.ServiceGuidesVetoShare
		if share > 0 && checked > 0 && float64(lacking) >= share*float64(checked) {
			r.add("veto.service", "guides", msgs.F("services.guides", checked, lacking), model.ConfSuspect, lackingEv, 0)
		}
	}()
	for _, pr := range r.pages {
		p := pr.p
		if p.Status >= 400 || p.Err != "" {
			continue
		}
		if p.Role != probe.RoleGuide && containsAny(Normalize(firstNonEmpty(p.Title, pr.v.title)), L.guideTitle) == "" {
			continue
		}
		n := Normalize(pr.visibleText())
		var missing []string
		for _, ge := range L.guide {
			if containsAny(n, ge.Labels) == "" {
				missing = append(missing, ge.Name)
			}
		}
		if len(missing) == len(L.guide) && p.Role != probe.RoleGuide {
			continue // a list of guides, not a guide
		}
		checked++
		if len(missing) == 0 {
			continue
		}
		lacking++
		title := firstNonEmpty(p.Title, pr.v.title, p.LinkText, pr.url)
		ev := evidence(p, msgs.F("guide.missing.ev", msgs.List(missing)))
		lackingEv = append(lackingEv, ev)
		r.add("deduct.guide_elements", pr.url, msgs.F("guide.missing", oneLine(title), msgs.List(missing)), model.ConfSuspect,
			[]model.Evidence{ev}, 1)
	}
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

// search: a site search box on the home page.
func (r *run) search() {
	hr := r.homeRead()
	if hr == nil || r.home.Status >= 400 {
		return
	}
	if hasSearch(hr.v) || (hr.raw != nil && hasSearch(hr.raw)) {
		return
	}
	for _, l := range hr.links() {
		if containsAny(Normalize(l.text), mustLex().search) != "" {
			return
		}
	}
	conf := model.ConfSuspect
	if hr.rendered {
		conf = model.ConfCertain
	}
	r.add("deduct.search", "no-search", msgs.F("search.none"), conf, []model.Evidence{evidence(r.home, msgs.F("search.none.ev"))}, 0)
}

// hasSearch looks for a text input that belongs to a search: in a form
// whose action, names or words say search, or an input whose own
// attributes do.
func hasSearch(v *view) bool {
	if v.root == nil {
		return false
	}
	L := mustLex()
	attrsSay := func(n *html.Node) bool {
		for _, a := range n.Attr {
			switch a.Key {
			case "action", "name", "id", "class", "onsubmit", "onclick":
				if containsAny(strings.ToLower(a.Val), L.searchA) != "" {
					return true
				}
			case "placeholder", "value", "title", "aria-label", "alt":
				if containsAny(Normalize(a.Val), L.search) != "" {
					return true
				}
			}
		}
		return false
	}
	found := false
	var walk func(n *html.Node, inSearch bool)
	walk = func(n *html.Node, inSearch bool) {
		if found {
			return
		}
		if n.Type == html.ElementNode {
			if attrsSay(n) {
				inSearch = true
			}
			if n.DataAtom == atom.Form && containsAny(Normalize(nodeText(n)), L.search) != "" {
				inSearch = true
			}
			if n.DataAtom == atom.Input {
				t := strings.ToLower(attr(n, "type"))
				if (t == "" || t == "text" || t == "search") && (inSearch || attrsSay(n)) {
					found = true
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inSearch)
		}
	}
	walk(v.root, false)
	return found
}

// errorEntry: the 我为政府网站找错 entry on the home page.
func (r *run) errorEntry() {
	hr := r.homeRead()
	if hr == nil || r.home.Status >= 400 {
		return
	}
	L := mustLex()
	for _, l := range hr.links() {
		if containsAny(Normalize(l.text), L.errWords) != "" || containsAny(strings.ToLower(l.href), L.errHref) != "" {
			return
		}
	}
	for _, a := range hr.v.alts {
		if containsAny(Normalize(a), L.errWords) != "" {
			return
		}
	}
	conf := model.ConfSuspect
	if hr.rendered {
		conf = model.ConfCertain
	}
	r.add("deduct.error_entry", "no-error-entry", msgs.F("error_entry.none"), conf, []model.Evidence{evidence(r.home, msgs.F("error_entry.none.ev"))}, 0)
}
