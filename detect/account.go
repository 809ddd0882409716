package detect

import (
	"fmt"
	"strings"
	"time"

	"inspector/model"
	"inspector/msgs"
	"inspector/probe"
)

// AccountStale controls whether Run emits account.veto.stale for accounts
// with a public page. Off by default: package analysis already judges an
// account's staleness (analysis.IndAccStale), and a duplicate would double
// the finding. A caller running the detectors without analysis turns it on.
var AccountStale = false

// accountPages are the pages that show an account: role "account", or
// every page when the target is an account.
func (r *run) accountPages() []*pageRead {
	var out []*pageRead
	for _, pr := range r.pages {
		if pr.p.Role == probe.RoleAccount || pr.p.Role == probe.RoleHome || pr.p.Role == "" {
			out = append(out, pr)
		}
	}
	return out
}

// account checks a new-media account's public page.
func (r *run) account() {
	pages := r.accountPages()
	if len(pages) == 0 {
		return
	}
	main := pages[0]
	if main.p.Status >= 400 || main.p.Err != "" {
		return
	}
	L := mustLex()
	// newest post
	if AccountStale {
		asOf := day(r.asOf)
		var newest time.Time
		for _, pr := range pages {
			ds, _ := findDates(pr.visibleText())
			for _, d := range ds {
				if !d.After(asOf) && d.After(newest) {
					newest = d
				}
			}
		}
		limit := 14
		if r.cat != nil && r.cat.HomeStaleDays > 0 {
			limit = r.cat.HomeStaleDays
		}
		switch {
		case newest.IsZero():
			r.add("veto.stale", "posts", msgs.F("account.no_dated_posts"), model.ConfSuspect,
				[]model.Evidence{evidence(main.p, msgs.F("account.no_dated_posts.ev"))}, 0)
		case newest.Before(asOf.AddDate(0, 0, -limit)):
			r.add("veto.stale", "posts", msgs.F("account.stale", newest.Format("2006-01-02"), asOf.Format("2006-01-02"), limit), model.ConfCertain,
				[]model.Evidence{evidence(main.p, msgs.F("account.stale.ev", newest.Format("2006-01-02")))}, 0)
		}
	}
	// interaction functions
	hasInter := false
	for _, pr := range pages {
		for _, l := range pr.links() {
			if L.account.any(Normalize(l.text)) {
				hasInter = true
			}
		}
		if !hasInter && pr.v.root != nil && L.account.any(Normalize(menuText(pr))) {
			hasInter = true
		}
	}
	if !hasInter {
		r.add("veto.interaction", "no-channel", msgs.F("account.no_interaction"), model.ConfSuspect,
			[]model.Evidence{evidence(main.p, msgs.F("account.no_interaction.ev"))}, 0)
	}
	// menu entries
	for _, pr := range pages {
		seen := map[string]bool{}
		for _, l := range pr.links() {
			if !l.menu || l.tag != "a" || seen[l.href] || !webURL(l.href) {
				continue
			}
			seen[l.href] = true
			if lc := r.linkCheck(l.href); lc != nil && lc.Result == probe.LinkBroken {
				why := lc.Err
				if why == "" {
					why = fmt.Sprintf("HTTP %d", lc.Status)
				}
				r.add("deduct.menu", l.href, msgs.F("account.menu_broken_why", oneLine(l.text), why), model.ConfCertain,
					[]model.Evidence{evidence(pr.p, msgs.F("account.menu_broken_why.ev", linkDesc(l), why))}, 1)
				continue
			}
			if p := r.pageFor(l.href); p != nil {
				if p.Status >= 400 || p.Err != "" {
					r.add("deduct.menu", l.href, msgs.F("account.menu_broken", oneLine(l.text)), model.ConfCertain,
						[]model.Evidence{evidence(pr.p, linkDesc(l))}, 1)
				} else if emptyPage(p) {
					r.add("deduct.menu", l.href, msgs.F("account.menu_blank", oneLine(l.text)), model.ConfSuspect,
						[]model.Evidence{evidence(p, msgs.F("account.menu_blank.ev", linkDesc(l)))}, 1)
				}
			}
		}
	}
}

// menuText is the text of a page's menus (nav elements, menu classes).
func menuText(pr *pageRead) string {
	var b strings.Builder
	for _, l := range pr.v.links {
		if l.menu {
			b.WriteString(l.text + "\n")
		}
	}
	return b.String()
}

// emptyPage: a page with (almost) no text, or one saying it has none. A
// page offering a form to write in (a message board) is not empty.
func emptyPage(p *probe.Page) bool {
	doc := p.Rendered
	if doc == "" {
		doc = p.Raw
	}
	v := readHTML(doc, pageURL(p), nil)
	if v.root != nil && hasMessageForm(v.root) {
		return false
	}
	t := p.Text
	if t == "" {
		t = v.text
	}
	n := Normalize(t)
	if len([]rune(n)) < 10 {
		return true
	}
	return len([]rune(n)) < 200 && containsAny(n, mustLex().empty) != ""
}
