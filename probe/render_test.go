package probe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// needChrome returns a shared browser. Without Chromium a test fails in
// CI and is skipped elsewhere.
func needChrome(t *testing.T, cfg Config) *Browser {
	t.Helper()
	if _, err := FindChrome(cfg.ChromePath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chrome is required in CI: %v", err)
		}
		t.Skipf("no Chrome: %v", err)
	}
	b, err := NewBrowser(cfg)
	if err != nil {
		t.Fatalf("start browser: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

const hiddenPage = `<!doctype html><html><head><meta charset="utf-8"><title>隐藏链接</title>
<style>.gone{display:none} .box{height:0;overflow:hidden} body{background:#fff}</style></head><body>
<a id="v" href="/visible">正常链接</a>
<div class="gone"><a href="http://spam1.com/">display</a></div>
<div style="visibility:hidden"><a href="http://spam2.com/">visibility</a></div>
<div style="opacity:0"><a href="http://spam3.com/">opacity</a></div>
<div style="position:absolute;left:-9999px;top:10px"><a href="http://spam4.com/">offscreen</a></div>
<div class="box"><a href="http://spam5.com/">clip</a></div>
<a href="http://spam6.com/" style="font-size:0">font</a>
<a href="http://spam7.com/" style="color:#fff">color</a>
<img src="/logo.png" width="10" height="10">
<script>alert("hello"); confirm("sure?");
document.write('<a href="http://spam8.com/">written</a>');</script>
</body></html>`

const xhrPage = `<!doctype html><html><head><meta charset="utf-8"><title>工作动态</title></head><body>
<ul class="list" id="l"></ul>
<script type="application/json" id="data">[{"t":"全省工作会议召开","d":"2020-09-20","u":"/art/1.html"}]</script>
<script>setTimeout(function(){ fetch('/data.json').then(r=>r.json()).then(function(rows){
  var h=''; rows.concat(JSON.parse(document.getElementById('data').textContent)).forEach(function(r){ h+='<li><a href="'+r.u+'">'+r.t+'</a><span>'+r.d+'</span></li>'; });
  document.getElementById('l').innerHTML=h; }); }, 300);</script></body></html>`

func testSite(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/hidden", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, hiddenPage) })
	mux.HandleFunc("/xhr", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, xhrPage) })
	mux.HandleFunc("/data.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `[{"t":"关于做好防汛工作的通知","d":"2020-09-25","u":"/art/2.html"}]`)
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><p>loop</p><script>for(;;){}</script></body></html>`)
	})
	mux.HandleFunc("/alerts", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><p>alerts</p><script>for(var i=0;i<1000;i++){alert(i)} window.onbeforeunload=function(){return "stay"};</script></body></html>`)
	})
	mux.HandleFunc("/bignode", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString("<html><body>")
		for i := 0; i < 100000; i++ {
			fmt.Fprintf(&b, "<div><a href=\"/n%d\">n%d</a></div>", i, i)
		}
		b.WriteString("</body></html>")
		fmt.Fprint(w, b.String())
	})
	mux.HandleFunc("/trickle", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><body><p>slow</p>")
		for i := 0; i < 200; i++ {
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(100 * time.Millisecond):
			}
			fmt.Fprint(w, "<p>.</p>")
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestRenderVisibilityDialogsAndScripts(t *testing.T) {
	srv := testSite(t)
	cfg := Config{Resolve: map[string]string{"www.test.gov.cn": hostOf(srv)}, BlockUnmapped: true, Timeout: 5 * time.Second}
	b := needChrome(t, cfg)
	tab := b.Tab()
	defer tab.Close()
	ctx := context.Background()

	start := time.Now()
	r, err := tab.Render(ctx, "http://www.test.gov.cn/hidden", true)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	t.Logf("hidden page rendered in %s", time.Since(start))
	got := map[string]string{}
	for _, l := range r.Links {
		got[l.Href] = l.Hidden
	}
	want := map[string]string{
		"http://www.test.gov.cn/visible": "", "http://spam1.com/": "display", "http://spam2.com/": "visibility",
		"http://spam3.com/": "opacity", "http://spam4.com/": "offscreen", "http://spam5.com/": "clip",
		"http://spam6.com/": "font-size", "http://spam7.com/": "color", "http://spam8.com/": "", "http://www.test.gov.cn/logo.png": "",
	}
	for h, w := range want {
		if g, ok := got[h]; !ok || g != w {
			t.Errorf("%s: hidden %q (present %v), want %q", h, g, ok, w)
		}
	}
	if len(r.Shot) < 1000 || r.Shot[0] != 0xFF || r.Shot[1] != 0xD8 {
		t.Errorf("screenshot is not a JPEG (%d bytes)", len(r.Shot))
	}
	if r.Title != "隐藏链接" || !strings.Contains(r.Text, "正常链接") {
		t.Errorf("title %q text %q", r.Title, r.Text)
	}

	r, err = tab.Render(ctx, "http://www.test.gov.cn/xhr", false)
	if err != nil {
		t.Fatalf("render xhr: %v", err)
	}
	if !strings.Contains(r.DOM, "关于做好防汛工作的通知") || !strings.Contains(r.DOM, "全省工作会议召开") {
		t.Errorf("script-drawn list missing from the rendered DOM: %s", r.DOM)
	}
}

func TestRenderHostilePages(t *testing.T) {
	srv := testSite(t)
	cfg := Config{Resolve: map[string]string{"www.test.gov.cn": hostOf(srv)}, BlockUnmapped: true, Timeout: 3 * time.Second, SettleMax: time.Second}
	b := needChrome(t, cfg)
	tab := b.Tab()
	defer tab.Close()
	ctx := context.Background()
	for _, p := range []string{"/endless", "/alerts", "/bignode", "/trickle", "/hidden"} {
		start := time.Now()
		r, err := tab.Render(ctx, "http://www.test.gov.cn"+p, true)
		d := time.Since(start)
		n := 0
		if r != nil {
			n = len(r.Links)
		}
		t.Logf("%s: %s, %d links, err %v", p, d.Round(time.Millisecond), n, err)
		if d > 12*time.Second {
			t.Errorf("%s took %s", p, d)
		}
		if p == "/hidden" && err != nil {
			t.Errorf("the tab did not recover after hostile pages: %v", err)
		}
		if p == "/alerts" && err != nil {
			t.Errorf("alerts: %v", err)
		}
	}
	// Unmapped hosts are refused by the browser too.
	r, err := tab.Render(ctx, "http://www.example.com/", false)
	if err == nil && r != nil && strings.Contains(r.Text, "Example Domain") {
		t.Errorf("the browser reached an unmapped host")
	}
}
