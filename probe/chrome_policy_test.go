package probe

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

func flagMap(fl []chromeFlag) map[string]any {
	m := map[string]any{}
	for _, f := range fl {
		m[f.Name] = f.Value
	}
	return m
}

// The sandbox is switched off only for root, where Chromium refuses to
// start with it; the resolver rules are always passed on.
func TestChromeFlagsSandboxOnlyOffForRoot(t *testing.T) {
	cfg := Config{Resolve: map[string]string{"www.qhlsj.gov.cn": "127.0.0.1:8080"}, BlockUnmapped: true}
	for _, euid := range []int{1000, 0} {
		m := flagMap(chromeFlags(cfg, "/tmp/p", euid))
		if _, off := m["no-sandbox"]; off != (euid == 0) {
			t.Errorf("euid %d: --no-sandbox present %v, want %v", euid, off, euid == 0)
		}
		if m["host-resolver-rules"] != "MAP www.qhlsj.gov.cn 127.0.0.1:8080, MAP * ~NOTFOUND" {
			t.Errorf("euid %d: host-resolver-rules %q", euid, m["host-resolver-rules"])
		}
		if m["user-data-dir"] != "/tmp/p" {
			t.Errorf("euid %d: user-data-dir %v", euid, m["user-data-dir"])
		}
		for _, quiet := range []string{"disable-background-networking", "disable-component-update", "dns-prefetch-disable", "disable-sync", "disable-domain-reliability"} {
			if m[quiet] != true {
				t.Errorf("euid %d: --%s missing", euid, quiet)
			}
		}
		// Memory: no process per site, none kept for back/forward or as
		// a spare, one renderer per worker; chromedp's own disabled
		// features stay disabled (the flag replaces its value).
		if m["disable-site-isolation-trials"] != true {
			t.Errorf("euid %d: --disable-site-isolation-trials missing", euid)
		}
		df, _ := m["disable-features"].(string)
		for _, f := range []string{"Translate", "BlinkGenPropertyTrees", "SitePerProcess", "IsolateOrigins", "BackForwardCache", "SpareRendererForSitePerProcess"} {
			if !slices.Contains(strings.Split(df, ","), f) {
				t.Errorf("euid %d: --disable-features=%s lacks %s", euid, df, f)
			}
		}
		if m["renderer-process-limit"] != "4" {
			t.Errorf("euid %d: --renderer-process-limit=%v, want the default concurrency 4", euid, m["renderer-process-limit"])
		}
		if m["js-flags"] != "--max-old-space-size=512" {
			t.Errorf("euid %d: --js-flags=%v", euid, m["js-flags"])
		}
		for name := range m {
			if strings.Contains(name, "proxy") || name == "disable-web-security" || name == "allow-running-insecure-content" {
				t.Errorf("euid %d: unexpected --%s", euid, name)
			}
		}
	}
	if got := flagMap(chromeFlags(Config{Concurrency: 7}, "/p", 1000))["renderer-process-limit"]; got != "7" {
		t.Errorf("--renderer-process-limit=%v with 7 workers", got)
	}
	// Without --block-unmapped nothing is refused, but the map still holds.
	m := flagMap(chromeFlags(Config{Resolve: map[string]string{"a.gov.cn": "127.0.0.1:1"}}, "/p", 1000))
	if m["host-resolver-rules"] != "MAP a.gov.cn 127.0.0.1:1" {
		t.Errorf("rules without block: %q", m["host-resolver-rules"])
	}
	if _, ok := flagMap(chromeFlags(Config{}, "/p", 1000))["host-resolver-rules"]; ok {
		t.Errorf("rules without any mapping")
	}
}

// chromeCmdlines returns the command lines of the browser processes
// started by this test process with profile dir.
func chromeCmdlines(t *testing.T, dir string) [][]string {
	t.Helper()
	ents, _ := os.ReadDir("/proc")
	var out [][]string
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		for _, a := range args {
			if a == "--user-data-dir="+dir {
				out = append(out, args)
				break
			}
		}
	}
	return out
}

// The running browser carries the flags: --no-sandbox exactly when root.
func TestChromeRunningSandboxFlag(t *testing.T) {
	b := needChrome(t, Config{BlockUnmapped: true})
	b.mu.Lock()
	dir := b.dir
	b.mu.Unlock()
	cmds := chromeCmdlines(t, dir)
	if len(cmds) == 0 {
		t.Fatalf("no browser process found with profile %s", dir)
	}
	root := os.Geteuid() == 0
	for _, args := range cmds {
		has := false
		for _, a := range args {
			has = has || a == "--no-sandbox"
		}
		if has != root {
			t.Errorf("euid %d: --no-sandbox %v in %s", os.Geteuid(), has, strings.Join(args, " "))
		}
		if !strings.Contains(strings.Join(args, " "), "--host-resolver-rules=MAP * ~NOTFOUND") {
			t.Errorf("browser started without the resolver rules: %s", strings.Join(args, " "))
		}
	}
	t.Logf("euid %d, %d browser processes, sandbox off: %v", os.Geteuid(), len(cmds), root)
}

// filesUnder lists regular files whose name looks like a download.
func filesUnder(root string, names ...string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		n := d.Name()
		if strings.HasSuffix(n, ".crdownload") {
			out = append(out, p)
		}
		for _, w := range names {
			if strings.Contains(n, w) {
				out = append(out, p)
			}
		}
		return nil
	})
	return out
}

// Downloads are denied: an attachment response, rendered as a page or
// linked and clicked, leaves no file in the profile or the home
// directory. The same check sees the file once downloads are allowed, so
// it can tell.
func TestChromeDeniesDownloads(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home) // where Chromium would save a download
	t.Setenv("XDG_DOWNLOAD_DIR", filepath.Join(home, "Downloads"))
	os.MkdirAll(filepath.Join(home, "Downloads"), 0o755)
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/report.zip", "/page-attachment":
			mu.Lock()
			hits++
			mu.Unlock()
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Disposition", `attachment; filename="inspector-download-marker.zip"`)
			w.Write([]byte("PK\x03\x04 not really a zip, a download marker"))
		default:
			fmt.Fprint(w, `<html><body><a id="d" href="/report.zip" download>下载</a>
<script>setTimeout(function(){ document.getElementById('d').click(); }, 50);</script></body></html>`)
		}
	}))
	defer srv.Close()
	cfg := Config{Resolve: map[string]string{"www.dl.gov.cn": hostOf(srv)}, BlockUnmapped: true, Timeout: 5 * time.Second, SettleMax: 1500 * time.Millisecond}
	b := needChrome(t, cfg)
	b.mu.Lock()
	profile := b.dir
	b.mu.Unlock()
	tab := b.Tab()
	defer tab.Close()
	ctx := context.Background()
	// Navigating to the attachment itself, and a page whose script
	// clicks a download link.
	_, err := tab.Render(ctx, "http://www.dl.gov.cn/page-attachment", false)
	t.Logf("render of an attachment: %v", err)
	if _, err := tab.Render(ctx, "http://www.dl.gov.cn/", false); err != nil {
		t.Fatalf("render of the page with a download link: %v", err)
	}
	time.Sleep(time.Second) // a download would be written meanwhile
	mu.Lock()
	n := hits
	mu.Unlock()
	if n == 0 {
		t.Fatalf("the browser never asked for the attachment: the test proves nothing")
	}
	for _, root := range []string{home, profile} {
		if got := filesUnder(root, "inspector-download-marker", "report.zip"); len(got) > 0 {
			t.Errorf("download written despite the deny policy: %v", got)
		}
	}

	// Control: allowed, the same page leaves the file where the check looks.
	allowed := filepath.Join(home, "allowed")
	os.MkdirAll(allowed, 0o755)
	bctx, _, _ := b.alive()
	if _, err := chromedp.CallBrowser(bctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: allowed}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	if _, err := tab.Render(ctx, "http://www.dl.gov.cn/", false); err != nil {
		t.Fatalf("render: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(filesUnder(allowed, "inspector-download-marker")) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if len(filesUnder(allowed, "inspector-download-marker")) == 0 {
		t.Errorf("control: with downloads allowed no file appeared, so the deny check cannot tell")
	}
}

// Only the run's hosts are reached: a page on a mapped host that loads an
// image, a script, an iframe and a fetch() from hosts no rule maps (which
// would otherwise resolve to this very loopback server: localhost, an IP
// literal) leaves no request with those hosts in the server's log, and
// navigating to them fails.
func TestChromeReachesOnlyMappedHosts(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	var port string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Host]++
		mu.Unlock()
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<html><head><title>mapped</title><script src="http://127.0.0.1:%[1]s/ip.js"></script></head><body>
<p id="p">映射的主机</p>
<img src="http://localhost:%[1]s/img.png" width="5" height="5">
<img src="http://www.unmapped.gov.cn/img.png">
<iframe src="http://sub.localhost:%[1]s/frame"></iframe>
<link rel="stylesheet" href="http://[::1]:%[1]s/s.css">
<script src="http://localhost:%[1]s/s.js"></script>
<script>fetch('http://localhost:%[1]s/xhr').catch(function(){}); new Image().src='http://127.0.0.1:%[1]s/beacon';</script>
<img src="/own.png" width="5" height="5">
</body></html>`, port)
		default:
			w.Write([]byte("x"))
		}
	}))
	defer srv.Close()
	port = portOf(srv)
	cfg := Config{Resolve: map[string]string{"www.mapped.gov.cn": hostOf(srv)}, BlockUnmapped: true, Timeout: 5 * time.Second, SettleMax: time.Second}
	b := needChrome(t, cfg)
	tab := b.Tab()
	defer tab.Close()
	ctx := context.Background()
	r, err := tab.Render(ctx, "http://www.mapped.gov.cn/", false)
	if err != nil || !strings.Contains(r.Text, "映射的主机") {
		t.Fatalf("render of the mapped page: %v %+v", err, r)
	}
	time.Sleep(500 * time.Millisecond)
	for _, u := range []string{"http://localhost:" + portOf(srv) + "/", "http://127.0.0.1:" + portOf(srv) + "/", "http://www.unmapped.gov.cn/"} {
		r, err := tab.Render(ctx, u, false)
		if err == nil {
			t.Errorf("navigation to unmapped %s succeeded: HTTP %d %s %.80q", u, r.Status, r.FinalURL, r.Text)
		}
		t.Logf("navigate %s: %v", u, err)
	}
	mu.Lock()
	defer mu.Unlock()
	mappedHost := "www.mapped.gov.cn"
	if seen[mappedHost] == 0 {
		t.Fatalf("the mapped host got no request: %v", seen)
	}
	for h, n := range seen {
		if h != mappedHost && !strings.HasPrefix(h, mappedHost+":") {
			t.Errorf("unmapped host %s reached the server %d times", h, n)
		}
	}
	t.Logf("requests by Host: %v", seen)
}

func portOf(s *httptest.Server) string {
	return s.URL[strings.LastIndexByte(s.URL, ':')+1:]
}

// The memory bound reads the browser's process tree: this test process
// (its own tree) holds some resident memory, a process that does not
// exist none.
func TestTreeRSS(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if n := treeRSS(os.Getpid()); n < 1<<20 {
		t.Errorf("treeRSS of this process = %d", n)
	}
	if n := treeRSS(1 << 30); n != 0 {
		t.Errorf("treeRSS of no process = %d", n)
	}
}

// rendererPIDs lists the renderer processes under the browser pid.
func rendererPIDs(browserPID int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !strings.Contains(string(b), "--type=renderer") {
			continue
		}
		for q, n := pid, 0; q > 1 && n < 64; n++ {
			if q == browserPID {
				out = append(out, pid)
				break
			}
			st, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(q), "stat"))
			if err != nil {
				break
			}
			i := strings.LastIndexByte(string(st), ')')
			f := strings.Fields(string(st[i+1:]))
			if len(f) < 2 {
				break
			}
			q, _ = strconv.Atoi(f[1])
		}
	}
	return out
}

// A tab that goes from host to host keeps to one renderer (the
// renderer-process-limit of one worker): no process per site, none kept
// for the back/forward cache. With site isolation a renderer per host
// would pile up.
func TestChromeOneRendererPerWorker(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><head><title>%s</title></head><body><p>%s</p><iframe src="http://www.h0.gov.cn/frame"></iframe></body></html>`, r.Host, r.Host)
	}))
	defer srv.Close()
	hosts := map[string]string{}
	for i := 0; i < 8; i++ {
		hosts[fmt.Sprintf("www.h%d.gov.cn", i)] = hostOf(srv)
	}
	b := needChrome(t, Config{Resolve: hosts, BlockUnmapped: true, Concurrency: 1, Timeout: 5 * time.Second, SettleMax: time.Second})
	b.mu.Lock()
	pid := b.pid
	b.mu.Unlock()
	if pid == 0 {
		t.Fatal("browser pid unknown")
	}
	tab := b.Tab()
	defer tab.Close()
	most := 0
	for i := 0; i < 8; i++ {
		host := fmt.Sprintf("www.h%d.gov.cn", i)
		r, err := tab.Render(context.Background(), "http://"+host+"/", false)
		if err != nil || r.Title != host {
			t.Fatalf("render %s: %v %+v", host, err, r)
		}
		most = max(most, len(rendererPIDs(pid)))
	}
	t.Logf("at most %d renderers over 8 hosts in one tab; browser tree %d MiB", most, treeRSS(pid)>>20)
	if most > 2 { // the tab's renderer and one swapping in
		t.Errorf("%d renderers for one worker over 8 hosts: a process per site?", most)
	}
}
