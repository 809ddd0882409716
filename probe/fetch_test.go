package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// hostOf returns the ADDR:PORT of a test server.
func hostOf(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }

func TestResolveSendsHostToMappedAddress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "<title>%s</title>%s", r.Host, r.Header.Get("User-Agent"))
	}))
	defer srv.Close()
	f := NewFetcher(Config{Resolve: map[string]string{"www.qhlsj.gov.cn": hostOf(srv)}, BlockUnmapped: true})
	r := f.Get(context.Background(), "http://www.qhlsj.gov.cn/")
	if !r.OK() {
		t.Fatalf("mapped host: %v %d", r.Err, r.Status)
	}
	if !strings.Contains(r.Body, "www.qhlsj.gov.cn") || !strings.Contains(r.Body, UserAgent) {
		t.Errorf("body %q lacks Host or User-Agent", r.Body)
	}
	// Any port of a mapped host goes to the same address.
	if r := f.Get(context.Background(), "http://www.qhlsj.gov.cn:8443/"); !r.OK() {
		t.Errorf("other port: %v", r.Err)
	}
	r = f.Get(context.Background(), "http://www.example.com/")
	if !errors.Is(r.Err, ErrBlockedHost) {
		t.Errorf("unmapped host: err %v, want ErrBlockedHost", r.Err)
	}
}

func TestParseResolve(t *testing.T) {
	m, err := ParseResolve([]string{"WWW.A.gov.cn=127.0.0.1:8080"})
	if err != nil || m["www.a.gov.cn"] != "127.0.0.1:8080" {
		t.Fatalf("got %v %v", m, err)
	}
	for _, bad := range []string{"x", "=1.2.3.4:5", "a=1.2.3.4"} {
		if _, err := ParseResolve([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRedirectChainAndLoop(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://new.gov.cn/index.html", http.StatusFound)
	})
	mux.HandleFunc("/index.html", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/b", http.StatusFound) })
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/a", http.StatusFound) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := NewFetcher(Config{Resolve: map[string]string{"old.gov.cn": hostOf(srv), "new.gov.cn": hostOf(srv)}, BlockUnmapped: true})
	r := f.Get(context.Background(), "http://old.gov.cn/")
	if !r.OK() || r.FinalURL != "http://new.gov.cn/index.html" || len(r.Redirects) != 1 || r.Redirects[0] != "http://old.gov.cn/" {
		t.Errorf("chain: final %s redirects %v err %v", r.FinalURL, r.Redirects, r.Err)
	}
	start := time.Now()
	r = f.Get(context.Background(), "http://old.gov.cn/loop/a")
	if !errors.Is(r.Err, ErrRedirectLoop) {
		t.Errorf("loop: err %v", r.Err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("loop took %s", time.Since(start))
	}
}

func TestCharsets(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("<html><head><meta charset=gb2312><title>青海省人民政府</title></head></html>")
	gbNoDecl, _ := simplifiedchinese.GB18030.NewEncoder().String("<html><title>通知公告</title></html>")
	hdr, _ := simplifiedchinese.GBK.NewEncoder().String("<title>政务动态</title>")
	cases := map[string]struct {
		ct, body, want, cs string
	}{
		"/meta":   {"text/html", gbk, "青海省人民政府", "gbk"},
		"/header": {"text/html; charset=GBK", hdr, "政务动态", "gbk"},
		"/bom":    {"text/html", "\xEF\xBB\xBF<title>要闻</title>", "要闻", "utf-8"},
		"/none":   {"text/html", gbNoDecl, "通知公告", "gb18030"},
		"/utf8":   {"text/html", "<title>政策文件</title>", "政策文件", "utf-8"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := cases[r.URL.Path]
		w.Header().Set("Content-Type", c.ct)
		fmt.Fprint(w, c.body)
	}))
	defer srv.Close()
	f := NewFetcher(Config{})
	for p, c := range cases {
		r := f.Get(context.Background(), srv.URL+p)
		if !strings.Contains(r.Body, c.want) || r.Charset != c.cs || strings.HasPrefix(r.Body, "\uFEFF") {
			t.Errorf("%s: charset %s body %q", p, r.Charset, r.Body)
		}
	}
}

func TestBodyCapAndTrickle(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/huge":
			w.Header().Set("Content-Type", "text/html")
			chunk := []byte(strings.Repeat("<p>垃圾</p>", 1000))
			for i := 0; i < 100<<20/len(chunk); i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "/trickle":
			w.Header().Set("Content-Type", "text/html")
			for i := 0; i < 100; i++ {
				if _, err := w.Write([]byte("<p>.</p>")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
		}
	}))
	defer srv.Close()
	f := NewFetcher(Config{Timeout: time.Second, MaxBody: 1 << 20})
	start := time.Now()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := f.Get(context.Background(), srv.URL+"/huge")
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 {
		t.Errorf("a 100 MB body allocated %d MB; the cap is 1 MB", grew>>20)
	}
	if !r.Truncated || r.Size != 1<<20 || len(r.Body) == 0 {
		t.Errorf("huge: truncated %v size %d err %v", r.Truncated, r.Size, r.Err)
	}
	r = f.Get(context.Background(), srv.URL+"/trickle")
	if r.Err == nil || !strings.Contains(r.Err.Error(), "within") {
		t.Errorf("trickle: err %v", r.Err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("huge+trickle took %s", d)
	}
}

func TestRetryAfterAndPerHost(t *testing.T) {
	var calls, inflight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if r.URL.Path == "/busy" && calls.Add(1) < 3 {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		time.Sleep(50 * time.Millisecond)
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	f := NewFetcher(Config{PerHost: 2, MaxRetryAfter: 10 * time.Millisecond})
	var slept []time.Duration
	f.sleep = func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	r := f.Get(context.Background(), srv.URL+"/busy")
	if !r.OK() || calls.Load() != 3 || len(slept) != 2 || slept[0] != 10*time.Millisecond {
		t.Errorf("retry: status %d calls %d slept %v err %v", r.Status, calls.Load(), slept, r.Err)
	}
	done := make(chan bool)
	for i := 0; i < 8; i++ {
		go func() { f.Get(context.Background(), srv.URL+"/x"); done <- true }()
	}
	for i := 0; i < 8; i++ {
		<-done
	}
	if peak.Load() > 2 {
		t.Errorf("peak in flight %d > per-host 2", peak.Load())
	}
}

func TestCacheOnce(t *testing.T) {
	c := NewCache()
	var n atomic.Int32
	done := make(chan any)
	for i := 0; i < 10; i++ {
		go func() { done <- c.Do("k", func() any { n.Add(1); time.Sleep(10 * time.Millisecond); return 1 }) }()
	}
	for i := 0; i < 10; i++ {
		<-done
	}
	if n.Load() != 1 {
		t.Errorf("computed %d times", n.Load())
	}
}

var _ = net.Dial
