package probe

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// UserAgent identifies the inspector to every site it visits, so a site's
// operator can tell inspection traffic from an attack.
const UserAgent = "inspector/0.1 (+government website inspection)"

// Config is how a sweep behaves. The zero value is usable: Defaults fills
// every unset field.
type Config struct {
	// Resolve sends every connection for a host (any port) to ADDR:PORT,
	// for the HTTP client and the browser alike.
	Resolve map[string]string
	// BlockUnmapped refuses every host that Resolve does not name, without
	// a DNS lookup (tests, demo and benchmarks stay on loopback).
	BlockUnmapped bool
	// Concurrency is the number of targets probed at once (one browser
	// tab each).
	Concurrency int
	// PerHost bounds the requests in flight to one host.
	PerHost int
	// Timeout bounds one request (the whole exchange, body included) and
	// one page render.
	Timeout time.Duration
	// NoBrowser skips Chromium: raw HTML only.
	NoBrowser bool
	// ChromePath overrides the browser executable.
	ChromePath string
	// MaxBody caps a response body; longer bodies are cut and marked
	// Truncated.
	MaxBody int64
	// Retries is how many times a 429/503 is retried.
	Retries int
	// MaxRetryAfter bounds how long a Retry-After is honoured.
	MaxRetryAfter time.Duration
	// RestartEvery restarts a worker's tab after this many pages, so a
	// leaking page cannot grow the browser without bound.
	RestartEvery int
	// MaxBrowserMemory is the bound on the browser's memory (the summed
	// RSS of Chromium's processes); above it every tab is recycled at its
	// next page, which lets the renderers of the pages it held exit.
	MaxBrowserMemory int64
	// MaxColumns bounds the columns followed per site.
	MaxColumns int
	// ArticlesPerColumn is how many of the newest articles of each column
	// (over its first ListPages list pages) are fetched; the home page's
	// newest items are fetched too (up to twice as many).
	ArticlesPerColumn int
	// ListPages is how many pages of a column's list are read.
	ListPages int
	// MaxLinks bounds the links checked per target.
	MaxLinks int
	// SettleMax bounds the wait for a rendered page's lists to fill.
	SettleMax time.Duration
	// Attempts is how many times the home page is tried in one run before
	// the target counts as unreachable in this run.
	Attempts int
}

// Defaults returns c with every unset field at its default.
func (c Config) Defaults() Config {
	if c.Concurrency <= 0 {
		c.Concurrency = 4
	}
	if c.PerHost <= 0 {
		c.PerHost = 2
	}
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Second
	}
	if c.MaxBody <= 0 {
		c.MaxBody = 8 << 20
	}
	if c.Retries <= 0 {
		c.Retries = 2
	}
	if c.MaxRetryAfter <= 0 {
		c.MaxRetryAfter = 5 * time.Second
	}
	if c.RestartEvery <= 0 {
		c.RestartEvery = 200
	}
	if c.MaxBrowserMemory <= 0 {
		// A safety bound against leaks, above a healthy sweep's peak (about
		// 1.9 GiB summed RSS with 4 workers): recycling tabs below it costs a
		// quarter of the throughput for 60 MiB (measured with make bench).
		c.MaxBrowserMemory = 3 << 30
	}
	if c.MaxColumns <= 0 {
		c.MaxColumns = 40
	}
	if c.ArticlesPerColumn <= 0 {
		c.ArticlesPerColumn = 30
	}
	if c.ListPages <= 0 {
		c.ListPages = 3
	}
	if c.MaxLinks <= 0 {
		c.MaxLinks = 400
	}
	if c.SettleMax <= 0 {
		c.SettleMax = 3 * time.Second
	}
	if c.Attempts <= 0 {
		c.Attempts = 2
	}
	return c
}

// ParseResolve reads --resolve values of the form HOST=ADDR:PORT.
func ParseResolve(flags []string) (map[string]string, error) {
	m := map[string]string{}
	for _, f := range flags {
		host, addr, ok := strings.Cut(f, "=")
		host = normHost(host)
		if !ok || host == "" {
			return nil, fmt.Errorf("--resolve %q: want HOST=ADDR:PORT", f)
		}
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return nil, fmt.Errorf("--resolve %q: address %q: %w", f, addr, err)
		}
		m[host] = addr
	}
	return m, nil
}

// normHost lower-cases a host name and drops a trailing dot and any port,
// so that map look-ups agree with what URLs carry.
func normHost(h string) string {
	h = strings.TrimSpace(strings.ToLower(h))
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	return strings.TrimSuffix(h, ".")
}

// mapped reports the address a host is sent to, if any.
func (c *Config) mapped(host string) (string, bool) {
	a, ok := c.Resolve[normHost(host)]
	return a, ok
}

// hostResolverRules is Chrome's --host-resolver-rules for the same mapping
// the HTTP client uses.
func (c *Config) hostResolverRules() string {
	var rules []string
	for h, a := range c.Resolve {
		rules = append(rules, "MAP "+h+" "+a)
	}
	if c.BlockUnmapped {
		rules = append(rules, "MAP * ~NOTFOUND")
	}
	return strings.Join(rules, ", ")
}
