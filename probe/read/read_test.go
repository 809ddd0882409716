package read

import (
	"strings"
	"testing"
	"time"
)

var asOf = time.Date(2020, 9, 28, 0, 0, 0, 0, time.UTC)

func d(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC) }

func TestParseDate(t *testing.T) {
	cases := []struct {
		in   string
		year int
		want time.Time // zero: none
	}{
		{"2020-09-18", 0, d(2020, 9, 18)},
		{"发布于 2020/9/18 10:00", 0, d(2020, 9, 18)},
		{"2020.09.18", 0, d(2020, 9, 18)},
		{"2020年9月18日", 0, d(2020, 9, 18)},
		{"2020 年 09 月 08 日", 0, d(2020, 9, 8)},
		{"9月18日", 0, d(2020, 9, 18)},
		{"12月1日", 0, d(2019, 12, 1)}, // after the check point this year: last year's
		{"9月18日", 2019, d(2019, 9, 18)},
		{"[09-18]", 0, d(2020, 9, 18)},
		{"【09-18】", 2018, d(2018, 9, 18)},
		{"关于做好秋季防火工作的通知 09-18", 0, d(2020, 9, 18)},
		{"2020-10-01", 0, time.Time{}},              // after the check point
		{"2020-10-01 2020-09-01", 0, d(2020, 9, 1)}, // the first one not after it
		{"2020-02-30", 0, time.Time{}},
		{"2020-13-01", 0, time.Time{}},
		{"电话 0971-6123456", 0, time.Time{}},
		{"第2020-1号", 0, time.Time{}},
		{"12020-09-18", 0, time.Time{}},
		{"", 0, time.Time{}},
		{"9月18日", -1, time.Time{}}, // full dates only
	}
	for _, c := range cases {
		got, ok := ParseDate(c.in, c.year, asOf)
		if ok != !c.want.IsZero() || !got.Equal(c.want) {
			t.Errorf("ParseDate(%q, %d) = %v %v, want %v", c.in, c.year, got.Format("2006-01-02"), ok, c.want.Format("2006-01-02"))
		}
	}
}

func TestDateInURL(t *testing.T) {
	cases := map[string]time.Time{
		"http://a.gov.cn/xxgk/tzgg/202009/t20200918_6597.html": d(2020, 9, 18),
		"http://a.gov.cn/art/2020/9/18/art_1101_20102.html":    d(2020, 9, 18),
		"http://a.gov.cn/2020-09/18/content_123.htm":           d(2020, 9, 18),
		"http://a.gov.cn/gzdt/20200918/123.shtml":              d(2020, 9, 18),
		"http://a.gov.cn/list.jsp?channelId=12":                {},
		"http://a.gov.cn/art/2021/9/18/art_1.html":             {},
	}
	for u, want := range cases {
		got, ok := DateInURL(u, asOf)
		if ok != !want.IsZero() || !got.Equal(want) {
			t.Errorf("DateInURL(%s) = %v %v, want %v", u, got, ok, want)
		}
	}
}

func TestPublishedAt(t *testing.T) {
	cases := map[string]time.Time{
		"来源：省政府办公厅 发布时间：2020-09-18 10:20 浏览次数": d(2020, 9, 18),
		"相关文件 2019-01-01\n发布日期: 2020年9月1日":     d(2020, 9, 1),
		"无标签 2020.08.08": d(2020, 8, 8),
		"发布时间：2021-01-01 （伪造） 正文提到 2020-09-01": d(2020, 9, 1),
		"没有日期": {},
	}
	for in, want := range cases {
		got, ok := PublishedAt(in, asOf)
		if ok != !want.IsZero() || !got.Equal(want) {
			t.Errorf("PublishedAt(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
}

func TestReadList(t *testing.T) {
	cases := []struct {
		name, html string
		items      int
		newest     time.Time
		blank      bool
	}{
		{"hanweb", `<div class="nav"><a href="/">首页</a></div>
<ul class="list"><li><a href="/art/2020/9/18/art_1_1.html">关于开展秋季安全检查的通知</a><span>2020-09-18</span></li>
<li><a href="/art/2020/9/1/art_1_2.html">关于报送统计数据的通知</a><span>2020-09-01</span></li></ul>
<div class="side"><li><a href="/x">热点</a> 2020-09-27</li></div>`, 2, d(2020, 9, 18), false},
		{"trs-table", `<table><tr><td><a href="./202008/t20200810_1.html">政策解读：稳就业若干措施</a></td><td>2020/8/10</td></tr>
<tr><td><a href="./202007/t20200701_2.html">关于印发实施方案的通知</a></td><td>2020/7/1</td></tr></table>`, 2, d(2020, 8, 10), false},
		{"shtml-month-headings", `<h3>2020年</h3><ul><li><a href="a.shtml">全省工作会议召开</a> [09-02]</li><li><a href="b.shtml">厅领导调研基层工作</a> [08-28]</li></ul>
<h3>2019年</h3><ul><li><a href="c.shtml">去年的新闻</a> [12-30]</li></ul>`, 3, d(2020, 9, 2), false},
		{"month-headings", `<div><h4>2019年5月</h4><ul class="l"><li>[05-29] <a href="/a.htm">干部任前公示</a></li></ul>
<h4>2019年4月</h4><ul class="l"><li>[04-20] <a href="/b.htm">机构职能及领导分工</a></li></ul></div>`, 2, d(2019, 5, 29), false},
		{"query-year-caption", `<table><caption>2019</caption><tr><td><a href="list.jsp?id=1">年度人事任免公示</a></td><td>9月18日</td></tr>
<tr><td><a href="list.jsp?id=2">人事任免公示</a></td><td>3月1日</td></tr></table>`, 2, d(2019, 9, 18), false},
		{"url-only", `<ul><li><a href="/art/2020/3/5/art_1_9.html">只有网址里有日期的文章</a></li><li><a href="/art/2020/3/1/art_1_8.html">另一篇文章</a></li></ul>`, 2, d(2020, 3, 5), false},
		{"blank", `<div class="list"><p>暂无信息</p></div>`, 0, time.Time{}, true},
		{"empty-container", `<ul class="news-list"></ul>`, 0, time.Time{}, true},
		{"future-dates-ignored", `<ul><li><a href="/a1">未来日期的文章标题</a> 2020-12-01</li><li><a href="/a2">正常的文章标题内容</a> 2020-06-01</li></ul>`, 2, d(2020, 6, 1), false},
	}
	for _, c := range cases {
		l := ReadList(c.html, "http://www.a.gov.cn/col/list.html", asOf)
		if len(l.Items) != c.items || !l.Newest.Equal(c.newest) || l.Blank != c.blank {
			t.Errorf("%s: items %d newest %v blank %v (%s), want %d %v %v", c.name, len(l.Items), l.Newest.Format("2006-01-02"), l.Blank, l.Marker, c.items, c.newest.Format("2006-01-02"), c.blank)
		}
	}
}

func TestColumns(t *testing.T) {
	page := `<html><head><title>某某局</title></head><body>
<div id="nav"><a href="/">首页</a><a href="/gzdt/">工作动态</a><a href="/tzgg/index.html">通知公告</a><a href="http://other.gov.cn/x">外站</a></div>
<div class="box"><div class="box-hd"><h3>政策文件</h3><a class="more" href="/zcwj/">更多>></a></div><ul><li><a href="/zcwj/1.html">文件</a></li></ul></div>
<div class="box"><span class="title">人事信息</span><a href="/rsxx/list.html">more</a></div>
<div class="box"><h2>部门动态</h2><a href="/gzdt/">【更多】</a></div>
<a href="/files/a.pdf">更多</a>
</body></html>`
	cols := Columns(page, "http://www.a.gov.cn/")
	got := map[string]string{}
	for _, c := range cols {
		got[c.URL] = c.Name + "/" + c.Via
	}
	want := map[string]string{
		"http://www.a.gov.cn/zcwj/":           "政策文件/more",
		"http://www.a.gov.cn/rsxx/list.html":  "人事信息/more",
		"http://www.a.gov.cn/gzdt/":           "部门动态/more",
		"http://www.a.gov.cn/tzgg/index.html": "通知公告/nav",
	}
	for u, w := range want {
		if got[u] != w {
			t.Errorf("column %s = %q, want %q", u, got[u], w)
		}
	}
	if len(cols) != len(want) {
		t.Errorf("columns %v", got)
	}
}

func TestAnchorsAndHidden(t *testing.T) {
	page := `<base href="http://www.a.gov.cn/sub/"><a href="x.html">相对</a><a href="javascript:void(0)">js</a>
<div style="display: none"><a href="http://spam.com/">赌博</a></div><div style="position:absolute;left:-9999px"><a href="http://s2.com">x</a></div>
<img src="/i.png" alt="图"><script src="a.js"></script><link rel="stylesheet" href="s.css"><link rel="canonical" href="/c">`
	as := Anchors(Parse(page), "http://www.a.gov.cn/")
	var got []string
	for _, a := range as {
		got = append(got, a.Tag+":"+a.Href+":"+a.Hidden)
	}
	want := "a:http://www.a.gov.cn/sub/x.html: a:http://spam.com/:display a:http://s2.com:offscreen img:http://www.a.gov.cn/i.png: script:http://www.a.gov.cn/sub/a.js: link:http://www.a.gov.cn/sub/s.css:"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestPageRoleAndMarkers(t *testing.T) {
	if PageRole("我要咨询") != "interaction" || PageRole("办事指南") != "guide" || PageRole("工作动态") != "" {
		t.Error("PageRole")
	}
	if _, ok := BlankMarker("本栏目暂无数据"); !ok {
		t.Error("BlankMarker")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2020-09-18", "2020年9月18日", "[09-18]", "9月18日", "发布时间：2020.9.1", "0971-6123456", "2020-02-30"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, year int) {
		got, ok := ParseDate(s, year%3000, asOf)
		if ok && got.After(asOf) {
			t.Fatalf("ParseDate(%q) = %v after the check point", s, got)
		}
		if ok && (got.Year() < 1990 || got.Hour() != 0) {
			t.Fatalf("ParseDate(%q) = %v", s, got)
		}
		if pt, ok := PublishedAt(s, asOf); ok && pt.After(asOf) {
			t.Fatalf("PublishedAt(%q) = %v", s, pt)
		}
		if ut, ok := DateInURL(s, asOf); ok && ut.After(asOf) {
			t.Fatalf("DateInURL(%q) = %v", s, ut)
		}
	})
}
