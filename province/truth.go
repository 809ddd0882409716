package province

import (
	"fmt"
	"strings"
	"time"
)

// Indicator codes as in INDICATORS.md.
const (
	IndSecurity       = "site.veto.security"
	IndUnreachable    = "site.veto.unreachable"
	IndHomeStale      = "site.veto.home_stale"
	IndColumnsStale   = "site.veto.columns_stale"
	IndInteraction    = "site.veto.interaction"
	IndHomeLinks      = "site.deduct.home_links"
	IndLinks          = "site.deduct.links"
	IndColumnStale    = "site.deduct.column_stale"
	IndGuideElements  = "site.deduct.guide_elements"
	IndSearch         = "site.deduct.search"
	IndErrorEntry     = "site.deduct.error_entry"
	IndGarbled        = "site.deduct.garbled"
	IndDomainChanged  = "site.registry.domain_changed"
	IndOfflineUnfiled = "site.registry.offline_unfiled"
	IndAccStale       = "account.veto.stale"
	IndAccInteraction = "account.veto.interaction"
	IndAccMenu        = "account.deduct.menu"
)

// The columns veto (site.veto.columns_stale), as the catalogue's
// columns_veto: (a) stale news columns plus stale first-level notice /
// policy columns, (b) stale columns of any category, (c) blank columns.
// Every column of the province is first-level (the navigation links them
// all from the home page).
const (
	columnsVetoNewsNotice = 5
	columnsVetoStale      = 10
	columnsVetoBlank      = 5
)

// truth derives a site's seeded defects from its generated content, so
// the record cannot drift from what is served.
func (s *site) truth(asOf time.Time) []Truth {
	var out []Truth
	home := s.abs("/")
	add := func(ind, subj, why string) {
		out = append(out, Truth{Target: s.t.Code, Indicator: ind, Subject: subj, Why: why})
	}
	if s.pl.closed {
		return nil // filed as 关停: refusing connections is expected
	}
	if s.pl.refuse {
		add(IndUnreachable, s.t.URL, "registered as 正常运行 but refuses connections")
		add(IndOfflineUnfiled, s.t.URL, "offline without filing (registry says 正常运行)")
		return out
	}
	if s.serve != s.host {
		add(IndDomainChanged, home, fmt.Sprintf("registered %s redirects to %s", s.t.URL, home))
	}
	for k, t := range s.pl.spam {
		add(IndSecurity, s.spamHosts[k], spamWhy[t])
	}
	// Home page staleness: the newest dated item it shows.
	var newest time.Time
	for _, c := range s.homeCols() {
		if len(c.items) > 0 && c.items[0].date.After(newest) {
			newest = c.items[0].date
		}
	}
	if newest.Before(asOf.AddDate(0, 0, -14)) {
		add(IndHomeStale, home, fmt.Sprintf("newest home-page item %s, more than 14 days before %s", newest.Format("2006-01-02"), asOf.Format("2006-01-02")))
	}
	var bad []Truth
	var nn, nStale, nBlank int
	var names []string
	for _, c := range s.cols {
		u := s.abs(s.colURL(c, 1))
		switch {
		case c.blank:
			nBlank++
			bad = append(bad, Truth{Target: s.t.Code, Indicator: IndColumnStale, Subject: u, Why: c.def.name + " is blank (暂无信息)"})
		case c.items[0].date.Before(window(c.def.cat, asOf)):
			nStale++
			if c.def.cat == catNews || c.def.cat == catNotice {
				nn++
			}
			bad = append(bad, Truth{Target: s.t.Code, Indicator: IndColumnStale, Subject: u,
				Why: fmt.Sprintf("%s (%s) newest item %s, older than its window (since %s)", c.def.name, c.def.cat, c.items[0].date.Format("2006-01-02"), window(c.def.cat, asOf).Format("2006-01-02"))})
		default:
			continue
		}
		names = append(names, c.def.name)
	}
	if nn >= columnsVetoNewsNotice || nStale >= columnsVetoStale || nBlank >= columnsVetoBlank {
		add(IndColumnsStale, home, fmt.Sprintf("%d stale news/notice columns, %d stale, %d blank: %s", nn, nStale, nBlank, strings.Join(names, "、")))
	} else {
		out = append(out, bad...)
	}
	if s.pl.noConsult {
		add(IndInteraction, home, "no consultation channel: only 网上信访 and 纪检举报")
	}
	for _, g := range s.guides {
		if len(g.missing) > 0 {
			add(IndGuideElements, s.abs(s.guideURL(g)), "guide lacks "+strings.Join(g.missing, "、"))
		}
	}
	if s.pl.noSearch {
		add(IndSearch, home, "no search box on the home page")
	}
	if s.pl.noErrorEntry {
		add(IndErrorEntry, home, "no 我为政府网站找错 entry on the home page")
	}
	for _, bl := range s.homeBroken {
		add(IndHomeLinks, bl.url, "broken link on the home page ("+brokenWhy(bl)+")")
	}
	for _, c := range s.cols {
		for _, it := range c.items {
			if it.broken != nil {
				add(IndLinks, it.broken.url, "broken link on "+s.abs(s.artURL(c, it))+" ("+brokenWhy(*it.broken)+")")
			}
			if it.garble != "" {
				add(IndGarbled, s.abs(s.artURL(c, it)), fmt.Sprintf("garbled text %q in the article", it.garble))
			}
		}
	}
	return out
}

func brokenWhy(b broken) string {
	if strings.HasPrefix(b.url, "http://zt.") {
		return "host refuses connections"
	}
	return "404"
}
