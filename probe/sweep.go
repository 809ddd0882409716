package probe

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"inspector/model"
	"inspector/probe/read"
)

// SpamHost, when set (the command line wires it to the detectors'
// judgement), marks hosts whose links are never fetched: they are judged
// from their text and address alone.
var SpamHost func(host string) bool

// Roles of pages beyond those of capture.go.
const (
	// RoleList is a further page (下一页) of a column's list.
	RoleList = "list"
	// RoleService is an online-services page that lists service guides.
	RoleService = "service"
)

// Progress reports one finished target.
type Progress struct {
	Target  string
	Name    string
	Done    int
	Total   int
	Pages   int
	Links   int
	Err     string
	Elapsed time.Duration
	// Warning is set once when the run degrades (no browser).
	Warning string
}

// Crawler and visitor variants of the home page (cloaking evidence).
var variants = []Variant{
	{Name: "baiduspider", UserAgent: "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"},
	{Name: "360spider", UserAgent: "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/50.0.2661.102 Safari/537.36; 360Spider"},
	{Name: "sogou", UserAgent: "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)"},
	{Name: "googlebot", UserAgent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
	{Name: "mobile", UserAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 13_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Mobile/15E148 Safari/604.1"},
	{Name: "referer-baidu", UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/85.0 Safari/537.36", Referer: "https://www.baidu.com/s?wd=%E6%94%BF%E5%BA%9C"},
	{Name: "referer-so", UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/85.0 Safari/537.36", Referer: "https://www.so.com/s?q=%E6%94%BF%E5%BA%9C"},
}

// Prober probes targets; one per run (its caches are the round's).
type Prober struct {
	cfg     Config
	fetch   *Fetcher
	browser *Browser
	links   *Cache // URL → *linkResult, shared by every target of the run
	round   string
	asOf    time.Time
}

// NewProber prepares a run: the fetcher and, unless NoBrowser, Chromium.
// A browser that cannot start degrades the run to raw HTML; the returned
// warning says so.
func NewProber(cfg Config, round string, asOf time.Time) (*Prober, string) {
	cfg = cfg.Defaults()
	p := &Prober{cfg: cfg, fetch: NewFetcher(cfg), links: NewCache(), round: round, asOf: asOf}
	warn := ""
	if !cfg.NoBrowser {
		b, err := NewBrowser(cfg)
		if err != nil {
			warn = "no browser, raw HTML only: " + err.Error()
		} else {
			p.browser = b
		}
	}
	return p, warn
}

// Close stops the browser and drops connections.
func (p *Prober) Close() {
	if p.browser != nil {
		p.browser.Close()
	}
	p.fetch.Close()
}

// Run probes targets with cfg.Concurrency workers and hands each finished
// capture to sink (called from one goroutine at a time). Cancelling ctx
// stops within seconds; a target cut short is not handed to sink, so a
// resumed run probes it again.
func Run(ctx context.Context, cfg Config, targets []model.Target, round string, asOf time.Time, sink func(*Capture) error, progress func(Progress)) error {
	p, warn := NewProber(cfg, round, asOf)
	defer p.Close()
	if warn != "" && progress != nil {
		progress(Progress{Total: len(targets), Warning: warn})
	}
	return p.Run(ctx, targets, sink, progress)
}

// Run probes targets (see the package-level Run).
func (p *Prober) Run(ctx context.Context, targets []model.Target, sink func(*Capture) error, progress func(Progress)) error {
	jobs := make(chan model.Target)
	var (
		mu      sync.Mutex
		done    int
		sinkErr error
		wg      sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for w := 0; w < p.cfg.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tab *Tab
			if p.browser != nil {
				tab = p.browser.Tab()
				defer tab.Close()
			}
			for t := range jobs {
				start := time.Now()
				c := p.Probe(ctx, tab, t)
				if ctx.Err() != nil {
					return
				}
				mu.Lock()
				if sinkErr == nil && sink != nil {
					if err := sink(c); err != nil {
						sinkErr = fmt.Errorf("store capture of %s: %w", t.Code, err)
						cancel()
					}
				}
				done++
				if progress != nil {
					progress(Progress{Target: t.Code, Name: t.Name, Done: done, Total: len(targets), Pages: len(c.Pages), Links: len(c.Links), Err: c.Err, Elapsed: time.Since(start)})
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, t := range targets {
		select {
		case jobs <- t:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if sinkErr != nil {
		return sinkErr
	}
	return ctx.Err()
}

// session is the probe of one target.
type session struct {
	p     *Prober
	tab   *Tab
	c     *Capture
	pages map[string]*Page // by requested URL: each fetched once
	links map[string]*LinkCheck
	order []string
	soft  *softPrint
	host  string // final host of the home page
}

// Probe visits one target and returns what it saw. tab may be nil (no
// browser).
func (p *Prober) Probe(ctx context.Context, tab *Tab, t model.Target) *Capture {
	c := &Capture{Target: t, Round: p.round, Started: time.Now(), Shots: map[string][]byte{}}
	s := &session{p: p, tab: tab, c: c, pages: map[string]*Page{}, links: map[string]*LinkCheck{}}
	defer func() { c.Finished = time.Now() }()
	if t.URL == "" {
		c.Err = "no URL in the registry"
		return c
	}
	if t.Kind == model.KindAccount {
		s.account(ctx)
		return c
	}
	s.site(ctx)
	return c
}

// visitHome tries the home page up to Attempts times (availability
// evidence) and returns the first successful response, else the last.
func (s *session) visitHome(ctx context.Context) *Response {
	var r *Response
	for i := 0; i < s.p.cfg.Attempts; i++ {
		if i > 0 && sleepCtx(ctx, time.Second) != nil {
			break
		}
		r = s.p.fetch.Get(ctx, s.c.Target.URL)
		v := Visit{At: r.FetchedAt, Millis: r.Millis, OK: r.Err == nil && r.Status > 0 && r.Status < 400}
		if !v.OK {
			v.Err = describe(r)
		}
		s.c.Visits = append(s.c.Visits, v)
		if v.OK {
			break
		}
	}
	return r
}

func describe(r *Response) string {
	if r.Err != nil {
		return r.Err.Error()
	}
	return fmt.Sprintf("HTTP %d", r.Status)
}

// entry opens the target's registered page (a site's home page, an
// account's public page), records it and renders it; nil when it did not
// open, with the reason in the capture.
func (s *session) entry(ctx context.Context, role, what string) *Page {
	r := s.visitHome(ctx)
	p := s.pageFrom(r, role, "", "")
	s.pages[s.c.Target.URL] = p
	s.c.Pages = append(s.c.Pages, p)
	if !r.OK() {
		s.c.Err = what + ": " + describe(r)
		return nil
	}
	if u, err := url.Parse(p.FinalURL); err == nil {
		s.host = u.Host
	}
	s.render(ctx, p, true)
	return p
}

func (s *session) site(ctx context.Context) {
	home := s.entry(ctx, RoleHome, "home page")
	if home == nil {
		return
	}
	s.variants(ctx, home)
	s.soft = s.learnErrorPage(ctx, home.FinalURL)

	dom := pageDOM(home)
	// Columns from the home page, then from navigation-only column pages.
	cols := read.Columns(dom, home.FinalURL)
	var colPages []*Page
	for i := 0; i < len(cols) && len(colPages) < s.p.cfg.MaxColumns && ctx.Err() == nil; i++ {
		cl := cols[i]
		cp := s.get(ctx, cl.URL, RoleColumn, home.URL, cl.Name)
		if cp == nil {
			continue
		}
		colPages = append(colPages, cp)
		l := s.readList(ctx, cp)
		if cp.LinkText == "" {
			cp.LinkText = cp.Title
		}
		if l.Dated == 0 && !l.Blank && cl.Via != "sub" {
			// A navigation page: its own columns are second-level.
			for _, sub := range read.Columns(pageDOM(cp), cp.FinalURL) {
				if sub.Via == "more" || len(cols) < 3*s.p.cfg.MaxColumns {
					cols = append(cols, read.ColumnLink{URL: sub.URL, Name: sub.Name, Via: "sub"})
				}
			}
		}
		// Further list pages, so that every recent article is seen (broken
		// links and garbled text hide in any of them).
		items := l.Items
		lp := cp
		for k := 1; k < s.p.cfg.ListPages && ctx.Err() == nil; k++ {
			next := read.NextPage(pageDOM(lp), lp.FinalURL)
			if next == "" {
				break
			}
			if _, seen := s.pages[next]; seen {
				break
			}
			lp = s.get(ctx, next, RoleList, cp.URL, cp.LinkText)
			if lp == nil || lp.Err != "" {
				break
			}
			items = append(items, s.readList(ctx, lp).Items...)
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].Date.After(items[j].Date) })
		for i := 0; i < len(items) && i < s.p.cfg.ArticlesPerColumn; i++ {
			s.get(ctx, items[i].URL, RoleArticle, cp.URL, items[i].Title)
		}
	}
	// The home page's own newest items.
	items := read.Items(dom, home.FinalURL, s.p.asOf)
	sort.SliceStable(items, func(i, j int) bool { return items[i].Date.After(items[j].Date) })
	for i := 0; i < len(items) && i < 10; i++ {
		s.get(ctx, items[i].URL, RoleArticle, home.URL, items[i].Title)
	}
	s.detectorPages(ctx, home)
	s.checkLinks(ctx)
}

// readList reads a list page, rendering it when the raw HTML shows no
// dated entry (lists drawn by scripts from XHR, JSON or XML in a <script>).
func (s *session) readList(ctx context.Context, p *Page) read.List {
	l := read.ReadList(pageDOM(p), p.FinalURL, s.p.asOf)
	if l.Dated == 0 && p.Rendered == "" && p.Err == "" {
		s.render(ctx, p, false)
		l = read.ReadList(pageDOM(p), p.FinalURL, s.p.asOf)
	}
	return l
}

// detectorPages fetches the pages the content detectors read: the
// consultation channels and the online services with their guides.
func (s *session) detectorPages(ctx context.Context, home *Page) {
	count := map[string]int{}
	for _, l := range home.Links {
		if l.Tag != "a" || ctx.Err() != nil {
			continue
		}
		role := read.PageRole(l.Text)
		if role == "" || count[role] >= 4 || !s.sameSite(l.Href) {
			continue
		}
		count[role]++
		first := role
		if role == RoleGuide {
			first = RoleService // the guides are listed on it
		}
		p := s.get(ctx, l.Href, first, home.URL, l.Text)
		if p == nil || p.Err != "" {
			continue
		}
		// One level further: guides listed on a service page, messages
		// listed on a consultation page.
		lst := s.readList(ctx, p)
		n := 0
		for _, it := range lst.Items {
			if n >= 10 || ctx.Err() != nil {
				break
			}
			if s.sameSite(it.URL) {
				s.get(ctx, it.URL, role, p.URL, it.Title)
				n++
			}
		}
		if role == RoleGuide {
			for _, a := range p.Links {
				if n >= 10 || ctx.Err() != nil {
					break
				}
				if a.Tag == "a" && read.PageRole(a.Text) == RoleGuide && s.sameSite(a.Href) {
					if _, seen := s.pages[a.Href]; !seen {
						s.get(ctx, a.Href, role, p.URL, a.Text)
						n++
					}
				}
			}
		}
	}
}

func (s *session) sameSite(u string) bool {
	pu, err := url.Parse(u)
	return err == nil && read.SameSite(pu.Host, s.host)
}

// account fetches an account's public page, when it has one.
func (s *session) account(ctx context.Context) {
	p := s.entry(ctx, RoleAccount, "account page")
	if p == nil {
		return
	}
	// Menu entries of the account page (account.deduct.menu) before the
	// posts it lists: a page cap must not leave the menu unopened.
	posts := map[string]bool{}
	for _, it := range read.Items(pageDOM(p), p.FinalURL, s.p.asOf) {
		posts[it.URL] = true
	}
	inMenu := read.MenuLinks(read.Parse(pageDOM(p)), p.FinalURL)
	var menu, other, rest []Link
	for _, l := range p.Links {
		if l.Tag != "a" || !s.sameSite(l.Href) {
			continue
		}
		switch {
		case inMenu[l.Href]:
			menu = append(menu, l)
		case posts[l.Href]:
			rest = append(rest, l)
		default:
			other = append(other, l)
		}
	}
	for _, l := range append(append(menu, other...), rest...) {
		if len(s.c.Pages) >= 12 || ctx.Err() != nil {
			break
		}
		s.get(ctx, l.Href, RoleAccount, p.URL, l.Text)
	}
	s.checkLinks(ctx)
}

// pageFrom turns a response into a page with links read from the raw HTML.
func (s *session) pageFrom(r *Response, role, from, linkText string) *Page {
	p := &Page{URL: r.URL, FinalURL: r.FinalURL, Redirects: r.Redirects, Status: r.Status, ContentType: r.ContentType,
		Charset: r.Charset, Role: role, From: from, LinkText: linkText, Raw: r.Body, FetchedAt: r.FetchedAt,
		Millis: r.Millis, Err: r.ErrString(), Truncated: r.Truncated}
	if r.Body != "" {
		doc := read.Parse(r.Body)
		p.Title = read.Title(doc)
		p.Text = read.Text(doc)
		for _, a := range read.Anchors(doc, p.FinalURL) {
			p.Links = append(p.Links, Link{Href: a.Href, Text: a.Text, Tag: a.Tag, Visible: a.Hidden == "", Hidden: a.Hidden})
		}
	}
	return p
}

// get fetches a page once per target (the fetch cache is the target's
// page map), appends it to the capture and returns it.
func (s *session) get(ctx context.Context, u, role, from, linkText string) *Page {
	if p, ok := s.pages[u]; ok {
		return p
	}
	if ctx.Err() != nil || len(s.c.Pages) >= 400 {
		return nil
	}
	pu, err := url.Parse(u)
	if err != nil || isBinaryPath(pu.Path) {
		return nil
	}
	r := s.p.fetch.Get(ctx, u)
	if r.Err == nil && !isText(r.ContentType) {
		return nil // an attachment, not a page; the link check covers it
	}
	p := s.pageFrom(r, role, from, linkText)
	s.pages[u] = p
	s.c.Pages = append(s.c.Pages, p)
	return p
}

func isBinaryPath(p string) bool {
	p = strings.ToLower(p)
	for _, ext := range []string{".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".7z", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".wps", ".ppt", ".pptx", ".mp4", ".mp3", ".avi", ".exe", ".apk", ".css", ".js", ".ico", ".svg", ".webp"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// render runs a page through the browser, replacing raw links by the
// rendered ones (with visibility) and marking those written by scripts.
func (s *session) render(ctx context.Context, p *Page, shot bool) {
	if s.tab == nil || p.Err != "" || p.Raw == "" {
		return
	}
	r, err := s.tab.Render(ctx, p.FinalURL, shot)
	if err != nil || r == nil {
		if err != nil && ctx.Err() == nil {
			p.Err = "" // the raw fetch stands; note the render failure in the text of the capture
			s.c.Err = appendErr(s.c.Err, err.Error())
		}
		return
	}
	raw := map[string]bool{}
	for _, l := range p.Links {
		raw[l.Href] = true
	}
	for i := range r.Links {
		r.Links[i].ScriptOnly = !raw[r.Links[i].Href]
	}
	p.Rendered, p.Links = r.DOM, r.Links
	if r.Text != "" {
		p.Text = r.Text
	}
	if r.Title != "" {
		p.Title = r.Title
	}
	if len(r.Shot) > 0 {
		sum := sha256.Sum256(r.Shot)
		h := hex.EncodeToString(sum[:])
		s.c.Shots[h] = r.Shot
		p.Screenshot = h
	}
}

func appendErr(a, b string) string {
	if a == "" {
		return b
	}
	if len(a) > 2000 {
		return a
	}
	return a + "; " + b
}

// pageDOM is the DOM to read: rendered when available.
func pageDOM(p *Page) string {
	if p.Rendered != "" {
		return p.Rendered
	}
	return p.Raw
}

// variants fetches the home page as crawlers, a phone and a visitor from
// a search engine; the search-engine visit is also rendered, because
// cloaked redirects are often written by script.
func (s *session) variants(ctx context.Context, home *Page) {
	for _, v := range variants {
		if ctx.Err() != nil {
			return
		}
		r := s.p.fetch.GetAs(ctx, home.URL, v.UserAgent, v.Referer)
		v.Status, v.FinalURL, v.Redirects, v.Raw, v.Err = r.Status, r.FinalURL, r.Redirects, r.Body, r.ErrString()
		if v.Referer != "" && s.tab != nil && r.OK() {
			if rr, err := s.tab.RenderAs(ctx, home.URL, v.Referer); err == nil {
				v.Rendered, v.Location = rr.DOM, rr.FinalURL
			}
		}
		s.c.Variants = append(s.c.Variants, v)
	}
}

// softPrint is what a site's error page looks like, learnt by asking for
// a path that cannot exist.
type softPrint struct {
	status int
	title  string
	size   int
	final  string
}

func (s *session) learnErrorPage(ctx context.Context, home string) *softPrint {
	u, err := url.Parse(home)
	if err != nil {
		return nil
	}
	sum := sha256.Sum256([]byte(home + s.p.round))
	probe := u.Scheme + "://" + u.Host + "/inspector-" + hex.EncodeToString(sum[:6]) + "-no-such-page.html"
	r := s.p.fetch.GetSmall(ctx, probe, 256<<10)
	if r.Err != nil {
		return nil
	}
	return &softPrint{status: r.Status, title: read.Title(read.Parse(r.Body)), size: len(r.Body), final: r.FinalURL}
}

// looksBroken judges a 200 answer: the site's error page, or a page that
// says it is missing.
func (sp *softPrint) looksBroken(r *Response) bool {
	if r.Body == "" {
		return false
	}
	title := read.Title(read.Parse(r.Body))
	if sp != nil && sp.status >= 200 && sp.status < 300 {
		if r.FinalURL == sp.final && r.URL != sp.final {
			return true // redirected to the same error page
		}
		if title != "" && title == sp.title && absInt(len(r.Body)-sp.size) < 512 {
			return true
		}
	}
	if _, ok := read.NotFoundMarker(title); ok {
		return true
	}
	return false
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
