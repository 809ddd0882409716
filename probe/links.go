package probe

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"inspector/probe/read"
)

// linkResult is one URL's check, shared by every page and target linking
// it in the run.
type linkResult struct {
	Status int
	Result string
	Err    string
}

// checkLinks checks every link, image, script and attachment of the home
// page and every link of the other pages, each URL once, and records the
// pages linking each.
func (s *session) checkLinks(ctx context.Context) {
	for _, p := range s.c.Pages {
		if p.Err != "" {
			continue
		}
		onHome := p.Role == RoleHome || p.Role == RoleAccount && p.From == ""
		for _, l := range p.Links {
			if !onHome && l.Tag != "a" && l.Tag != "img" && l.Tag != "iframe" {
				continue
			}
			lc, ok := s.links[l.Href]
			if !ok {
				if len(s.order) >= s.p.cfg.MaxLinks {
					continue
				}
				lc = &LinkCheck{URL: l.Href}
				s.links[l.Href] = lc
				s.order = append(s.order, l.Href)
			}
			if onHome {
				lc.OnHome = true
			}
			if len(lc.From) == 0 || lc.From[len(lc.From)-1] != p.URL {
				lc.From = appendUnique(lc.From, p.URL)
			}
		}
	}
	jobs := make(chan *LinkCheck)
	done := make(chan struct{})
	workers := s.p.cfg.PerHost * 2
	for i := 0; i < workers; i++ {
		go func() {
			for lc := range jobs {
				res := s.p.checkURL(ctx, s, lc.URL)
				lc.Status, lc.Result, lc.Err = res.Status, res.Result, res.Err
			}
			done <- struct{}{}
		}()
	}
	for _, u := range s.order {
		if ctx.Err() != nil {
			break
		}
		jobs <- s.links[u]
	}
	close(jobs)
	for i := 0; i < workers; i++ {
		<-done
	}
	for _, u := range s.order {
		if lc := s.links[u]; lc.Result != "" {
			s.c.Links = append(s.c.Links, *lc)
		}
	}
}

func appendUnique(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// skipHost decides that a link is not fetched: a suspected spam host, or
// a host outside the mapped ones when unmapped hosts are blocked.
func (p *Prober) skipHost(host string) (string, bool) {
	if SpamHost != nil && SpamHost(host) {
		return "suspected spam host: judged unseen", true
	}
	if p.cfg.BlockUnmapped {
		if _, ok := p.cfg.mapped(host); !ok {
			return "host outside the mapped hosts (--block-unmapped)", true
		}
	}
	return "", false
}

// checkURL checks one URL, once per run. Same-site pages are fetched with
// GET (a soft 404 shows only in the body); the rest with HEAD, then GET
// where HEAD is refused. 403/429 are re-checked in the browser.
func (p *Prober) checkURL(ctx context.Context, s *session, u string) linkResult {
	pu, err := url.Parse(u)
	if err != nil {
		return linkResult{Result: LinkBroken, Err: "bad URL: " + err.Error()}
	}
	if why, skip := p.skipHost(pu.Hostname()); skip {
		return linkResult{Result: LinkSkipped, Err: why}
	}
	// A same-site page may be a soft 404 whose look is learnt per site, so
	// its result is cached per site, not per run.
	same := s.host != "" && read.SameSite(pu.Host, s.host) && !isBinaryPath(pu.Path)
	key := u
	if same {
		key = s.host + "|" + u
	}
	v := p.links.Do(key, func() any {
		var r *Response
		if same {
			r = p.fetch.GetSmall(ctx, u, 256<<10)
		} else {
			r = p.fetch.Head(ctx, u)
			if r.Err != nil || r.Status == http.StatusMethodNotAllowed || r.Status == http.StatusNotImplemented ||
				r.Status == http.StatusForbidden || r.Status == http.StatusBadRequest || r.Status == http.StatusNotFound {
				r = p.fetch.GetSmall(ctx, u, 64<<10)
			}
		}
		res := linkResult{Status: r.Status, Err: r.ErrString()}
		switch {
		case ctx.Err() != nil:
			res.Result = "" // not judged: the run was stopped
		case r.Err != nil:
			res.Result = LinkBroken
		case r.Status == http.StatusForbidden || r.Status == http.StatusTooManyRequests || challenge(r):
			res.Result = p.recheckInBrowser(ctx, s, u, r.Status)
		case r.Status >= 400:
			res.Result = LinkBroken
		case same && s.soft.looksBroken(r):
			res.Result = LinkBroken
			res.Err = "soft 404: a 200 answer that is the site's error page"
		case isBinaryPath(pu.Path) && strings.Contains(strings.ToLower(r.ContentType), "text/html") && !strings.HasSuffix(strings.ToLower(pu.Path), ".js") && !strings.HasSuffix(strings.ToLower(pu.Path), ".css"):
			// An image or attachment answered by an HTML page: the
			// site's error page served with 200.
			res.Result = LinkBroken
			res.Err = "soft 404: a file answered with an HTML page"
		default:
			res.Result = LinkOK
		}
		return res
	})
	return v.(linkResult)
}

// challenge spots an anti-bot interstitial served with 200.
func challenge(r *Response) bool {
	if r.Status != 200 || len(r.Body) > 20000 {
		return false
	}
	b := strings.ToLower(r.Body)
	return strings.Contains(b, "cf-challenge") || strings.Contains(b, "captcha") && strings.Contains(b, "verify")
}

// recheckInBrowser opens a refused URL in the browser once: still refused
// means blocked (shown, not deducted); answered means ok.
func (p *Prober) recheckInBrowser(ctx context.Context, s *session, u string, status int) string {
	if s.tab == nil {
		return LinkBlocked
	}
	r, err := s.tab.Render(ctx, u, false)
	switch {
	case err != nil || r == nil || r.Status == 0 || r.Status == http.StatusForbidden || r.Status == http.StatusTooManyRequests:
		return LinkBlocked
	case r.Status >= 400:
		return LinkBroken
	}
	return LinkOK
}
