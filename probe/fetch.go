package probe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// maxRedirects bounds a redirect chain; a longer one is reported like a loop.
const maxRedirects = 10

// ErrRedirectLoop is returned when a redirect chain comes back to a URL it
// has already visited.
var ErrRedirectLoop = errors.New("redirect loop")

// ErrBlockedHost is returned for a host refused by --block-unmapped.
var ErrBlockedHost = errors.New("host not mapped (--block-unmapped)")

// Response is one fetch, redirects followed.
type Response struct {
	URL         string
	FinalURL    string
	Redirects   []string // chain of URLs before FinalURL
	Status      int
	Header      http.Header
	ContentType string
	Charset     string
	Body        string // decoded to UTF-8 for text types; empty for others
	Size        int    // bytes read (capped)
	Truncated   bool
	Err         error
	FetchedAt   time.Time
	Millis      int64
}

// OK reports a successful 2xx fetch.
func (r *Response) OK() bool { return r.Err == nil && r.Status >= 200 && r.Status < 300 }

// ErrString is the error text, empty when none.
func (r *Response) ErrString() string {
	if r.Err == nil {
		return ""
	}
	return r.Err.Error()
}

// Fetcher is the polite HTTP side of the probe: one User-Agent, a bound on
// requests in flight per host, bounded retries on 429/503, a size cap, and
// every connection routed by the Resolve map.
type Fetcher struct {
	cfg    Config
	client *http.Client

	mu    sync.Mutex
	hosts map[string]chan struct{}
	// sleep is time.Sleep honouring ctx; replaced in tests.
	sleep func(ctx context.Context, d time.Duration) error
}

// NewFetcher builds a fetcher for cfg (Defaults applied).
func NewFetcher(cfg Config) *Fetcher {
	cfg = cfg.Defaults()
	f := &Fetcher{cfg: cfg, hosts: map[string]chan struct{}{}, sleep: sleepCtx}
	dialer := &net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		// Never a proxy from the environment: traffic must go exactly
		// where Resolve says.
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, fmt.Errorf("dial %s: %w", addr, err)
			}
			if to, ok := cfg.mapped(host); ok {
				return dialer.DialContext(ctx, network, to)
			}
			if cfg.BlockUnmapped {
				return nil, fmt.Errorf("dial %s: %w", host, ErrBlockedHost)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: cfg.PerHost,
		IdleConnTimeout:     30 * time.Second,
		TLSHandshakeTimeout: cfg.Timeout,
		// Compressed bodies are decoded by the transport; the size cap
		// applies to the decoded bytes, which is what memory sees.
	}
	f.client = &http.Client{
		Transport: tr,
		// Redirects are followed by hand so the chain is recorded and a
		// loop is recognised.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return f
}

// Config is the fetcher's effective configuration.
func (f *Fetcher) Config() Config { return f.cfg }

// Close releases idle connections.
func (f *Fetcher) Close() { f.client.CloseIdleConnections() }

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// acquire takes one of the host's in-flight slots.
func (f *Fetcher) acquire(ctx context.Context, host string) (func(), error) {
	host = normHost(host)
	f.mu.Lock()
	sem, ok := f.hosts[host]
	if !ok {
		sem = make(chan struct{}, f.cfg.PerHost)
		f.hosts[host] = sem
	}
	f.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Request options.
type reqOpts struct {
	method    string
	userAgent string
	referer   string
	maxBody   int64
}

// Get fetches a URL with GET as the inspector.
func (f *Fetcher) Get(ctx context.Context, rawURL string) *Response {
	return f.do(ctx, rawURL, reqOpts{method: http.MethodGet})
}

// GetAs fetches a URL with another User-Agent and Referer (crawler and
// phone variants, cloaking evidence).
func (f *Fetcher) GetAs(ctx context.Context, rawURL, userAgent, referer string) *Response {
	return f.do(ctx, rawURL, reqOpts{method: http.MethodGet, userAgent: userAgent, referer: referer})
}

// Head checks a URL with HEAD.
func (f *Fetcher) Head(ctx context.Context, rawURL string) *Response {
	return f.do(ctx, rawURL, reqOpts{method: http.MethodHead})
}

// GetSmall fetches a URL reading at most n bytes of the body (link checks).
func (f *Fetcher) GetSmall(ctx context.Context, rawURL string, n int64) *Response {
	return f.do(ctx, rawURL, reqOpts{method: http.MethodGet, maxBody: n})
}

func (f *Fetcher) do(ctx context.Context, rawURL string, o reqOpts) *Response {
	start := time.Now()
	r := &Response{URL: rawURL, FinalURL: rawURL, FetchedAt: start}
	defer func() { r.Millis = time.Since(start).Milliseconds() }()
	seen := map[string]bool{}
	cur := rawURL
	for hop := 0; ; hop++ {
		if seen[cur] {
			r.Err = fmt.Errorf("%w: %s comes back after %d hops", ErrRedirectLoop, cur, hop)
			return r
		}
		if hop > maxRedirects {
			r.Err = fmt.Errorf("%w: more than %d redirects", ErrRedirectLoop, maxRedirects)
			return r
		}
		seen[cur] = true
		next, err := f.once(ctx, cur, o, r)
		if err != nil {
			r.Err = err
			return r
		}
		if next == "" {
			return r
		}
		r.Redirects = append(r.Redirects, cur)
		cur = next
		r.FinalURL = cur
	}
}

// once performs one request (with retries) and fills r; it returns the
// next URL when the response is a redirect.
func (f *Fetcher) once(ctx context.Context, rawURL string, o reqOpts, r *Response) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("fetch %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("fetch %q: scheme %q is not http(s)", rawURL, u.Scheme)
	}
	if f.cfg.BlockUnmapped {
		// Refused before a connection is tried, so the error is clear
		// and no DNS look-up can happen anywhere in the stack.
		if _, ok := f.cfg.mapped(u.Hostname()); !ok {
			return "", fmt.Errorf("fetch %s: %w", u.Hostname(), ErrBlockedHost)
		}
	}
	for attempt := 0; ; attempt++ {
		next, retryAfter, err := f.exchange(ctx, u, o, r)
		if err != nil || retryAfter < 0 || attempt >= f.cfg.Retries {
			return next, err
		}
		if err := f.sleep(ctx, retryAfter); err != nil {
			return "", fmt.Errorf("fetch %s: waiting to retry: %w", rawURL, err)
		}
	}
}

// exchange is one HTTP round trip. retryAfter ≥ 0 asks for a retry after
// that delay (429/503).
func (f *Fetcher) exchange(ctx context.Context, u *url.URL, o reqOpts, r *Response) (next string, retryAfter time.Duration, err error) {
	release, err := f.acquire(ctx, u.Host)
	if err != nil {
		return "", -1, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer release()
	rctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, o.method, u.String(), nil)
	if err != nil {
		return "", -1, fmt.Errorf("fetch %s: %w", u, err)
	}
	ua := o.userAgent
	if ua == "" {
		ua = UserAgent
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	if o.referer != "" {
		req.Header.Set("Referer", o.referer)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		var ne net.Error
		if ctx.Err() == nil && (rctx.Err() == context.DeadlineExceeded || errors.As(err, &ne) && ne.Timeout()) {
			return "", -1, fmt.Errorf("fetch %s: no response within %s", u, f.cfg.Timeout)
		}
		return "", -1, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	r.Status = resp.StatusCode
	r.Header = resp.Header
	r.ContentType = resp.Header.Get("Content-Type")

	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc := resp.Header.Get("Location"); loc != "" {
			nu, err := u.Parse(loc)
			if err != nil {
				return "", -1, fmt.Errorf("fetch %s: bad Location %q: %w", u, loc, err)
			}
			nu.Fragment = ""
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			return nu.String(), -1, nil
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return "", f.retryDelay(resp.Header.Get("Retry-After"), r), nil
	}
	if o.method == http.MethodHead {
		return "", -1, nil
	}
	limit := f.cfg.MaxBody
	if o.maxBody > 0 {
		limit = o.maxBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if int64(len(body)) > limit {
		body = body[:limit]
		r.Truncated = true
	}
	r.Size = len(body)
	if err != nil {
		// A trickling or dropped body: keep what arrived, say why.
		if rctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
			err = fmt.Errorf("body not complete within %s", f.cfg.Timeout)
		}
		r.Truncated = true
		decodeBody(r, body)
		return "", -1, fmt.Errorf("fetch %s: reading body: %w", u, err)
	}
	decodeBody(r, body)
	return "", -1, nil
}

// retryDelay reads Retry-After (seconds or an HTTP date), bounded by
// MaxRetryAfter; without one, a short back-off.
func (f *Fetcher) retryDelay(h string, r *Response) time.Duration {
	d := time.Second
	if h != "" {
		if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s >= 0 {
			d = time.Duration(s) * time.Second
		} else if t, err := http.ParseTime(h); err == nil {
			d = time.Until(t)
		}
	}
	if d < 0 {
		d = 0
	}
	if d > f.cfg.MaxRetryAfter {
		d = f.cfg.MaxRetryAfter
	}
	return d
}

// isText reports content types whose body is kept as text.
func isText(ct string) bool {
	ct = strings.ToLower(ct)
	if ct == "" {
		return true
	}
	for _, p := range []string{"text/", "html", "xml", "json", "javascript"} {
		if strings.Contains(ct, p) {
			return true
		}
	}
	return false
}

// decodeBody decodes a text body to UTF-8 from the charset named by the
// header, a BOM or a <meta>; GB2312 is read as GBK (its superset), as
// browsers do.
func decodeBody(r *Response, body []byte) {
	if !isText(r.ContentType) {
		return
	}
	text, name := DecodeHTML(body, r.ContentType)
	r.Body, r.Charset = text, name
}

// DecodeHTML decodes body to UTF-8 and names the charset used.
func DecodeHTML(body []byte, contentType string) (string, string) {
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if !certain && name == "windows-1252" {
		// No declaration: valid UTF-8 is UTF-8; anything else on a
		// Chinese government site is most likely GB18030/GBK, not the
		// windows-1252 the HTML standard falls back to.
		if utf8.Valid(body) {
			return strings.TrimPrefix(string(body), "\uFEFF"), "utf-8"
		}
		enc, _ = charset.Lookup("gb18030")
		name = "gb18030"
	}
	if name == "utf-8" {
		return strings.TrimPrefix(string(bytes.ToValidUTF8(body, []byte("\uFFFD"))), "\uFEFF"), name
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return string(bytes.ToValidUTF8(body, []byte("\uFFFD"))), name
	}
	return strings.TrimPrefix(string(out), "\uFEFF"), name
}

// Cache makes every URL fetched at most once per round: concurrent callers
// of the same key wait for the first one's result.
type Cache struct {
	mu sync.Mutex
	m  map[string]*cacheEntry
}

type cacheEntry struct {
	done chan struct{}
	v    any
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{m: map[string]*cacheEntry{}} }

// Do returns the cached value for key, computing it with fn once.
func (c *Cache) Do(key string, fn func() any) any {
	c.mu.Lock()
	e, ok := c.m[key]
	if ok {
		c.mu.Unlock()
		<-e.done
		return e.v
	}
	e = &cacheEntry{done: make(chan struct{})}
	c.m[key] = e
	c.mu.Unlock()
	defer close(e.done)
	e.v = fn()
	return e.v
}

// Len is the number of keys.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
