package probe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"inspector/model"
)

// A small site: a home page with columns, a list, an article with a broken
// link, a soft-404 error page and a spam link that must never be fetched.
func smallSite(t *testing.T, spamHits *atomic.Int32) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			http.Redirect(w, r, "/index.html", http.StatusFound)
		case "/index.html":
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>测试局</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/gzdt/">工作动态</a><a href="/tzgg/">通知公告</a></div>
<div class="box"><h3>工作动态</h3><a href="/gzdt/">更多</a><ul><li><a href="/gzdt/a1.html">局领导调研秋收工作</a><span>2020-09-25</span></li></ul></div>
<a href="http://casino-bet365.com/">友情链接</a><img src="/missing.png"><a href="/gone.html">失效</a>
<a href="/hdjl/">互动交流</a></body></html>`)
		case "/gzdt/":
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>工作动态</title></head><body><ul class="list">
<li><a href="/gzdt/a1.html">局领导调研秋收工作</a><span>2020-09-25</span></li>
<li><a href="/gzdt/a2.html">召开全局干部大会</a><span>2020-09-10</span></li></ul>
<a href="/gzdt/index_1.html">下一页</a></body></html>`)
		case "/gzdt/index_1.html":
			fmt.Fprint(w, `<html><body><ul class="list"><li><a href="/gzdt/a3.html">上月的会议新闻报道</a><span>2020-08-10</span></li></ul></body></html>`)
		case "/tzgg/":
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>通知公告</title></head><body><div class="list">暂无信息</div></body></html>`)
		case "/gzdt/a1.html", "/gzdt/a2.html", "/hdjl/":
			fmt.Fprint(w, `<html><body><p>发布时间：2020-09-25</p><p>正文</p></body></html>`)
		case "/gzdt/a3.html":
			fmt.Fprint(w, `<html><body><p>发布时间：2020-08-10</p><a href="/files/old.doc">附件</a></body></html>`)
		default:
			// A soft 404: the error page answers 200.
			fmt.Fprint(w, `<html><head><title>页面不存在</title></head><body>您访问的页面不存在</body></html>`)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestProbeSiteNoBrowser(t *testing.T) {
	var spam atomic.Int32
	srv := smallSite(t, &spam)
	cfg := Config{Resolve: map[string]string{"www.csj.gov.cn": hostOf(srv)}, BlockUnmapped: true, NoBrowser: true, Timeout: 3 * time.Second}
	tgt := model.Target{Code: "T1", Kind: model.KindSite, URL: "http://www.csj.gov.cn/", Status: model.StatusRunning}
	var got *Capture
	err := Run(context.Background(), cfg, []model.Target{tgt}, "r", time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC),
		func(c *Capture) error { got = c; return nil }, nil)
	if err != nil || got == nil {
		t.Fatalf("run: %v", err)
	}
	roles := map[string]string{}
	for _, p := range got.Pages {
		roles[strings.TrimPrefix(p.URL, "http://www.csj.gov.cn")] = p.Role
	}
	for u, role := range map[string]string{"/": RoleHome, "/gzdt/": RoleColumn, "/tzgg/": RoleColumn, "/gzdt/index_1.html": RoleList,
		"/gzdt/a1.html": RoleArticle, "/gzdt/a3.html": RoleArticle, "/hdjl/": RoleInteraction} {
		if roles[u] != role {
			t.Errorf("page %s: role %q, want %q (pages %v)", u, roles[u], role, roles)
		}
	}
	if h := got.Pages[0]; h.FinalURL != "http://www.csj.gov.cn/index.html" || len(h.Redirects) != 1 {
		t.Errorf("home final %s redirects %v", h.FinalURL, h.Redirects)
	}
	links := map[string]LinkCheck{}
	for _, l := range got.Links {
		links[strings.TrimPrefix(l.URL, "http://www.csj.gov.cn")] = l
	}
	for u, want := range map[string]string{"/missing.png": LinkBroken, "/gone.html": LinkBroken, "/files/old.doc": LinkBroken, "http://casino-bet365.com/": LinkSkipped, "/gzdt/": LinkOK} {
		if links[u].Result != want {
			t.Errorf("link %s: %q (%s), want %q", u, links[u].Result, links[u].Err, want)
		}
	}
	if !links["/gone.html"].OnHome || links["/files/old.doc"].OnHome {
		t.Errorf("OnHome wrong: %+v %+v", links["/gone.html"], links["/files/old.doc"])
	}
	if len(got.Variants) != len(variants) || len(got.Visits) != 1 || !got.Visits[0].OK {
		t.Errorf("variants %d visits %+v", len(got.Variants), got.Visits)
	}
}

func TestProbeUnreachableAndCancel(t *testing.T) {
	// A home page that never answers in time.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(30 * time.Second):
		}
	}))
	defer slow.Close()
	cfg := Config{Resolve: map[string]string{"www.slow.gov.cn": hostOf(slow)}, BlockUnmapped: true, NoBrowser: true, Timeout: 500 * time.Millisecond}
	tgt := model.Target{Code: "S", Kind: model.KindSite, URL: "http://www.slow.gov.cn/"}
	var got *Capture
	start := time.Now()
	Run(context.Background(), cfg, []model.Target{tgt}, "r", time.Now(), func(c *Capture) error { got = c; return nil }, nil)
	if got == nil || len(got.Visits) != 2 || got.Visits[0].OK || !strings.Contains(got.Visits[0].Err, "within") {
		t.Fatalf("visits %+v", got)
	}
	t.Logf("unreachable target judged in %s: %s", time.Since(start).Round(time.Millisecond), got.Visits[0].Err)

	// Ctrl-C: a cancelled run returns within seconds and hands over no
	// half capture.
	ctx, cancel := context.WithCancel(context.Background())
	cfg.Timeout = 20 * time.Second
	n := 0
	go func() { time.Sleep(300 * time.Millisecond); cancel() }()
	start = time.Now()
	err := Run(ctx, cfg, []model.Target{tgt, tgt, tgt}, "r", time.Now(), func(c *Capture) error { n++; return nil }, nil)
	if err == nil || n != 0 || time.Since(start) > 3*time.Second {
		t.Errorf("cancel: err %v, %d captures, %s", err, n, time.Since(start))
	}
}
