package detect

import (
	"html"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"inspector/catalog"
	"inspector/model"
	"inspector/probe"
)

var asOf = time.Date(2020, 9, 20, 0, 0, 0, 0, time.UTC)

const home = "http://www.qhlsj.gov.cn/"

func site() model.Target {
	return model.Target{Code: "6300000001", Kind: model.KindSite, Name: "青海省粮食局", URL: home}
}

func page(url, role, raw string) *probe.Page {
	return &probe.Page{URL: url, FinalURL: url, Status: 200, ContentType: "text/html; charset=utf-8", Role: role, Raw: raw,
		FetchedAt: time.Date(2020, 9, 19, 10, 0, 0, 0, time.UTC)}
}

func capture(t model.Target, pages ...*probe.Page) *probe.Capture {
	return &probe.Capture{Target: t, Round: "2020Q3", Pages: pages}
}

// doc wraps a body in a complete page of an ordinary government site: a
// search box, the 找错 entry, service and interaction entries, and links
// to other government sites.
func doc(title, body string) string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + `</title>
<link rel="stylesheet" href="/css/hide.css"></head><body>
<div class="header"><form action="/search" method="get"><input type="text" name="searchword"><button>搜索</button></form></div>
<ul class="nav"><li><a href="/zwgk/">政务公开</a><ul><li><a href="/zwgk/tzgg/">通知公告</a></li></ul></li>
<li><a href="http://zwfw.qinghai.gov.cn/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
` + body + `
<div class="foot"><a href="http://www.gov.cn/">中国政府网</a> <a href="http://www.qinghai.gov.cn/">青海省人民政府</a>
<a href="http://www.xinhuanet.com/">新华网</a>
<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=6300000001"><img src="/img/jiucuo.png" alt="我为政府网站找错"></a>
<p>主办:青海省粮食局 青ICP备08000030号</p></div></body></html>`
}

func cat(t *testing.T) *catalog.Catalogue {
	t.Helper()
	c, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func findings(t *testing.T, c *probe.Capture) []model.Finding {
	t.Helper()
	return Run(cat(t), asOf, c)
}

func byIndicator(fs []model.Finding, code string) []model.Finding {
	var out []model.Finding
	for _, f := range fs {
		if f.Indicator == code {
			out = append(out, f)
		}
	}
	return out
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// paragraphs turns plain text into HTML paragraphs.
func paragraphs(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			b.WriteString("<p>" + html.EscapeString(l) + "</p>\n")
		}
	}
	return b.String()
}

func dump(t *testing.T, fs []model.Finding) {
	t.Helper()
	for _, f := range fs {
		t.Logf("%s %s [%s] %s", f.Indicator, f.Subject, f.Confidence, f.Detail)
		for _, e := range f.Evidence {
			t.Logf("    %s  %s", e.URL, e.Snippet)
		}
	}
}

// asGBK shows UTF-8 text as a GBK decoder would (the wrong charset).
func asGBK(s string) string {
	b, _ := simplifiedchinese.GBK.NewDecoder().Bytes([]byte(s))
	return string(b)
}

// asLatin1 shows UTF-8 text as a Latin-1 decoder would.
func asLatin1(s string) string {
	b, _ := charmap.ISO8859_1.NewDecoder().Bytes([]byte(s))
	return string(b)
}
