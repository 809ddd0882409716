package detect

import (
	"strings"
	"testing"

	"inspector/model"
	"inspector/probe"
)

func TestLexiconsAndNormalize(t *testing.T) {
	if err := LoadLexicons(); err != nil {
		t.Fatal(err)
	}
	want := Normalize("澳门新葡京")
	for _, s := range []string{"澳門新葡京", "澳 门★新\u200b葡·京", "ＡＶ在線", "澳门-新-葡-京"} {
		got := Normalize(s)
		if s == "ＡＶ在線" {
			if got != "av在线" {
				t.Errorf("Normalize(%q) = %q", s, got)
			}
			continue
		}
		if got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestSpamHost(t *testing.T) {
	for host, want := range map[string]bool{
		"www.xpj8888.com":       true,
		"hg3088.net":            true,
		"www.js0099.cc":         true,
		"amjs.vip":              true,
		"www.bet365.com":        true,
		"m.casino-royal.com":    true,
		"abc123.cc":             true,
		"www.pornhub.xxx":       true,
		"liuhecai-zl.com":       true,
		"www.qhlsj.gov.cn":      false,
		"js.gov.cn":             false,
		"www.xinhuanet.com":     false,
		"cdn.jsdelivr.net":      false,
		"static-js.example.com": false,
		"www.people.com.cn":     false,
		"127.0.0.1":             false,
		"www.12306.cn":          false,
		"www.agri.cn":           false,
	} {
		if got := SpamHost(host); got != want {
			t.Errorf("SpamHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestSpamLink(t *testing.T) {
	if ok, _ := SpamLink("http://www.example.com/a", "澳門新葡京"); !ok {
		t.Error("spam text link not judged spam")
	}
	if ok, _ := SpamLink("http://www.example.com/a", "警惕澳门新葡京网络赌博陷阱"); ok {
		t.Error("lawful link text judged spam")
	}
	if ok, _ := SpamLink("http://www.gov.cn/a", "六合彩"); ok {
		t.Error("government host judged spam")
	}
}

const spamLinks = `<a href="http://www.xpj8888.com/">澳门新葡京</a><a href="http://www.hg3088.net/">皇冠体育</a><a href="http://www.av-tt.cc/">成人影院</a>`

func TestSecurity(t *testing.T) {
	stylesheet := &probe.Page{URL: "http://www.qhlsj.gov.cn/css/hide.css", FinalURL: "http://www.qhlsj.gov.cn/css/hide.css", Status: 200,
		ContentType: "text/css", Raw: readTestdata(t, "hide.css")}
	lawfulGambling := `<div class="article"><h1>我局开展打击非法赌博专项行动</h1>
<p>为严厉打击网络赌博、六合彩、时时彩等违法犯罪活动,市公安局开展专项整治。</p>
<p>警方提醒:警惕“澳门新葡京”“百家乐”等网络赌博陷阱,切勿下载来历不明的博彩软件。</p>
<p>扫黄打非:依法取缔成人影院、查处传播淫秽色情网站的违法行为。</p></div>`
	lawfulFraud := `<div class="article"><h1>反诈宣传进社区</h1>
<p>近日,我局联合派出所开展反诈宣传,提醒群众防范“刷单返利”“代开发票”“网贷口子”等骗局,谨防上当受骗。</p>
<p>民警现场讲解了破获的“兼职刷单”诈骗案件。</p></div>`
	tests := []struct {
		name    string
		pages   []*probe.Page
		vars    []probe.Variant
		subject string // "" = no security finding
		conf    string
		want    string // a substring of the evidence
	}{
		{name: "clean page", pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<p>我局召开工作会议</p>`)), stylesheet}},
		{name: "lawful anti-gambling news", pages: []*probe.Page{page(home, "home", doc("打击非法赌博", lawfulGambling)), stylesheet}},
		{name: "lawful anti-fraud news", pages: []*probe.Page{page(home, "home", doc("反诈宣传", lawfulFraud)), stylesheet}},
		{name: "visible traditional spam block", subject: "spam-text", conf: model.ConfCertain, want: "新葡京",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<p>工作动态</p><div>`+readTestdata(t, "spam-foot.txt")+`</div>`))}},
		{name: "hidden by class in external stylesheet", subject: "www.xpj8888.com", conf: model.ConfCertain, want: "xpj8888",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<div class="yqlj-foot">`+spamLinks+`</div>`)), stylesheet}},
		{name: "external stylesheet class without spam words: cluster", subject: "hidden-links", conf: model.ConfSuspect, want: "shop-a.com",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<div class="yqlj-foot"><a href="http://shop-a.com/">a</a><a href="http://shop-b.net/">b</a><a href="http://shop-c.org/">c</a></div>`)), stylesheet}},
		{name: "stylesheet not fetched: class says nothing", pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<div class="yqlj-foot"><a href="http://shop-a.com/">a</a><a href="http://shop-b.net/">b</a><a href="http://shop-c.org/">c</a></div>`))}},
		{name: "clipped by zero-height parent", subject: "www.hg3088.net", conf: model.ConfCertain, want: "hg3088",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<div style="height:0;overflow:hidden">`+spamLinks+`</div>`))}},
		{name: "inline display none", subject: "www.av-tt.cc", conf: model.ConfCertain, want: "成人影院",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<div style="display:none">`+spamLinks+`</div>`))}},
		{name: "style block offscreen and font-size 0", subject: "www.xpj8888.com", conf: model.ConfCertain, want: "xpj8888",
			pages: []*probe.Page{page(home, "home", `<html><head><style>#f{font-size:0}</style></head><body><p id="f">`+spamLinks+`</p></body></html>`)}},
		{name: "colour equals background", subject: "www.xpj8888.com", conf: model.ConfCertain, want: "xpj8888",
			pages: []*probe.Page{page(home, "home", `<html><body><div style="background:#fff"><span style="color:white">`+spamLinks+`</span></div></body></html>`)}},
		{name: "hidden nav menu of internal and government links", pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<div style="display:none"><a href="/a">内部</a><a href="http://www.qinghai.gov.cn/b">省政府</a><a href="http://www.xinhuanet.com/">新华网</a></div>`)), stylesheet}},
		{name: "rendered link hidden by browser", subject: "www.xpj8888.com", conf: model.ConfCertain, want: "透明度为0",
			pages: []*probe.Page{func() *probe.Page {
				p := page(home, "home", doc("青海省粮食局", ""))
				p.Rendered = p.Raw
				p.Links = []probe.Link{{Href: "http://www.xpj8888.com/", Text: "新葡京", Tag: "a", Hidden: "opacity"}}
				return p
			}()}},
		{name: "visible spam host link", subject: "www.xpj8888.com", conf: model.ConfCertain, want: "xpj8888",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<a href="http://www.xpj8888.com/">友情链接</a>`))}},
		{name: "script-only links", subject: "www.hg3088.net", conf: model.ConfCertain, want: "hg3088",
			pages: []*probe.Page{func() *probe.Page {
				p := page(home, "home", doc("青海省粮食局", ""))
				p.Rendered = strings.Replace(p.Raw, "</body>", `<a href="http://www.hg3088.net/">皇冠体育</a></body>`, 1)
				p.Links = []probe.Link{{Href: "http://www.hg3088.net/", Text: "皇冠体育", Tag: "a", Visible: true, ScriptOnly: true}}
				return p
			}()}},
		{name: "obfuscated script fromCharCode", subject: "www.xpj8888.com", conf: model.ConfCertain, want: "xpj",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<script>document.write(String.fromCharCode(`+charCodes(`<a href="http://www.xpj8888.com/">澳门新葡京</a>`)+`));</script>`))}},
		{name: "obfuscated script atob + eval", subject: "www.hg3088.net", conf: model.ConfCertain, want: "hg3088",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<script>eval(atob("`+b64(`document.write('<div style="display:none"><a href="http://www.hg3088.net/">皇冠体育</a></div>')`)+`"));</script>`))}},
		{name: "obfuscated script hex escapes", subject: "www.js0099.cc", conf: model.ConfCertain, want: "js0099",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<script>var s="`+hexEsc(`<a href="http://www.js0099.cc/">百家乐</a>`)+`";document.write(s);</script>`))}},
		{name: "plain document.write of a government link", pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<script>document.write('<a href="http://www.gov.cn/">中国政府网</a>');</script>`))}},
		{name: "meta refresh to spam host", subject: "www.xpj8888.com", conf: model.ConfCertain, want: "xpj8888",
			pages: []*probe.Page{page(home, "home", `<html><head><meta http-equiv="refresh" content="0;url=http://www.xpj8888.com/"></head><body></body></html>`)}},
		{name: "script redirect of search visitors", subject: "www.shop-x.com", conf: model.ConfCertain, want: "Referer",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<script>var r=document.referrer;if(r.indexOf("baidu")>0||r.indexOf("sogou")>0){window.location.href="http://www.shop-x.com/";}</script>`))}},
		{name: "window-filling frame", subject: "redirect", conf: model.ConfSuspect, want: "shop-y",
			pages: []*probe.Page{page(home, "home", `<html><frameset rows="100%"><frame src="http://www.shop-y.com/"></frameset></html>`)}},
		{name: "UA-only cloaking", subject: "cloaking", conf: model.ConfCertain, want: "baiduspider",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<p>工作动态</p>`)), stylesheet},
			vars: []probe.Variant{{Name: "baiduspider", UserAgent: "Mozilla/5.0 (compatible; Baiduspider/2.0)", Status: 200, FinalURL: home,
				Raw: doc("澳门新葡京_百家乐_真人视讯", `<p>工作动态</p>`+spamLinks)},
				{Name: "mobile", UserAgent: "iPhone", Status: 200, FinalURL: "http://m.qhlsj.gov.cn/", Raw: doc("青海省粮食局", `<p>手机版</p>`)}}},
		{name: "Referer-only cloaking", subject: "www.xpj8888.com", conf: model.ConfCertain, want: "xpj8888",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<p>工作动态</p>`))},
			vars: []probe.Variant{{Name: "referer-baidu", Referer: "https://www.baidu.com/s?wd=qhlsj", Status: 200,
				FinalURL: "http://www.xpj8888.com/", Redirects: []string{home}}}},
		{name: "variants identical", pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<p>工作动态</p>`))},
			vars: []probe.Variant{{Name: "googlebot", UserAgent: "Googlebot", Status: 200, FinalURL: home, Raw: doc("青海省粮食局", `<p>工作动态</p>`)}}},
		{name: "outbound cluster with context words", subject: "outbound-links", conf: model.ConfSuspect, want: "loan-a",
			pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<div><a href="http://loan-a.com/">无抵押贷款</a><a href="http://loan-b.com/">贷款客服QQ</a><a href="http://loan-c.com/">快速贷款</a><a href="http://loan-d.com/">彩票</a><a href="http://loan-e.com/">棋牌</a></div>`))}},
		{name: "context words alone", pages: []*probe.Page{page(home, "home", doc("青海省粮食局", `<p>我省出台贷款贴息政策,联系我们可加微信。</p>`))}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := capture(site(), tc.pages...)
			c.Variants = tc.vars
			fs := byIndicator(findings(t, c), "site.veto.security")
			seen := map[string]bool{}
			for _, f := range fs {
				if seen[f.Subject] {
					dump(t, fs)
					t.Fatalf("duplicate subject %q", f.Subject)
				}
				seen[f.Subject] = true
			}
			if tc.subject == "" {
				if len(fs) > 0 {
					dump(t, fs)
					t.Fatalf("want no security finding, got %d", len(fs))
				}
				return
			}
			var f *model.Finding
			for i := range fs {
				if fs[i].Subject == tc.subject {
					f = &fs[i]
				}
			}
			if f == nil {
				dump(t, fs)
				t.Fatalf("no finding with subject %q", tc.subject)
			}
			if f.Confidence != tc.conf {
				dump(t, fs)
				t.Errorf("confidence %s, want %s", f.Confidence, tc.conf)
			}
			found := false
			for _, e := range f.Evidence {
				if strings.Contains(e.Snippet, tc.want) && e.URL != "" {
					found = true
				}
			}
			if !found {
				dump(t, fs)
				t.Errorf("evidence does not mention %q", tc.want)
			}
			if !strings.Contains(f.Detail, "") || f.Subject == "" {
				t.Errorf("empty subject")
			}
			if f.Source != model.SourceProbe || f.Round != "2020Q3" || f.Target != "6300000001" || f.Kind != "site" || f.Detail == "" {
				t.Errorf("bad finding header: %+v", f)
			}
		})
	}
}

func TestBulletinFootBlock(t *testing.T) {
	text := readTestdata(t, "bulletin-2020Q3.txt")
	clean := page(home, "article", doc("關于2020年第三季度全省政府網站檢查情況的通報", paragraphs(text)))
	if fs := byIndicator(findings(t, capture(site(), clean)), "site.veto.security"); len(fs) != 0 {
		dump(t, fs)
		t.Fatal("the bulletin alone raised a security finding")
	}
	spam := page(home, "article", doc("關于2020年第三季度全省政府網站檢查情況的通報", paragraphs(text+"\n"+readTestdata(t, "spam-foot.txt"))))
	fs := byIndicator(findings(t, capture(site(), spam)), "site.veto.security")
	if len(fs) != 1 || fs[0].Subject != "spam-text" || fs[0].Confidence != model.ConfCertain {
		dump(t, fs)
		t.Fatal("want one certain spam-text finding for the bulletin with its spam foot")
	}
	if !strings.Contains(fs[0].Evidence[0].Snippet, "百家樂") {
		t.Errorf("evidence should quote the page as written (traditional): %q", fs[0].Evidence[0].Snippet)
	}
}

func charCodes(s string) string {
	var parts []string
	for _, r := range s {
		parts = append(parts, itoa(int(r)))
	}
	return strings.Join(parts, ",")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func b64(s string) string {
	const tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	in := []byte(s)
	var out []byte
	for i := 0; i < len(in); i += 3 {
		var n uint32
		k := 0
		for j := 0; j < 3; j++ {
			n <<= 8
			if i+j < len(in) {
				n |= uint32(in[i+j])
				k++
			}
		}
		for j := 0; j < 4; j++ {
			if j <= k {
				out = append(out, tbl[(n>>(18-6*j))&63])
			} else {
				out = append(out, '=')
			}
		}
	}
	return string(out)
}

func hexEsc(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 {
			b.WriteString(`\x` + string("0123456789abcdef"[r>>4]) + string("0123456789abcdef"[r&15]))
		} else {
			b.WriteString(`\u`)
			for sh := 12; sh >= 0; sh -= 4 {
				b.WriteByte("0123456789abcdef"[(r>>sh)&15])
			}
		}
	}
	return b.String()
}
