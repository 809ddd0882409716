// Package analysis turns what the probe saw (captures: facts) into
// findings (interpretations) by the catalogue's rules. It is pure: no
// network, no clock — staleness is measured against the round's check
// point — so a stored round can be re-analysed offline after a detector
// improves.
package analysis

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"inspector/catalog"
	"inspector/detect"
	"inspector/model"
	"inspector/msgs"
	"inspector/probe"
	"inspector/probe/read"
)

// Indicator codes this package derives.
const (
	IndUnreachable    = "site.veto.unreachable"
	IndHomeStale      = "site.veto.home_stale"
	IndColumnsStale   = "site.veto.columns_stale"
	IndColumnStale    = "site.deduct.column_stale"
	IndHomeLinks      = "site.deduct.home_links"
	IndLinks          = "site.deduct.links"
	IndDomainChanged  = "site.registry.domain_changed"
	IndOfflineUnfiled = "site.registry.offline_unfiled"
	IndAccStale       = "account.veto.stale"
)

// Hook derives further findings from a capture (the content detectors).
type Hook func(cat *catalog.Catalogue, asOf time.Time, c *probe.Capture) []model.Finding

var (
	hooksMu sync.Mutex
	hooks   []Hook
)

// Register adds a detector hook that Analyze runs after its own rules.
// The command line registers the content detectors here, so that this
// package does not depend on them.
func Register(h Hook) {
	hooksMu.Lock()
	defer hooksMu.Unlock()
	hooks = append(hooks, h)
}

// Analyze derives the findings of one capture. Findings are sorted by
// indicator and subject, so re-analysis is stable.
func Analyze(cat *catalog.Catalogue, asOf time.Time, c *probe.Capture) []model.Finding {
	a := &analyzer{cat: cat, asOf: asOf, c: c}
	switch c.Target.Kind {
	case model.KindAccount:
		a.account()
	default:
		a.site()
	}
	// The content detectors (issue 6): security, interaction, services,
	// garbled text, search and error entries.
	a.out = append(a.out, detect.Run(cat, asOf, c)...)
	hooksMu.Lock()
	hs := append([]Hook(nil), hooks...)
	hooksMu.Unlock()
	for _, h := range hs {
		a.out = append(a.out, h(cat, asOf, c)...)
	}
	for i := range a.out {
		f := &a.out[i]
		if f.Round == "" {
			f.Round = c.Round
		}
		if f.Target == "" {
			f.Target = c.Target.Code
		}
		if f.Kind == "" {
			f.Kind = c.Target.Kind
		}
		if f.Source == "" {
			f.Source = model.SourceProbe
		}
		if f.Status == "" {
			f.Status = model.StatusOpen
		}
		f.UID = model.FindingUID(f.Round, f.Target, f.Indicator, f.Subject)
	}
	a.out = dedupe(a.out)
	model.SortFindings(a.out)
	return a.out
}

type analyzer struct {
	cat  *catalog.Catalogue
	asOf time.Time
	c    *probe.Capture
	out  []model.Finding
}

func (a *analyzer) add(ind, subject, detail, conf string, ev ...model.Evidence) *model.Finding {
	if a.cat != nil && a.cat.Indicator(ind) == nil {
		return nil // the office's catalogue dropped it
	}
	a.out = append(a.out, model.Finding{Indicator: ind, Subject: subject, Detail: detail, Confidence: conf, Evidence: ev})
	return &a.out[len(a.out)-1]
}

func (a *analyzer) home() *probe.Page {
	for _, p := range a.c.Pages {
		if p.Role == probe.RoleHome {
			return p
		}
	}
	return nil
}

// siteRoot is the subject of whole-site findings: the root of the host
// the home page finally came from.
func siteRoot(p *probe.Page, fallback string) string {
	s := fallback
	if p != nil && p.FinalURL != "" {
		s = p.FinalURL
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return fallback
	}
	return u.Scheme + "://" + u.Host + "/"
}

func snippet(s string, n int) string {
	s = read.Clean(s)
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func ev(p *probe.Page, snip string) model.Evidence {
	if p == nil {
		return model.Evidence{Snippet: snip}
	}
	u := p.FinalURL
	if u == "" {
		u = p.URL
	}
	return model.Evidence{URL: u, Snippet: snip, At: p.FetchedAt, Screenshot: p.Screenshot}
}

// pageHTML is the DOM to read: rendered when the browser saw it (lists
// drawn by scripts), else as served.
func pageHTML(p *probe.Page) string {
	if p.Rendered != "" {
		return p.Rendered
	}
	return p.Raw
}

// VisitFailed reports whether a page fetch counts as a failed visit: no
// answer in time, or an error status.
func pageFailed(p *probe.Page) bool {
	return p == nil || p.Err != "" || p.Status == 0 || p.Status >= 400
}

func (a *analyzer) site() {
	t := a.c.Target
	home := a.home()
	a.registeredDomain()
	if reason, down := a.unreachable(home); down {
		if t.Status == model.StatusClosed {
			return // filed as 关停: refusing connections is what was filed
		}
		detail := msgs.F("site.unreachable", reason)
		a.add(IndUnreachable, t.URL, detail, model.ConfSuspect, model.Evidence{URL: t.URL, Snippet: snippet(reason, 200), At: a.c.Started})
		if t.Status == model.StatusRunning {
			a.add(IndOfflineUnfiled, t.URL, msgs.F("site.offline_unfiled", reason), model.ConfSuspect,
				model.Evidence{URL: t.URL, Snippet: snippet(reason, 200), At: a.c.Started})
		}
		return
	}
	root := siteRoot(home, t.URL)
	a.domainChanged(home, root)
	a.freshness(home, root)
	a.links()
}

// unreachable judges this run's attempts: down when every visit failed.
func (a *analyzer) unreachable(home *probe.Page) (string, bool) {
	visits := a.c.Visits
	if len(visits) == 0 {
		if !pageFailed(home) {
			return "", false
		}
		if home == nil {
			return msgs.F("site.home_missing", errSuffix(a.c.Err)), true
		}
		return describeFailure(home.Status, home.Err), true
	}
	var reasons []string
	for _, v := range visits {
		if v.OK {
			return "", false
		}
		reasons = append(reasons, fmt.Sprintf("%s %s (%d ms)", v.At.Format("2006-01-02 15:04:05"), v.Err, v.Millis))
	}
	return msgs.F("site.visits_failed", len(visits), strings.Join(reasons, "; ")), true
}

func errSuffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

func describeFailure(status int, err string) string {
	if err != "" {
		return err
	}
	return fmt.Sprintf("HTTP %d", status)
}

// registeredDomain: a registered home page not under .gov.cn / .政务.
func (a *analyzer) registeredDomain() {
	u, err := url.Parse(a.c.Target.URL)
	if err != nil || u.Host == "" {
		return
	}
	if !GovHost(u.Hostname()) {
		a.add(IndDomainChanged, a.c.Target.URL, msgs.F("site.domain_not_gov", u.Hostname()), model.ConfCertain,
			model.Evidence{URL: a.c.Target.URL, Snippet: u.Hostname(), At: a.c.Started})
	}
}

// GovHost reports a host under .gov.cn or .政务 (also in punycode).
func GovHost(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	return strings.HasSuffix(h, ".gov.cn") || strings.HasSuffix(h, ".政务") || strings.HasSuffix(h, ".xn--zfr164b")
}

// domainChanged: the registered URL redirects to another host (not a
// move within the same host, such as / → /index.html).
func (a *analyzer) domainChanged(home *probe.Page, root string) {
	if home == nil {
		return
	}
	reg, err1 := url.Parse(a.c.Target.URL)
	fin, err2 := url.Parse(home.FinalURL)
	if err1 != nil || err2 != nil || fin.Host == "" {
		return
	}
	if strings.EqualFold(reg.Hostname(), fin.Hostname()) {
		return
	}
	chain := append(append([]string(nil), home.Redirects...), home.FinalURL)
	a.add(IndDomainChanged, root, msgs.F("site.domain_changed", a.c.Target.URL, fin.Hostname()), model.ConfCertain,
		model.Evidence{URL: a.c.Target.URL, Snippet: strings.Join(chain, " → "), At: home.FetchedAt, Screenshot: home.Screenshot})
}

// dedupe merges findings with one identity (a detector and a rule naming
// the same subject): the store keeps one finding per UID.
func dedupe(fs []model.Finding) []model.Finding {
	at := map[string]int{}
	out := fs[:0]
	for _, f := range fs {
		if i, ok := at[f.UID]; ok {
			out[i].Evidence = append(out[i].Evidence, f.Evidence...)
			out[i].Count += f.Count
			continue
		}
		at[f.UID] = len(out)
		out = append(out, f)
	}
	return out
}
