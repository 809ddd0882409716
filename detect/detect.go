// Package detect holds the content detectors: pure functions over a
// captured page (raw HTML, rendered DOM, links with their visibility,
// crawler-variant fetches) that turn what the probe saw into findings —
// spam, 暗链 and defacement, interaction and service channels, garbled
// text, and new-media account checks. Word lists are data in
// assets/lexicons/, loaded once.
package detect

import (
	"strings"
	"time"

	"inspector/catalog"
	"inspector/model"
	"inspector/probe"
)

// Run returns the content findings for one target's capture (security,
// interaction, services, garbled, search, error entry; accounts: stale,
// interaction, menu, security).
func Run(cat *catalog.Catalogue, asOf time.Time, c *probe.Capture) []model.Finding {
	if c == nil {
		return nil
	}
	mustLex()
	r := newRun(cat, asOf, c)
	r.security()
	if r.kind == model.KindAccount {
		r.account()
	} else {
		r.interaction()
		r.services()
		r.guides()
		r.search()
		r.errorEntry()
		r.garbled()
	}
	model.SortFindings(r.out)
	return r.out
}

// run is one Run's state: the capture, and each page read once.
type run struct {
	cat  *catalog.Catalogue
	asOf time.Time
	c    *probe.Capture
	kind string
	own  map[string]bool // the target's own hosts
	// secHosts gathers security evidence by spam host, one finding each
	secHosts map[string]*collector
	home     *probe.Page
	pages    []*pageRead
	out      []model.Finding
}

// pageRead is a page with its static reading.
type pageRead struct {
	p        *probe.Page
	url      string
	v        *view // of the rendered DOM when there is one, else the raw HTML
	raw      *view // of the raw HTML when the page was rendered (nil otherwise)
	rendered bool
}

// visibleText is the page's visible text: the browser's when rendered.
func (pr *pageRead) visibleText() string {
	if pr.rendered && strings.TrimSpace(pr.p.Text) != "" {
		return pr.p.Text
	}
	return pr.v.text
}

func newRun(cat *catalog.Catalogue, asOf time.Time, c *probe.Capture) *run {
	r := &run{cat: cat, asOf: asOf, c: c, kind: c.Target.Kind, own: map[string]bool{}, secHosts: map[string]*collector{}}
	if r.kind == "" {
		r.kind = model.KindSite
	}
	if h := hostOf(c.Target.URL); h != "" {
		r.own[h] = true
	}
	for _, p := range c.Pages {
		if p == nil {
			continue
		}
		if r.home == nil && (p.Role == probe.RoleHome || p.Role == "") {
			r.home = p
		}
	}
	if r.home == nil && len(c.Pages) > 0 {
		r.home = c.Pages[0]
	}
	if r.home != nil {
		if h := hostOf(pageURL(r.home)); h != "" && (len(r.own) == 0 || !SpamHost(h)) {
			r.own[h] = true
		}
	}
	for _, p := range c.Pages {
		if p == nil || !isHTML(p) {
			continue
		}
		pr := &pageRead{p: p, url: pageURL(p)}
		if p.Rendered != "" {
			pr.rendered = true
			pr.v = readHTML(p.Rendered, pr.url, r.sheet)
			if p.Raw != "" {
				pr.raw = readHTML(p.Raw, pr.url, r.sheet)
			}
		} else {
			pr.v = readHTML(p.Raw, pr.url, r.sheet)
		}
		r.pages = append(r.pages, pr)
	}
	return r
}

func pageURL(p *probe.Page) string {
	if p.FinalURL != "" {
		return p.FinalURL
	}
	return p.URL
}

// isHTML: pages worth reading as documents (not style sheets, scripts, images).
func isHTML(p *probe.Page) bool {
	ct := strings.ToLower(p.ContentType)
	if ct != "" && !strings.Contains(ct, "html") && !strings.Contains(ct, "xml") && !strings.Contains(ct, "text/plain") {
		return false
	}
	u := strings.ToLower(p.URL)
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if strings.HasSuffix(u, ".css") || strings.HasSuffix(u, ".js") {
		return false
	}
	return p.Raw != "" || p.Rendered != ""
}

// sheet returns a linked style sheet's text when the probe fetched it.
func (r *run) sheet(href string) string {
	if href == "" {
		return ""
	}
	for _, p := range r.c.Pages {
		if p != nil && (p.URL == href || p.FinalURL == href) && p.Status < 400 {
			return p.Raw
		}
	}
	return ""
}

// outsider: an external, non-government host.
func (r *run) outsider(h string) bool {
	if h == "" || govHost(h) {
		return false
	}
	for o := range r.own {
		if sameSite(h, o) {
			return false
		}
	}
	return true
}

// indicator returns the code for this target's kind, or "" when the
// catalogue does not carry it.
func (r *run) indicator(name string) string {
	code := r.kind + "." + name
	if r.cat != nil && r.cat.Indicator(code) == nil {
		return ""
	}
	return code
}

func (r *run) add(name, subject, detail, conf string, ev []model.Evidence, count int) {
	code := r.indicator(name)
	if code == "" {
		return
	}
	if len(ev) > 30 {
		ev = ev[:30]
	}
	r.out = append(r.out, model.Finding{
		UID:        model.FindingUID(r.c.Round, r.c.Target.Code, code, subject),
		Round:      r.c.Round,
		Target:     r.c.Target.Code,
		Kind:       r.kind,
		Indicator:  code,
		Status:     model.StatusOpen,
		Source:     model.SourceProbe,
		Subject:    subject,
		Detail:     detail,
		Confidence: conf,
		Evidence:   ev,
		Count:      count,
	})
}

func evidence(p *probe.Page, snippet string) model.Evidence {
	e := model.Evidence{Snippet: snippet}
	if p != nil {
		e.URL = pageURL(p)
		e.At = p.FetchedAt
		e.Screenshot = p.Screenshot
	}
	return e
}
