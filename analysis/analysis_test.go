package analysis

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"inspector/catalog"
	"inspector/model"
	"inspector/probe"
)

var asOf = time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC)

func list(dates ...string) string {
	var b strings.Builder
	b.WriteString("<ul>")
	for i, d := range dates {
		fmt.Fprintf(&b, `<li><a href="/a/%d.html">第%d条信息的标题</a><span>%s</span></li>`, i, i, d)
	}
	b.WriteString("</ul>")
	return b.String()
}

func site(pages ...*probe.Page) *probe.Capture {
	return &probe.Capture{Target: model.Target{Code: "6300000001", Kind: model.KindSite, URL: "http://www.a.gov.cn/", Status: model.StatusRunning},
		Round: "2020Q3", Pages: pages}
}

func home(body string) *probe.Page {
	return &probe.Page{URL: "http://www.a.gov.cn/", FinalURL: "http://www.a.gov.cn/index.html", Status: 200, Role: probe.RoleHome, Raw: body}
}

func col(name, slug, body string) *probe.Page {
	u := "http://www.a.gov.cn/" + slug + "/"
	return &probe.Page{URL: u, FinalURL: u, Status: 200, Role: probe.RoleColumn, LinkText: name, Raw: body}
}

// mine are the indicators this package derives (the detectors' findings
// are tested in package detect).
var mine = map[string]bool{IndUnreachable: true, IndHomeStale: true, IndColumnsStale: true, IndColumnStale: true,
	IndHomeLinks: true, IndLinks: true, IndDomainChanged: true, IndOfflineUnfiled: true, IndAccStale: true}

func codes(fs []model.Finding) string {
	var s []string
	for _, f := range fs {
		if !mine[f.Indicator] {
			continue
		}
		s = append(s, f.Indicator+"@"+f.Subject)
	}
	return strings.Join(s, " ")
}

// nav5 links five columns from the home page: first-level columns.
const nav5 = `<a href="/c1/">工作动态</a><a href="/c2/">要闻</a><a href="/c3/">通知公告</a><a href="/c4/">政策文件</a><a href="/c5/">政策解读</a>`

func TestAnalyze(t *testing.T) {
	cat := catalog.MustLoad()
	cases := []struct {
		name string
		c    *probe.Capture
		want string
	}{
		{"fresh", site(home(list("2020-09-20")), col("工作动态", "gzdt", list("2020-09-25"))), ""},
		{"home stale", site(home(list("2020-09-01")), col("工作动态", "gzdt", list("2020-09-25"))),
			"site.veto.home_stale@http://www.a.gov.cn/"},
		{"home on the window edge", site(home(list("2020-09-14"))), ""},
		{"nav-only home, fresh column", site(home(`<a href="/gzdt/">工作动态</a>`), col("工作动态", "gzdt", list("2020-09-25"))), ""},
		{"nav-only home, stale columns", site(home(`<a href="/gzdt/">工作动态</a>`), col("工作动态", "gzdt", list("2020-08-01"))),
			"site.deduct.column_stale@http://www.a.gov.cn/gzdt/ site.veto.home_stale@http://www.a.gov.cn/"},
		{"one stale, one blank", site(home(list("2020-09-20")), col("通知公告", "tzgg", list("2020-01-01")), col("人事信息", "rsxx", "<p>暂无信息</p>"), col("规划计划", "ghjh", list("2020-01-01"))),
			"site.deduct.column_stale@http://www.a.gov.cn/rsxx/ site.deduct.column_stale@http://www.a.gov.cn/tzgg/"},
		{"five stale news/notice columns", site(home(list("2020-09-20")+nav5),
			col("工作动态", "c1", list("2020-08-01")), col("要闻", "c2", list("2020-08-01")), col("通知公告", "c3", list("2019-08-01")),
			col("政策文件", "c4", list("2019-08-01")), col("政策解读", "c5", list("2019-08-01"))),
			"site.veto.columns_stale@http://www.a.gov.cn/"},
		{"four stale news/notice columns and a blank one", site(home(list("2020-09-20")+nav5),
			col("工作动态", "c1", list("2020-08-01")), col("要闻", "c2", list("2020-08-01")), col("通知公告", "c3", list("2019-08-01")),
			col("政策文件", "c4", list("2019-08-01")), col("政策解读", "c5", "<div>暂无数据</div>")),
			"site.deduct.column_stale@http://www.a.gov.cn/c1/ site.deduct.column_stale@http://www.a.gov.cn/c2/ site.deduct.column_stale@http://www.a.gov.cn/c3/ site.deduct.column_stale@http://www.a.gov.cn/c4/ site.deduct.column_stale@http://www.a.gov.cn/c5/"},
		{"second-level notice columns do not count for (a)", site(home(list("2020-09-20")+`<a href="/c1/">工作动态</a><a href="/c2/">要闻</a>`),
			col("工作动态", "c1", list("2020-08-01")), col("要闻", "c2", list("2020-08-01")), col("通知公告", "c3", list("2019-08-01")),
			col("政策文件", "c4", list("2019-08-01")), col("政策解读", "c5", list("2019-08-01"))),
			"site.deduct.column_stale@http://www.a.gov.cn/c1/ site.deduct.column_stale@http://www.a.gov.cn/c2/ site.deduct.column_stale@http://www.a.gov.cn/c3/ site.deduct.column_stale@http://www.a.gov.cn/c4/ site.deduct.column_stale@http://www.a.gov.cn/c5/"},
		{"five blank columns", site(home(list("2020-09-20")),
			col("工作动态", "c1", "<div>暂无数据</div>"), col("人事信息", "c2", "<div>暂无信息</div>"), col("通知公告", "c3", "<div>暂无数据</div>"),
			col("规划计划", "c4", "<div>暂无信息</div>"), col("政策解读", "c5", "<div>暂无数据</div>")),
			"site.veto.columns_stale@http://www.a.gov.cn/"},
		{"ten stale columns of any category", site(home(list("2020-09-20")),
			col("人事信息", "c1", list("2019-01-01")), col("规划计划", "c2", list("2019-01-01")), col("人事任免", "c3", list("2019-01-01")),
			col("发展规划", "c4", list("2019-01-01")), col("工作计划", "c5", list("2019-01-01")), col("通知公告", "c6", list("2019-08-01")),
			col("政策文件", "c7", list("2019-08-01")), col("政策解读", "c8", list("2019-08-01")), col("规范性文件", "c9", list("2019-08-01")),
			col("公示公告", "c10", list("2019-08-01"))),
			"site.veto.columns_stale@http://www.a.gov.cn/"},
		{"unreachable", func() *probe.Capture {
			c := site(&probe.Page{URL: "http://www.a.gov.cn/", Role: probe.RoleHome, Err: "no response within 15s"})
			c.Visits = []probe.Visit{{OK: false, Err: "no response within 15s"}, {OK: false, Err: "connection refused"}}
			return c
		}(), "site.registry.offline_unfiled@http://www.a.gov.cn/ site.veto.unreachable@http://www.a.gov.cn/"},
		{"closed as filed", func() *probe.Capture {
			c := site(&probe.Page{URL: "http://www.a.gov.cn/", Role: probe.RoleHome, Err: "connection refused"})
			c.Target.Status = model.StatusClosed
			return c
		}(), ""},
		{"domain changed", func() *probe.Capture {
			h := home(list("2020-09-20"))
			h.FinalURL, h.Redirects = "http://www.b.gov.cn/index.html", []string{"http://www.a.gov.cn/"}
			return site(h)
		}(), "site.registry.domain_changed@http://www.b.gov.cn/"},
		{"broken links", func() *probe.Capture {
			c := site(home(list("2020-09-20")))
			c.Links = []probe.LinkCheck{{URL: "http://www.a.gov.cn/x.jpg", Status: 404, Result: probe.LinkBroken, OnHome: true, From: []string{"http://www.a.gov.cn/"}},
				{URL: "http://www.a.gov.cn/y.html", Status: 404, Result: probe.LinkBroken, From: []string{"http://www.a.gov.cn/gzdt/"}},
				{URL: "http://zz.com/", Result: probe.LinkSkipped}, {URL: "http://q.gov.cn/", Status: 403, Result: probe.LinkBlocked}}
			return c
		}(), "site.deduct.home_links@http://www.a.gov.cn/x.jpg site.deduct.links@http://www.a.gov.cn/y.html"},
	}
	for _, c := range cases {
		fs := Analyze(cat, asOf, c.c)
		if got := codes(fs); got != c.want {
			t.Errorf("%s:\n got  %s\n want %s", c.name, got, c.want)
		}
		for _, f := range fs {
			if f.Round != "2020Q3" || f.Target != "6300000001" || f.Source != model.SourceProbe || f.Confidence == "" || len(f.Evidence) == 0 || f.UID == "" {
				t.Errorf("%s: incomplete finding %+v", c.name, f)
			}
		}
	}
}

func TestNonGovDomain(t *testing.T) {
	c := site(home(list("2020-09-20")))
	c.Target.URL = "http://www.a-county.com/"
	c.Pages[0].URL, c.Pages[0].FinalURL = c.Target.URL, c.Target.URL
	if got := codes(Analyze(catalog.MustLoad(), asOf, c)); got != "site.registry.domain_changed@http://www.a-county.com/" {
		t.Errorf("got %s", got)
	}
}

func TestAccountStale(t *testing.T) {
	c := &probe.Capture{Round: "r", Target: model.Target{Code: "A1", Kind: model.KindAccount, URL: "http://weibo.example/u/1"},
		Pages: []*probe.Page{{URL: "http://weibo.example/u/1", FinalURL: "http://weibo.example/u/1", Status: 200, Role: probe.RoleAccount,
			Raw: `<div class="WB_from">2020-8-2 10:30 来自 微博</div>`}}}
	if got := codes(Analyze(catalog.MustLoad(), asOf, c)); got != "account.veto.stale@http://weibo.example/u/1" {
		t.Errorf("got %s", got)
	}
	c.Pages[0].Raw = `<div class="WB_from">2020-9-22 10:30</div>`
	if got := codes(Analyze(catalog.MustLoad(), asOf, c)); got != "" {
		t.Errorf("fresh account: got %s", got)
	}
}

func TestAvailability(t *testing.T) {
	cat := catalog.MustLoad()
	var vs []probe.Visit
	for d := 0; d < 7; d++ {
		for i := 0; i < 20; i++ {
			vs = append(vs, probe.Visit{At: asOf.AddDate(0, 0, -d).Add(time.Duration(i) * time.Hour), OK: !(d == 0 && i < 7)})
		}
	}
	a := Evaluate(cat, asOf, vs)
	if !a.Enough || !a.Unreached || a.Failed != 7 {
		t.Errorf("7/140 failed: %+v", a)
	}
	if f := AvailabilityFinding(cat, asOf, "r", model.Target{Code: "x", Kind: "site", URL: "http://a.gov.cn/"}, vs); f == nil || f.Confidence != model.ConfCertain {
		t.Errorf("finding %+v", f)
	}
	a = Evaluate(cat, asOf, vs[:100])
	if a.Enough || a.Unreached || !strings.Contains(a.Reason, "不足") {
		t.Errorf("too few visits: %+v", a)
	}
	vs[0].OK, vs[1].OK, vs[2].OK = true, true, true
	if a := Evaluate(cat, asOf, vs); a.Unreached {
		t.Errorf("4/140 failed: %+v", a)
	}
}
