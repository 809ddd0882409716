package province

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Server serves a province on one loopback listener; every site answers
// by its Host header.
type Server struct {
	p    *Province
	ln   net.Listener
	srv  *http.Server
	dead string // a loopback address with nothing listening
	done chan struct{}
	once sync.Once
}

// Start binds 127.0.0.1:0 and serves the province until Close.
func (p *Province) Start() (*Server, error) {
	dead, err := deadAddr()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("province: listen on loopback: %w", err)
	}
	s := &Server{p: p, ln: ln, dead: dead, done: make(chan struct{})}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln) // returns ErrServerClosed on Close
	}()
	return s, nil
}

// deadAddr finds a loopback port with nothing listening: bind, note, close.
// Another process could take it meanwhile; on loopback that is unlikely
// and would only turn a refusal into an odd answer.
func deadAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("province: reserve a closed loopback port: %w", err)
	}
	a := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("province: release %s: %w", a, err)
	}
	return a, nil
}

// Addr is the listener's address, "127.0.0.1:port".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// DeadAddr is the loopback address where hosts seeded to refuse
// connections are mapped.
func (s *Server) DeadAddr() string { return s.dead }

// Resolve maps every host of the province to a loopback address: served
// hosts (sites, redirect targets, account platforms, the national hosts
// footers link to) to Addr, hosts seeded as refusing to DeadAddr. Spam
// hosts are never in it.
func (s *Server) Resolve() map[string]string {
	m := map[string]string{}
	for h := range s.p.hosts {
		m[h] = s.Addr()
	}
	for _, h := range s.p.dead {
		m[h] = s.dead
	}
	return m
}

// ResolveFlags are command-line arguments for the probe: pairs
// "--resolve", "HOST=ADDR:PORT", sorted by host, ready to append to an
// exec.Command's arguments.
func (s *Server) ResolveFlags() []string {
	m := s.Resolve()
	hosts := make([]string, 0, len(m))
	for h := range m {
		hosts = append(hosts, h)
	}
	slices.Sort(hosts)
	out := make([]string, 0, 2*len(hosts))
	for _, h := range hosts {
		out = append(out, "--resolve", h+"="+m[h])
	}
	return out
}

// HostRules is the same map as Chrome's --host-resolver-rules value, with
// every other host refused.
func (s *Server) HostRules() string {
	m := s.Resolve()
	var rules []string
	for h, a := range m {
		rules = append(rules, "MAP "+h+" "+a)
	}
	slices.Sort(rules)
	return strings.Join(append(rules, "MAP * ~NOTFOUND"), ", ")
}

// Client is an HTTP client that dials the resolve map and refuses every
// other host without a DNS lookup. It follows redirects like any client.
func (s *Server) Client() *http.Client {
	m := s.Resolve()
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, fmt.Errorf("province client: %q: %w", addr, err)
			}
			to, ok := m[strings.ToLower(host)]
			if !ok {
				return nil, fmt.Errorf("province client: host %s is not in the province (blocked)", host)
			}
			return d.DialContext(ctx, network, to)
		},
		MaxIdleConnsPerHost: 16,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: 15 * time.Second}
}

// Close stops the server and waits for it.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		err = s.srv.Close()
		<-s.done
	})
	if err != nil {
		return fmt.Errorf("province: close server: %w", err)
	}
	return nil
}

var crawlerUA = []string{"baiduspider", "360spider", "sogou", "googlebot"}

// isSearchReferer reports a search-engine result page as Referer.
func isSearchReferer(ref string) bool {
	r := strings.ToLower(ref)
	return strings.Contains(r, "baidu.com/") || strings.Contains(r, "so.com/")
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	v, ok := s.p.hosts[host]
	if !ok {
		http.Error(w, "unknown host "+host, http.StatusMisdirectedRequest)
		return
	}
	if v.moved != "" {
		http.Redirect(w, r, "http://"+v.moved+r.URL.RequestURI(), http.StatusMovedPermanently)
		return
	}
	pg := v.lookup(r.URL.RequestURI())
	if pg == nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head><body><h1>404 Not Found</h1><p>您访问的页面不存在。</p></body></html>\n")
		return
	}
	body := pg.body
	ua := strings.ToLower(r.UserAgent())
	if pg.bot != nil && slices.ContainsFunc(crawlerUA, func(b string) bool { return strings.Contains(ua, b) }) {
		body = pg.bot
	} else if pg.ref != nil && isSearchReferer(r.Referer()) {
		body = pg.ref
	}
	w.Header().Set("Content-Type", pg.ctype)
	if pg.location != "" {
		w.Header().Set("Location", pg.location)
	}
	w.WriteHeader(pg.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// Serve is the CLI's entry ("inspector demo --serve"): it generates the
// province, writes its registry into dir (skipped when dir is empty),
// serves it, prints the address and one "--resolve HOST=ADDR:PORT" line
// per host to out, and blocks until ctx is cancelled.
func Serve(ctx context.Context, opt Options, dir string, out io.Writer) error {
	p := New(opt)
	if dir != "" {
		if err := p.WriteRegistry(dir); err != nil {
			return err
		}
	}
	srv, err := p.Start()
	if err != nil {
		return err
	}
	defer srv.Close()
	if _, err := fmt.Fprintf(out, "province (seed %d, %d sites, %d accounts, as of %s) on http://%s\n",
		opt.Seed, len(p.sites), len(p.accounts), p.asOf.Format("2006-01-02"), srv.Addr()); err != nil {
		return fmt.Errorf("province: write address: %w", err)
	}
	if dir != "" {
		fmt.Fprintf(out, "registry written to %s\n", dir)
	}
	fl := srv.ResolveFlags()
	for i := 0; i+1 < len(fl); i += 2 {
		if _, err := fmt.Fprintf(out, "%s %s\n", fl[i], fl[i+1]); err != nil {
			return fmt.Errorf("province: write resolve flags: %w", err)
		}
	}
	<-ctx.Done()
	if err := srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
