package probe

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ChromeDefaultPath is where Debian installs Chromium.
const ChromeDefaultPath = "/usr/lib/chromium/chromium"

// FindChrome returns the browser executable: the configured path, the
// Debian Chromium, or a chromium/chrome in PATH.
func FindChrome(configured string) (string, error) {
	if configured != "" {
		if _, err := os.Stat(configured); err != nil {
			return "", fmt.Errorf("browser %s: %w", configured, err)
		}
		return configured, nil
	}
	if _, err := os.Stat(ChromeDefaultPath); err == nil {
		return ChromeDefaultPath, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium or Chrome found (looked at " + ChromeDefaultPath + " and PATH)")
}

// Browser is the one headless Chromium of a run. Tabs are handed to
// workers; a crashed browser is restarted for the next page.
type Browser struct {
	cfg      Config
	execPath string

	mu          sync.Mutex
	gen         int
	dir         string
	allocCancel context.CancelFunc
	ctx         context.Context // browser context
	cancel      context.CancelFunc
	closed      bool
	pid         int // the browser process, 0 if unknown

	memMu   sync.Mutex
	memAt   time.Time
	memOver bool
}

// Screen size of the first-screen screenshot.
const (
	screenW = 1280
	screenH = 800
)

// NewBrowser starts Chromium with the run's resolver rules.
func NewBrowser(cfg Config) (*Browser, error) {
	cfg = cfg.Defaults()
	p, err := FindChrome(cfg.ChromePath)
	if err != nil {
		return nil, err
	}
	b := &Browser{cfg: cfg, execPath: p}
	if err := b.start(); err != nil {
		return nil, err
	}
	return b, nil
}

// chromeFlag is one command-line switch of the browser; Value is true for
// a bare switch.
type chromeFlag struct {
	Name  string
	Value any
}

// chromeFlags are the switches the browser starts with, beyond chromedp's
// defaults (headless and the rest): profile in dir, no background traffic
// of its own, every host resolved by the run's rules. The sandbox stays on
// unless euid is root, where Chromium refuses to start with it.
func chromeFlags(cfg Config, dir string, euid int) []chromeFlag {
	fl := []chromeFlag{
		{"disable-gpu", true},
		{"enable-unsafe-swiftshader", true},
		{"user-data-dir", dir},
		{"disable-component-update", true},
		{"disable-background-networking", true},
		{"disable-sync", true},
		{"no-first-run", true},
		{"window-size", fmt.Sprintf("%d,%d", screenW, screenH)},
		// No prefetch, no DNS of its own: every connection is ours.
		{"dns-prefetch-disable", true},
		{"disable-domain-reliability", true},
		// Memory: one renderer per tab instead of one per site visited.
		// Site isolation would start a process for every host (and keep
		// the last ones for the back/forward cache and a spare); the
		// probe holds no logins or cookies worth isolating, and the
		// sandbox stays. chromedp's own disable-features are repeated,
		// as a later flag replaces an earlier one.
		{"disable-site-isolation-trials", true},
		{"disable-features", "Translate,BlinkGenPropertyTrees,SitePerProcess,IsolateOrigins,site-per-process,BackForwardCache,SpareRendererForSitePerProcess"},
		{"renderer-process-limit", strconv.Itoa(cfg.Defaults().Concurrency)},
		// No page of a government site needs more script heap; a page
		// that wants more fails alone instead of growing the browser.
		{"js-flags", "--max-old-space-size=512"},
	}
	if euid == 0 {
		fl = append(fl, chromeFlag{"no-sandbox", true})
	}
	if rules := cfg.hostResolverRules(); rules != "" {
		fl = append(fl, chromeFlag{"host-resolver-rules", rules})
	}
	return fl
}

func (b *Browser) start() error {
	dir, err := os.MkdirTemp("", "inspector-chrome-")
	if err != nil {
		return fmt.Errorf("browser profile: %w", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(b.execPath))
	for _, f := range chromeFlags(b.cfg, dir, os.Geteuid()) {
		opts = append(opts, chromedp.Flag(f.Name, f.Value))
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	startCtx, cancelStart := context.WithTimeout(bctx, 30*time.Second)
	defer cancelStart()
	// The first Do starts the browser; its lifetime is bound to bctx (not
	// the start timeout) because NewContext was made before. A browser
	// that does not come up in time is stopped, so Do cannot hang.
	hung := time.AfterFunc(30*time.Second, bcancel)
	err = chromedp.Do(bctx)
	hung.Stop()
	if err != nil {
		bcancel()
		acancel()
		os.RemoveAll(dir)
		return fmt.Errorf("start %s: %w", b.execPath, err)
	}
	if _, err := chromedp.CallBrowser(startCtx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorDeny}); err != nil {
		bcancel()
		acancel()
		os.RemoveAll(dir)
		return fmt.Errorf("deny downloads: %w", err)
	}
	pid := 0
	if c := chromedp.FromContext(bctx); c != nil && c.Browser != nil && c.Browser.Process() != nil {
		pid = c.Browser.Process().Pid
	}
	b.mu.Lock()
	b.gen++
	b.dir, b.ctx, b.cancel, b.allocCancel, b.pid = dir, bctx, bcancel, acancel, pid
	b.mu.Unlock()
	return nil
}

// overMemory reports whether the browser's processes hold more than
// MaxBrowserMemory (their summed RSS), sampled at most once a second.
func (b *Browser) overMemory() bool {
	b.mu.Lock()
	pid := b.pid
	b.mu.Unlock()
	if pid == 0 {
		return false
	}
	b.memMu.Lock()
	defer b.memMu.Unlock()
	if time.Since(b.memAt) >= time.Second {
		b.memAt = time.Now()
		b.memOver = treeRSS(pid) > b.cfg.MaxBrowserMemory
	}
	return b.memOver
}

// treeRSS sums the resident memory of root and its descendants, read
// from /proc (0 where there is none).
func treeRSS(root int) int64 {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	type proc struct {
		ppid int
		rss  int64
	}
	procs := map[int]proc{}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp session tty tpgid flags minflt
		// cminflt majflt cmajflt utime stime cutime cstime priority nice
		// threads itrealvalue starttime vsize rss ...
		i := strings.LastIndexByte(string(st), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(st[i+1:]))
		if len(f) < 22 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		pages, _ := strconv.ParseInt(f[21], 10, 64)
		procs[pid] = proc{ppid, pages * int64(os.Getpagesize())}
	}
	var sum int64
	for pid, p := range procs {
		for q, n := pid, 0; q > 1 && n < 64; q, n = procs[q].ppid, n+1 {
			if q == root {
				sum += p.rss
				break
			}
		}
	}
	return sum
}

func (b *Browser) stopLocked() {
	if b.cancel != nil {
		done := make(chan struct{})
		go func() {
			tctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
			defer cancel()
			_ = chromedp.Cancel(tctx)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(6 * time.Second):
		}
		b.cancel()
		b.allocCancel()
		os.RemoveAll(b.dir)
		b.cancel = nil
	}
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.stopLocked()
}

// restart replaces a crashed browser, once per generation.
func (b *Browser) restart(gen int) error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return errors.New("browser closed")
	}
	if b.gen != gen {
		b.mu.Unlock()
		return nil // someone else already restarted it
	}
	b.stopLocked()
	b.mu.Unlock()
	return b.start()
}

func (b *Browser) alive() (context.Context, int, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cancel == nil || b.ctx.Err() != nil {
		return nil, b.gen, false
	}
	return b.ctx, b.gen, true
}

// recycleMin is how many pages a tab renders before memory pressure
// recycles it: a browser that stays over its bound costs a new tab every
// few pages, not every page.
const recycleMin = 10

// Tab is one worker's reused browser tab: a new one (a new target, so the
// renderer of the old one can exit) after RestartEvery pages, or after
// recycleMin when the browser is over MaxBrowserMemory.
type Tab struct {
	mu     sync.Mutex // a tab runs one page at a time
	b      *Browser
	ctx    context.Context
	cancel context.CancelFunc
	gen    int
	pages  int
}

// Tab opens a tab for one worker.
func (b *Browser) Tab() *Tab { return &Tab{b: b} }

// Close closes the tab.
func (t *Tab) Close() {
	if t.cancel != nil {
		t.cancel()
		t.cancel = nil
	}
}

// open makes sure the tab exists, restarting a dead browser.
func (t *Tab) open() error {
	if t.cancel != nil && t.ctx.Err() == nil && t.pages < t.b.cfg.RestartEvery &&
		(t.pages < recycleMin || !t.b.overMemory()) {
		return nil
	}
	t.Close()
	bctx, gen, ok := t.b.alive()
	if !ok {
		if err := t.b.restart(gen); err != nil {
			return fmt.Errorf("restart browser: %w", err)
		}
		if bctx, gen, ok = t.b.alive(); !ok {
			return errors.New("browser did not come back")
		}
	}
	ctx, cancel := chromedp.NewContext(bctx)
	// Dialogs would stall the page: dismiss them (accept beforeunload,
	// so navigation continues). The handler must not call the browser
	// from the listener, hence the goroutine.
	// Listen opens the tab, on the tab's own context (a tab opened under
	// a shorter one would stop hearing events when it ends); a browser
	// that does not open it in time has the tab cancelled, not waited for.
	hung := time.AfterFunc(10*time.Second, cancel)
	err := chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: d.Type == page.DialogTypeBeforeunload})
		}
	})
	if !hung.Stop() && err == nil {
		err = errors.New("tab not opened within 10s")
	}
	if err != nil {
		cancel()
		if bctx.Err() != nil || isBrowserGone(err) {
			t.b.restart(gen)
		}
		return fmt.Errorf("open tab: %w", err)
	}
	sctx, scancel := context.WithTimeout(ctx, 10*time.Second)
	defer scancel()
	if err := chromedp.Do(sctx,
		chromedp.EmulateViewport(screenW, screenH),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: noDialogsJS + quietJS})
			return err
		}),
	); err != nil {
		cancel()
		return fmt.Errorf("set up tab: %w", err)
	}
	t.ctx, t.cancel, t.gen, t.pages = ctx, cancel, gen, 0
	return nil
}

func isBrowserGone(err error) bool {
	return err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, chromedp.ErrInvalidContext))
}

// noDialogsJS replaces the blocking dialogs before any page script runs,
// so a page cannot hold the tab with alert loops.
const noDialogsJS = `window.alert=function(){};window.confirm=function(){return false};window.prompt=function(){return null};window.print=function(){};`

//go:embed collect.js
var collectJS string

//go:embed quiet.js
var quietJS string

// settleJS resolves once the page is quiet: loaded, no request or
// load-time timer pending (quiet.js), and its node count and text length
// unchanged for quietMillis; or after %[1]d ms in any case. It polls with
// the page's own setTimeout as it was before any script replaced it.
const settleJS = `new Promise((resolve) => {
  const st = window.__inspectorQuiet, wait = (st && st.setTimeout) || window.setTimeout.bind(window);
  const t0 = performance.now(), max = %[1]d, quiet = %[2]d;
  const sig = () => document.getElementsByTagName('*').length + ':' + (document.body ? document.body.textContent.length : 0);
  let last = sig(), since = t0;
  const tick = () => {
    const now = performance.now(), s = sig();
    if (s !== last) { last = s; since = now; }
    if (document.readyState !== 'complete' || (st && (st.pending > 0 || st.timers.size > 0))) since = now;
    if (st && st.last > since) since = st.last;
    if (now - since >= quiet || now - t0 >= max) { resolve(Math.round(now - t0)); return; }
    wait(tick, 25);
  };
  tick();
})`

// quietMillis is how long a page must stay unchanged to count as settled.
const quietMillis = 150

// Rendered is a page as the browser showed it.
type Rendered struct {
	FinalURL string
	Title    string
	DOM      string
	Text     string
	Links    []Link
	Shot     []byte // JPEG of the first screen
	Status   int
}

type collected struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	HTML      string `json:"html"`
	Text      string `json:"text"`
	Truncated bool   `json:"truncated"`
	Links     []Link `json:"links"`
}

// Render opens url in the tab, waits until its lists are filled (the DOM
// stops changing, bounded by SettleMax), and collects the rendered DOM,
// visible text, every link with its visibility, and a screenshot of the
// first screen when shot is set. A page that does not finish within the
// time limit leaves a fresh tab behind for the next page.
func (t *Tab) Render(ctx context.Context, url string, shot bool) (*Rendered, error) {
	return t.renderAs(ctx, url, "", shot)
}

// RenderAs renders url as a visitor arriving from referer (a search
// engine): cloaked pages show their spam and script redirects only then.
func (t *Tab) RenderAs(ctx context.Context, url, referer string) (*Rendered, error) {
	return t.renderAs(ctx, url, referer, false)
}

func (t *Tab) renderAs(ctx context.Context, url, referer string, shot bool) (*Rendered, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.open(); err != nil {
		return nil, err
	}
	t.pages++
	rctx, cancel := context.WithTimeout(t.ctx, t.b.cfg.Timeout+t.b.cfg.SettleMax+5*time.Second)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	r, err := t.render(rctx, url, referer, shot)
	if err != nil {
		// A hung or crashed renderer: drop the tab; the next page gets a
		// new one (and a new browser if this one died). Closing the tab
		// ends rctx too, so whether time ran out is read first.
		timedOut := rctx.Err() != nil
		t.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if timedOut {
			return r, fmt.Errorf("render %s: not finished within %s", url, t.b.cfg.Timeout+t.b.cfg.SettleMax)
		}
		return r, fmt.Errorf("render %s: %w", url, err)
	}
	return r, nil
}

func (t *Tab) render(ctx context.Context, url, referer string, shot bool) (*Rendered, error) {
	nctx, ncancel := context.WithTimeout(ctx, t.b.cfg.Timeout)
	var resp *network.Response
	var err error
	if referer == "" {
		resp, err = chromedp.Run(nctx, chromedp.NavigateResponse(url))
	} else {
		// Page.navigate carries the Referer; the settle wait below stands
		// in for the load event.
		var res page.NavigateResult
		res, err = chromedp.Call(nctx, page.Navigate, page.NavigateParams{URL: url, Referrer: referer,
			// the full search-result address, as a visitor's browser of
			// the time sent it (a default policy strips it from an
			// https → http navigation, and cloaking keys on it)
			ReferrerPolicy: page.ReferrerPolicyUnsafeURL})
		if err == nil && res.ErrorText != "" {
			err = errors.New(res.ErrorText)
		}
	}
	ncancel()
	if err != nil && ctx.Err() != nil {
		return nil, err
	}
	r := &Rendered{}
	if resp != nil {
		r.Status = int(resp.Status)
	}
	if err != nil {
		// The load event did not come (a trickling body, a script that
		// never ends): collect what is there if the page still answers.
		if nctx.Err() == nil {
			return nil, err
		}
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		_, perr := chromedp.Run(pctx, chromedp.Evaluate[int](`1`))
		pcancel()
		if perr != nil {
			return nil, fmt.Errorf("page does not answer after %s (a script that never ends?): %w", t.b.cfg.Timeout, err)
		}
	}
	t.settle(ctx)
	c, err := chromedp.Run(ctx, chromedp.Evaluate[collected](collectJS))
	if err != nil {
		return nil, fmt.Errorf("collect: %w", err)
	}
	if strings.HasPrefix(c.URL, "chrome-error:") {
		// Chromium's own error page (a refused or unresolved host): no
		// content of the site's.
		msg, _, _ := strings.Cut(strings.TrimSpace(c.Text), "\n")
		return nil, fmt.Errorf("navigation failed: %s", msg)
	}
	r.FinalURL, r.Title, r.DOM, r.Text, r.Links = c.URL, c.Title, c.HTML, c.Text, c.Links
	if shot {
		q := int64(70)
		res, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatJpeg, Quality: &q})
		if err == nil {
			r.Shot = res.Data
		}
	}
	return r, nil
}

// settle waits until the page is quiet (settleJS), at most SettleMax. A
// navigation during the wait (a script redirect) starts it again on the
// new document.
func (t *Tab) settle(ctx context.Context) {
	deadline := time.Now().Add(t.b.cfg.SettleMax)
	for {
		left := time.Until(deadline)
		if left <= 0 || ctx.Err() != nil {
			return
		}
		pctx, cancel := context.WithTimeout(ctx, left+time.Second)
		_, err := chromedp.Run(pctx, chromedp.Evaluate[int](fmt.Sprintf(settleJS, left.Milliseconds(), quietMillis), chromedp.EvalAwaitPromise))
		cancel()
		if err == nil {
			return
		}
		if sleepCtx(ctx, 50*time.Millisecond) != nil {
			return
		}
	}
}
