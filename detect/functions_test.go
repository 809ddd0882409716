package detect

import (
	"strings"
	"testing"

	"inspector/assets"
	"inspector/catalog"
	"inspector/model"
	"inspector/probe"
)

func subjects(fs []model.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Subject)
	}
	return out
}

func TestHomeFunctions(t *testing.T) {
	full := doc("青海省粮食局", `<p>工作动态</p>`)
	bare := `<html><head><title>某局</title></head><body><p>工作动态 2020-09-18</p><a href="/xxgk/">信息公开</a><a href="http://xf.qinghai.gov.cn/">网上信访</a><a href="/jjjb/">纪检举报信箱</a></body></html>`
	hd := page("http://www.qhlsj.gov.cn/hdjl/", probe.RoleInteraction, doc("互动交流", `<p>领导信箱</p>`))
	tests := []struct {
		name   string
		pages  []*probe.Page
		noSvc  bool
		want   []string // indicators expected
		absent []string
	}{
		{name: "complete home page", pages: []*probe.Page{page(home, "home", full), hd},
			absent: []string{"site.veto.interaction", "site.veto.service", "site.deduct.search", "site.deduct.error_entry"}},
		{name: "bare home page", pages: []*probe.Page{page(home, "home", bare)},
			want: []string{"site.veto.interaction", "site.veto.service", "site.deduct.search", "site.deduct.error_entry"}},
		{name: "department without services", noSvc: true, pages: []*probe.Page{page(home, "home", bare)},
			want: []string{"site.veto.interaction"}, absent: []string{"site.veto.service"}},
		{name: "interaction page broken", pages: []*probe.Page{page(home, "home", full), func() *probe.Page {
			p := page("http://www.qhlsj.gov.cn/hdjl/", probe.RoleInteraction, "")
			p.Status = 404
			return p
		}()}, want: []string{"site.veto.interaction"}},
		{name: "search box by placeholder, jiucuo script entry", pages: []*probe.Page{page(home, "home",
			`<html><body><input type="text" placeholder="请输入关键字搜索"><a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=1">找错</a><a href="/hd/">我要写信</a><a href="/bs/">网上办事</a></body></html>`)},
			absent: []string{"site.veto.interaction", "site.veto.service", "site.deduct.search", "site.deduct.error_entry"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := site()
			tg.NoServices = tc.noSvc
			fs := findings(t, capture(tg, tc.pages...))
			for _, w := range tc.want {
				if len(byIndicator(fs, w)) == 0 {
					dump(t, fs)
					t.Errorf("want %s", w)
				}
			}
			for _, a := range tc.absent {
				if got := byIndicator(fs, a); len(got) > 0 {
					dump(t, got)
					t.Errorf("want no %s", a)
				}
			}
		})
	}
}

func TestMessages(t *testing.T) {
	table := `<table><tr><th>标题</th><th>留言时间</th><th>答复时间</th></tr>
<tr><td>关于粮食补贴的咨询</td><td>2020-01-10</td><td>2020-01-15</td></tr>
<tr><td>仓储问题</td><td>2020-03-01</td><td>未答复</td></tr>
<tr><td>收购价格</td><td>2020-02-01</td><td>2020-05-20</td></tr>
<tr><td>新留言</td><td>2020-09-10</td><td></td></tr>
<tr><td>旧留言</td><td>2019-03-01</td><td></td></tr></table>`
	text := `<div class="msg"><h3>关于粮食补贴的咨询</h3><p>留言时间:2020年3月1日</p><p>答复时间:2020年6月10日</p></div>
<div class="msg"><h3>仓储问题</h3><p>留言时间:2020-04-02</p><p>答复时间:</p></div>`
	noTimes := `<div><h3>关于粮食补贴的咨询</h3><p>答复内容:已转相关科室办理。</p></div>`
	good := `<table><tr><th>标题</th><th>留言时间</th><th>答复时间</th></tr><tr><td>问</td><td>2020-08-01</td><td>2020-08-05</td></tr></table>`
	tests := []struct {
		name       string
		body       string
		unanswered int
		late       int
		noTimes    bool
	}{
		{"table", table, 1, 1, false},
		{"labelled text", text, 1, 1, false},
		{"no times", noTimes, 0, 0, true},
		{"all answered in time", good, 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := page("http://www.qhlsj.gov.cn/hdjl/lyxd/", probe.RoleInteraction, doc("留言选登", tc.body))
			fs := findings(t, capture(site(), page(home, "home", doc("青海省粮食局", "")), msg))
			un := byIndicator(fs, "site.veto.interaction")
			if got := 0; len(un) > 0 {
				got = un[0].Instances()
				if got != tc.unanswered || un[0].Subject != "unanswered" {
					dump(t, un)
					t.Errorf("unanswered %d, want %d", got, tc.unanswered)
				}
			} else if tc.unanswered > 0 {
				t.Errorf("no unanswered finding")
			}
			late := byIndicator(fs, "site.deduct.reply_late")
			gotLate, gotNo := false, false
			for _, f := range late {
				gotLate = gotLate || f.Subject == "late-replies"
				gotNo = gotNo || f.Subject == "no-times"
			}
			if gotLate != (tc.late > 0) || gotNo != tc.noTimes {
				dump(t, late)
				t.Errorf("late %v no-times %v, want %v %v", gotLate, gotNo, tc.late > 0, tc.noTimes)
			}
		})
	}
}

func TestGuides(t *testing.T) {
	complete := `<h1>粮食收购许可办事指南</h1><p>事项名称:粮食收购资格认定</p><p>设定依据:《粮食流通管理条例》</p><p>申请条件:……</p>
<p>申请材料:营业执照</p><p>办理地点:政务服务大厅</p><p>办理时间:工作日</p><p>咨询电话:0971-1234567</p><p>办理流程:受理、审核、决定</p>`
	partial := `<h1>粮食收购许可办事指南</h1><p>事项名称:粮食收购资格认定</p><p>申请材料:营业执照</p><p>咨询电话:0971-1234567</p>`
	g1 := page("http://www.qhlsj.gov.cn/bszn/1.html", probe.RoleGuide, doc("办事指南", complete))
	g2 := page("http://www.qhlsj.gov.cn/bszn/2.html", probe.RoleArticle, doc("粮食收购许可办事指南", partial))
	fs := byIndicator(findings(t, capture(site(), page(home, "home", doc("青海省粮食局", "")), g1, g2)), "site.deduct.guide_elements")
	if len(fs) != 1 || fs[0].Subject != g2.URL || fs[0].Instances() != 1 {
		dump(t, fs)
		t.Fatal("want one finding for the partial guide")
	}
	for _, m := range []string{"设定依据", "申请条件", "办理地点", "办理时间", "办理流程"} {
		if !strings.Contains(fs[0].Detail, m) {
			t.Errorf("detail %q does not name %s", fs[0].Detail, m)
		}
	}
	if strings.Contains(fs[0].Detail, "事项名称") {
		t.Errorf("detail names a present element: %q", fs[0].Detail)
	}
}

func TestGarbled(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		n     int // garbled instances (mojibake)
		typos string
	}{
		{"clean", `<p>青海省粮食局召开2020年第三季度工作会议,传达学习中华人民共和国有关法律。</p>`, 0, ""},
		{"锟斤拷", `<p>青海省粮食局锟斤拷锟斤拷召开会议</p>`, 1, ""},
		{"replacement characters", "<p>青海省\uFFFD\uFFFD\uFFFD召开会议,粮食\uFFFD局</p>", 2, ""},
		{"latin-1 mojibake", `<p>` + asLatin1("青海省粮食局") + ` 召开会议</p>`, 1, ""},
		{"utf-8 read as gbk", `<p>` + asGBK("青海省粮食局召开会议") + `</p>`, -1, ""},
		{"question marks", `<p>青海省粮食局召开????会议,学习了?????精神</p>`, 2, ""},
		{"question in English", `<p>What???</p>`, 0, ""},
		{"wrong state name", `<p>根据中华人民共合国粮食安全法,中华人民共合国</p>`, 0, "中华人民共合国"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := byIndicator(findings(t, capture(site(), page(home, "home", doc("青海省粮食局", tc.body)))), "site.deduct.garbled")
			n := 0
			typo := ""
			for _, f := range fs {
				if f.Subject == home {
					n = f.Instances()
				} else {
					typo = f.Subject
					if f.Instances() != 2 || !strings.Contains(f.Detail, "中华人民共和国") {
						t.Errorf("typo finding %+v", f)
					}
				}
			}
			if tc.n < 0 && n > 0 {
				n = tc.n
			}
			if n != tc.n || typo != tc.typos {
				dump(t, fs)
				t.Errorf("garbled %d typo %q, want %d %q", n, typo, tc.n, tc.typos)
			}
		})
	}
}

func TestGBKPageNotGarbled(t *testing.T) {
	// a GBK page the probe decoded correctly is ordinary text
	p := page(home, "home", doc("青海省粮食局", `<p>青海省粮食局关于做好秋粮收购工作的通知,各州、县粮食部门:现将有关事项通知如下。</p>`))
	p.Charset = "gbk"
	if fs := byIndicator(findings(t, capture(site(), p)), "site.deduct.garbled"); len(fs) > 0 {
		dump(t, fs)
		t.Fatal("correctly decoded GBK page judged garbled")
	}
}

func TestAccount(t *testing.T) {
	acc := model.Target{Code: "WB0001", Kind: model.KindAccount, Name: "青海粮食", Platform: "微博", URL: "http://weibo.example/u/1"}
	good := `<html><body><ul class="menu"><li><a href="http://weibo.example/u/1/news">最新动态</a></li><li><a href="http://weibo.example/u/1/msg">留言咨询</a></li><li><a href="http://weibo.example/u/1/svc">办事服务</a></li></ul>
<div class="post">秋粮收购工作启动 2020-09-18</div></body></html>`
	bad := `<html><body><ul class="menu"><li><a href="http://weibo.example/u/1/news">最新动态</a></li><li><a href="http://weibo.example/u/1/svc">办事服务</a></li></ul>
<div class="post">秋粮收购工作启动 2020-06-18</div><div style="display:none"><a href="http://www.xpj8888.com/">澳门新葡京</a></div></body></html>`
	empty := page("http://weibo.example/u/1/svc", probe.RoleAccount, `<html><body><p>暂无内容</p></body></html>`)
	empty.Role = "column"
	news := page("http://weibo.example/u/1/news", "column", `<html><body>`+strings.Repeat("<p>秋粮收购工作启动,各地粮食部门认真落实。</p>", 5)+`</body></html>`)

	c := capture(acc, page(acc.URL, probe.RoleAccount, good), news, empty)
	fs := findings(t, c)
	if got := byIndicator(fs, "account.deduct.menu"); len(got) != 1 || got[0].Subject != empty.URL {
		dump(t, fs)
		t.Errorf("want one menu finding for the empty page")
	}
	if len(byIndicator(fs, "account.veto.interaction")) > 0 || len(byIndicator(fs, "account.veto.security")) > 0 {
		dump(t, fs)
		t.Error("good account flagged")
	}
	if len(byIndicator(fs, "account.veto.stale")) > 0 {
		t.Error("account.veto.stale is analysis's job by default")
	}
	for _, f := range fs {
		if strings.HasPrefix(f.Indicator, "site.") {
			t.Errorf("site indicator on an account: %s", f.Indicator)
		}
	}

	c = capture(acc, page(acc.URL, probe.RoleAccount, bad), news)
	c.Links = []probe.LinkCheck{{URL: "http://weibo.example/u/1/svc", Status: 404, Result: probe.LinkBroken}}
	AccountStale = true
	defer func() { AccountStale = false }()
	fs = findings(t, c)
	for _, w := range []string{"account.veto.interaction", "account.veto.security", "account.deduct.menu", "account.veto.stale"} {
		if len(byIndicator(fs, w)) == 0 {
			dump(t, fs)
			t.Errorf("want %s", w)
		}
	}
}

func TestLexiconErrorsAreClear(t *testing.T) {
	// sections() reports unknown sections with the file and line
	if _, err := sections("interaction.txt", "channel"); err == nil || !strings.Contains(err.Error(), "interaction.txt:") {
		t.Errorf("want a located error, got %v", err)
	}
}

func TestGBKMojibake(t *testing.T) {
	found := 0
	for _, s := range []string{"青海省粮食局召开会议", "关于做好秋粮收购工作的通知", "政府信息公开工作年度报告", "中华人民共和国"} {
		g := asGBK(s)
		if strings.ContainsRune(g, 0xFFFD) {
			continue
		}
		found++
		if hs := gbkMojibake("正文:" + g + "。"); len(hs) != 1 {
			t.Errorf("%q (%q): %d hits", s, g, len(hs))
		}
	}
	if found == 0 {
		t.Fatal("no sample decodes without U+FFFD: the test checks nothing")
	}
	if hs := gbkMojibake("青海省粮食局关于做好秋粮收购工作的通知"); len(hs) != 0 {
		t.Errorf("real text judged mojibake: %+v", hs)
	}
}

// With the province's threshold set, many incomplete guides fail the site
// (服务不实用); with the default (0) they only deduct.
func TestGuidesVetoShare(t *testing.T) {
	partial := `<h1>粮食收购许可办事指南</h1><p>事项名称:粮食收购资格认定</p><p>申请材料:营业执照</p>`
	complete := `<h1>办事指南</h1><p>事项名称:甲</p><p>设定依据:乙</p><p>申请条件:丙</p><p>申请材料:丁</p><p>办理地点:戊</p><p>办理时间:己</p><p>咨询电话:0971-1234567</p><p>办理流程:庚</p>`
	c := capture(site(), page(home, "home", doc("青海省粮食局", "")),
		page("http://www.qhlsj.gov.cn/bszn/1.html", probe.RoleGuide, doc("办事指南", partial)),
		page("http://www.qhlsj.gov.cn/bszn/2.html", probe.RoleGuide, doc("办事指南", partial)),
		page("http://www.qhlsj.gov.cn/bszn/3.html", probe.RoleGuide, doc("办事指南", complete)))
	if fs := byIndicator(findings(t, c), "site.veto.service"); len(byIndicator(fs, "site.veto.service")) != 0 {
		for _, f := range fs {
			if f.Subject == "guides" {
				t.Fatalf("default catalogue: the guides veto is off, got %+v", f)
			}
		}
	}
	raw, _, err := assets.ReadFile(catalog.DefaultEdition)
	if err != nil {
		t.Fatal(err)
	}
	for share, want := range map[string]bool{"0.5": true, "0.7": false} {
		edited, err := catalog.Parse([]byte(strings.Replace(string(raw), `"service_guides_veto_share": 0`, `"service_guides_veto_share": `+share, 1)))
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, f := range byIndicator(Run(edited, asOf, c), "site.veto.service") {
			if f.Subject == "guides" {
				got = true
				if !strings.Contains(f.Detail, "2个缺少关键要素") || len(f.Evidence) != 2 {
					t.Errorf("detail %q, %d evidence", f.Detail, len(f.Evidence))
				}
			}
		}
		if got != want {
			t.Errorf("share %s: veto %v, want %v", share, got, want)
		}
	}
}
