package province

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"time"
)

// listDateStyles are the date formats a style's column lists use. "url"
// means the list shows no date: it is only in the article URL.
var listDateStyles = [nStyles][]string{
	styleHanweb: {"2006-01-02", "[2006-01-02]", "url"},
	styleTRS:    {"2006/1/2", "2006.01.02", "url"},
	styleShtml:  {"month", "2006年1月2日"},
	styleQuery:  {"year", "发布时间：2006-01-02"},
}

var homeDateStyles = [nStyles]string{"2006-01-02", "2006.01.02", "2006年1月2日", "2006/1/2"}

var infoLines = [nStyles]string{
	"发布日期：2006-01-02　来源：%s　浏览次数：%d",
	"发布时间：2006年01月02日 15:04　来源：%s　点击：%d",
	"时间：2006/1/2　来源：%s　阅读：%d",
	"[ 发布时间：2006.01.02 ]　[ 来源：%s ]　[ 浏览：%d ]",
}

// cmsClass prefixes markup classes per style, as different vendors do.
var cmsClass = [nStyles]string{"hw", "trs", "sx", "qd"}

func esc(s string) string { return html.EscapeString(s) }

// ---- URLs ---------------------------------------------------------------

func (s *site) colURL(c *column, page int) string {
	switch s.style {
	case styleHanweb:
		if page > 1 {
			return fmt.Sprintf("/col/col%d/index.html?uid=%d&pageNum=%d", c.id, 4000+c.id, page)
		}
		return fmt.Sprintf("/col/col%d/index.html", c.id)
	case styleTRS:
		if page > 1 {
			return fmt.Sprintf("/%s/%s/index_%d.html", trsSection(c), c.def.slug, page-1)
		}
		return fmt.Sprintf("/%s/%s/index.html", trsSection(c), c.def.slug)
	case styleShtml:
		if page > 1 {
			return fmt.Sprintf("/%s/list_%d.shtml", c.def.slug, page)
		}
		return fmt.Sprintf("/%s/list.shtml", c.def.slug)
	}
	if page > 1 {
		return fmt.Sprintf("/list.jsp?channelId=%d&page=%d", c.id, page)
	}
	return fmt.Sprintf("/list.jsp?channelId=%d", c.id)
}

func trsSection(c *column) string {
	if c.def.cat == catNews {
		return "xwzx"
	}
	return "xxgk"
}

func (s *site) artURL(c *column, it *item) string {
	d := it.date
	switch s.style {
	case styleHanweb:
		return fmt.Sprintf("/art/%d/%d/%d/art_%d_%d.html", d.Year(), int(d.Month()), d.Day(), c.id, it.id)
	case styleTRS:
		return fmt.Sprintf("/%s/%s/%s/t%s_%d.html", trsSection(c), c.def.slug, d.Format("200601"), d.Format("20060102"), it.id)
	case styleShtml:
		if s.htm {
			return fmt.Sprintf("/html/%s/%s/%d.htm", c.def.slug, d.Format("20060102"), it.id)
		}
		return fmt.Sprintf("/%s/%s/%s/content_%d.shtml", c.def.slug, d.Format("2006-01"), d.Format("02"), it.id)
	}
	return fmt.Sprintf("/content.jsp?channelId=%d&id=%d", c.id, it.id)
}

// listHref is how a list page links to an article: TRS writes relative
// links (./202009/t20200918_6597.html), the others absolute paths.
func (s *site) listHref(c *column, it *item) string {
	u := s.artURL(c, it)
	if s.style == styleTRS {
		return "./" + strings.TrimPrefix(u, fmt.Sprintf("/%s/%s/", trsSection(c), c.def.slug))
	}
	return u
}

func (s *site) apiURL(c *column) string {
	switch s.style {
	case styleHanweb:
		return fmt.Sprintf("/module/jpage/dataproxy.jsp?columnid=%d&webid=1", c.id)
	case styleTRS:
		return fmt.Sprintf("/%s/%s/list.json", trsSection(c), c.def.slug)
	case styleShtml:
		return fmt.Sprintf("/%s/data.json", c.def.slug)
	}
	return fmt.Sprintf("/api/list.jsp?channelId=%d", c.id)
}

func (s *site) guideListURL() string {
	if s.style == styleQuery {
		return "/guide.jsp"
	}
	return "/bsfw/bszn/index.html"
}

func (s *site) guideURL(g *guide) string {
	if s.style == styleQuery {
		return fmt.Sprintf("/guide.jsp?id=%d", g.id)
	}
	return fmt.Sprintf("/bsfw/bszn/%d.html", g.id)
}

var cssPaths = [nStyles]string{"/css/common.css", "/images/style.css", "/static/css/main.css", "/skin/default.css"}

var searchForms = [nStyles]struct{ action, field string }{
	{"/jsearch/search.do", "q"},
	{"/was5/web/search", "searchword"},
	{"/search/search.shtml", "keyword"},
	{"/search.jsp", "kw"},
}

func (s *site) abs(path string) string { return "http://" + s.serve + path }

// ---- frame ----------------------------------------------------------------

func (s *site) frame(title, main string) string {
	var b strings.Builder
	cls := cmsClass[s.style]
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n")
	if s.csWhere != 0 {
		cs := "utf-8"
		if s.gbk {
			cs = []string{"gbk", "gb2312"}[s.style%2]
		}
		if s.style%2 == 0 {
			fmt.Fprintf(&b, "<meta charset=\"%s\">\n", cs)
		} else {
			fmt.Fprintf(&b, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=%s\">\n", cs)
		}
	}
	fmt.Fprintf(&b, "<title>%s</title>\n<link rel=\"stylesheet\" href=\"%s\">\n</head>\n<body>\n", esc(title), cssPaths[s.style])
	fmt.Fprintf(&b, "<div class=\"%s-header\"><a href=\"/\"><img src=\"/images/logo.gif\" alt=\"%s\"></a><span class=\"%s-title\">%s</span>\n",
		cls, esc(s.t.Name), cls, esc(strings.TrimSuffix(s.t.Name, "网站")))
	if !s.pl.noSearch {
		f := searchForms[s.style]
		fmt.Fprintf(&b, "<form class=\"%s-search\" action=\"%s\" method=\"get\"><input type=\"text\" name=\"%s\" placeholder=\"请输入关键字\"><input type=\"submit\" value=\"搜索\"></form>\n", cls, f.action, f.field)
	}
	b.WriteString("</div>\n")
	b.WriteString(s.nav())
	b.WriteString(main)
	b.WriteString(s.footer())
	b.WriteString("</body>\n</html>\n")
	return b.String()
}

func (s *site) nav() string {
	var links []string
	for _, c := range s.cols {
		links = append(links, fmt.Sprintf("<a href=\"%s\">%s</a>", esc(s.colURL(c, 1)), c.def.name))
	}
	if len(s.guides) > 0 {
		links = append(links, fmt.Sprintf("<a href=\"%s\">办事指南</a>", esc(s.guideListURL())))
	}
	links = append(links, "<a href=\"/hdjl/index.html\">互动交流</a>")
	switch s.style {
	case styleHanweb:
		return "<ul class=\"hw-nav\"><li><a href=\"/\">首页</a></li><li>" + strings.Join(links, "</li><li>") + "</li></ul>\n"
	case styleTRS:
		return "<div class=\"trs-menu\"><a href=\"/\">网站首页</a> | " + strings.Join(links, " | ") + "</div>\n"
	case styleShtml:
		// Columns hidden in a drop-down menu behind a javascript: link.
		return "<ul class=\"sx-nav\"><li><a href=\"/\">首页</a></li><li class=\"drop\"><a href=\"javascript:;\">信息公开</a><ul class=\"sub\" style=\"display:none\"><li>" +
			strings.Join(links, "</li><li>") + "</li></ul></li></ul>\n"
	}
	return "<table class=\"qd-navbar\"><tr><td><a href=\"/\">首页</a></td><td>" + strings.Join(links, "</td><td>") + "</td></tr></table>\n"
}

func (s *site) footer() string {
	var b strings.Builder
	b.WriteString("<div class=\"footer\">\n<div class=\"links\">相关链接：<a href=\"http://www.gov.cn/\" target=\"_blank\">中国政府网</a>")
	if s.t.Code != "" && s.serve != "www.qinghai.gov.cn" {
		b.WriteString(" <a href=\"http://www.qinghai.gov.cn/\" target=\"_blank\">青海省人民政府</a>")
	}
	b.WriteString("</div>\n")
	if !s.pl.noErrorEntry {
		u := esc("http://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteId.action?siteCode=" + s.t.Code)
		if s.style%2 == 0 {
			fmt.Fprintf(&b, "<a href=\"%s\" target=\"_blank\"><img src=\"/images/jiucuo.gif\" alt=\"我为政府网站找错\"></a>\n", u)
		} else {
			fmt.Fprintf(&b, "<a href=\"%s\" target=\"_blank\">我为政府网站找错</a>\n", u)
		}
	}
	fmt.Fprintf(&b, "<p>主办单位：%s　网站标识码：%s</p>\n<p><a href=\"http://beian.miit.gov.cn/\" target=\"_blank\">青ICP备%08d号</a></p>\n</div>\n",
		esc(s.t.Sponsor), s.t.Code, 8000000+len(s.t.Code)*1000+int(s.t.Code[len(s.t.Code)-1]))
	return b.String()
}

// ---- home -------------------------------------------------------------------

// homeCols are the columns whose newest items the home page shows.
func (s *site) homeCols() []*column {
	var out []*column
	for _, c := range s.cols {
		if !c.blank && len(out) < 5 {
			out = append(out, c)
		}
	}
	return out
}

// home renders the home page; extra is injected before the footer
// (spam variants).
func (s *site) home(extra string) string {
	var b strings.Builder
	cls := cmsClass[s.style]
	for _, c := range s.homeCols() {
		fmt.Fprintf(&b, "<div class=\"%s-block\"><div class=\"%s-block-hd\"><h3>%s</h3><a class=\"more\" href=\"%s\">更多&gt;&gt;</a></div>\n<ul>\n",
			cls, cls, c.def.name, esc(s.colURL(c, 1)))
		for _, it := range c.items[:min(6, len(c.items))] {
			fmt.Fprintf(&b, "<li><a href=\"%s\" title=\"%s\">%s</a><span class=\"date\">%s</span></li>\n",
				esc(s.artURL(c, it)), esc(it.title), esc(it.title), it.date.Format(homeDateStyles[s.style]))
		}
		b.WriteString("</ul></div>\n")
	}
	if len(s.guides) > 0 {
		fmt.Fprintf(&b, "<div class=\"%s-block\"><h3>办事服务</h3><a href=\"%s\">办事指南</a></div>\n", cls, esc(s.guideListURL()))
	}
	fmt.Fprintf(&b, "<div class=\"%s-hdjl\"><h3>互动交流</h3>%s</div>\n", cls, s.interactLinks())
	for _, bl := range s.homeBroken {
		b.WriteString(bl.html() + "\n")
	}
	for k, t := range s.pl.spam {
		if t != spamUA && t != spamReferer {
			b.WriteString(s.spamBlock(t, s.spamHosts[k]))
		}
	}
	b.WriteString(extra)
	return s.frame(s.t.Name, b.String())
}

func (bl broken) html() string {
	if bl.img {
		return fmt.Sprintf("<p><img src=\"%s\" alt=\"%s\"></p>", esc(bl.url), bl.label)
	}
	return fmt.Sprintf("<p><a href=\"%s\">%s</a></p>", esc(bl.url), bl.label)
}

func (s *site) interactLinks() string {
	if s.pl.noConsult {
		// Only petition and discipline reporting: they do not count.
		return "<a href=\"/hdjl/wsxf.html\">网上信访</a> <a href=\"/hdjl/jjjb.html\">纪检举报</a>"
	}
	return "<a href=\"/hdjl/ldxx.html\">领导信箱</a> <a href=\"/hdjl/zxzx.html\">在线咨询</a> <a href=\"/hdjl/wsxf.html\">网上信访</a>"
}

// ---- spam -------------------------------------------------------------------

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func (s *site) spamLinks(host string, k int) string {
	var b strings.Builder
	lx := spamLex
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&b, "<a href=\"http://%s/?i=%d\">%s</a> ", host, i, lx[(k+i*5)%len(lx)])
	}
	return b.String()
}

var spamLex = lines("spam_phrases.txt")

// spamClass is the stylesheet class that hides injected links.
const spamClass = "f-lk-x"

func (s *site) spamBlock(t int, host string) string {
	links := s.spamLinks(host, t)
	switch t {
	case spamCSS:
		return "<div class=\"" + spamClass + "\">" + links + "</div>\n"
	case spamOffscreen:
		return "<div style=\"position:absolute;left:-9999px;top:-9999px\">" + links + "</div>\n"
	case spamClip:
		return "<div style=\"height:0px;overflow:hidden\"><p>" + links + "</p></div>\n"
	case spamColor:
		return "<div style=\"background-color:#ffffff\"><p style=\"color:#ffffff;font-size:12px\">" + strings.ReplaceAll(links, "<a ", "<a style=\"color:#fff\" ") + "</p></div>\n"
	case spamUA:
		return "<div class=\"friend-links\">友情链接：" + links + "</div>\n"
	case spamReferer:
		return "<div class=\"friend-links\">" + links + "</div>\n<script>window.location.href=\"http://" + host + "/?from=search\";</script>\n"
	}
	// Obfuscated script: three encodings rotate by host.
	raw := "<div style=\"display:none\">" + links + "</div>"
	switch len(host) % 3 {
	case 0:
		codes := make([]string, 0, len(raw))
		for _, r := range raw {
			codes = append(codes, fmt.Sprint(int(r)))
		}
		return "<script>document.write(String.fromCharCode(" + strings.Join(codes, ",") + "));</script>\n"
	case 1:
		return "<script>document.write(decodeURIComponent(escape(atob(\"" + b64(raw) + "\"))));</script>\n"
	}
	var b strings.Builder
	for _, c := range raw {
		if c < 0x80 {
			fmt.Fprintf(&b, "\\x%02x", c)
		} else {
			fmt.Fprintf(&b, "\\u%04x", c)
		}
	}
	return "<script>var _0x1a=\"" + b.String() + "\";document.write(_0x1a);</script>\n"
}

// ---- lists ------------------------------------------------------------------

type listRow struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	Date  string `json:"date"`
}

func (s *site) rows(c *column) []listRow {
	var out []listRow
	its := c.items
	if c.pinned != nil {
		its = append([]*item{c.pinned}, its...)
	}
	for _, it := range its {
		t := it.title
		if it == c.pinned {
			t = "[置顶] " + t
		}
		out = append(out, listRow{t, s.listHref(c, it), it.date.Format("2006-01-02") + fmt.Sprintf(" %02d:%02d:00", it.hour, it.id%60)})
	}
	return out
}

// listPages renders a column: uri → HTML. Script-driven modes are one page.
func (s *site) listPages(c *column) map[string]string {
	out := map[string]string{}
	cls := cmsClass[s.style]
	head := fmt.Sprintf("<div class=\"%s-position\">当前位置：<a href=\"/\">首页</a> &gt; %s</div>\n", cls, c.def.name)
	if c.blank {
		out[s.colURL(c, 1)] = s.frame(c.def.name, head+fmt.Sprintf("<div class=\"%s-list\"><p class=\"empty\">暂无信息</p></div>\n", cls))
		return out
	}
	switch c.mode {
	case modeXHR:
		body := fmt.Sprintf("<ul class=\"%s-list\" id=\"list\"></ul>\n<script>\nfetch(\"%s\").then(function(r){return r.json()}).then(function(d){var h=\"\";d.list.forEach(function(x){h+='<li><a href=\"'+x.url+'\">'+x.title+'</a><span>'+x.date.substring(0,10)+'</span></li>'});document.getElementById(\"list\").innerHTML=h;});\n</script>\n", cls, s.apiURL(c))
		out[s.colURL(c, 1)] = s.frame(c.def.name, head+body)
		return out
	case modeJSON:
		data, err := json.Marshal(s.rows(c))
		if err != nil {
			panic(fmt.Sprintf("province: list data: %v", err))
		}
		body := fmt.Sprintf("<script type=\"application/json\" id=\"list-data\">%s</script>\n<ul class=\"%s-list\" id=\"list\"></ul>\n<script>\nvar d=JSON.parse(document.getElementById(\"list-data\").textContent),h=\"\";for(var i=0;i<d.length;i++){h+='<li><a href=\"'+d[i].url+'\">'+d[i].title+'</a><span>'+d[i].date.substring(0,10)+'</span></li>';}document.getElementById(\"list\").innerHTML=h;\n</script>\n", data, cls)
		out[s.colURL(c, 1)] = s.frame(c.def.name, head+body)
		return out
	case modeXML:
		var b strings.Builder
		rows := s.rows(c)
		fmt.Fprintf(&b, "<div id=\"container\"></div>\n<script type=\"text/xml\" id=\"ds\"><datastore><nextgroup><![CDATA[<a href=\"%s\"></a>]]></nextgroup><recordset>", esc(s.colURL(c, 1)))
		for _, r := range rows {
			fmt.Fprintf(&b, "<record><![CDATA[<li><a href=\"%s\" title=\"%s\" target=\"_blank\">%s</a><span class=\"bt-data-time\">%s</span></li>]]></record>", esc(r.URL), esc(r.Title), esc(r.Title), r.Date[:10])
		}
		b.WriteString("</recordset></datastore></script>\n<script>\nvar t=document.getElementById(\"ds\").textContent,o=\"\",re=/<record><!\\[CDATA\\[([\\s\\S]*?)\\]\\]><\\/record>/g,m;while((m=re.exec(t))){o+=m[1];}document.getElementById(\"container\").innerHTML=\"<ul>\"+o+\"</ul>\";\n</script>\n")
		out[s.colURL(c, 1)] = s.frame(c.def.name, head+b.String())
		return out
	}
	its := c.items
	pages := (len(its) + c.pageSize - 1) / c.pageSize
	for pg := 1; pg <= pages; pg++ {
		chunk := its[(pg-1)*c.pageSize : min(pg*c.pageSize, len(its))]
		if pg == 1 && c.pinned != nil {
			chunk = append([]*item{c.pinned}, chunk...)
		}
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(s.listMarkup(c, chunk))
		fmt.Fprintf(&b, "<div class=\"%s-pages\">共%d页 ", cls, pages)
		if pg > 1 {
			fmt.Fprintf(&b, "<a href=\"%s\">上一页</a> ", esc(s.colURL(c, pg-1)))
		}
		if pg < pages {
			fmt.Fprintf(&b, "<a href=\"%s\">下一页</a> <a href=\"%s\">尾页</a>", esc(s.colURL(c, pg+1)), esc(s.colURL(c, pages)))
		}
		b.WriteString("</div>\n")
		out[s.colURL(c, pg)] = s.frame(c.def.name, b.String())
	}
	return out
}

func (s *site) listMarkup(c *column, its []*item) string {
	var b strings.Builder
	cls := cmsClass[s.style]
	ds := listDateStyles[s.style][c.dateStyle]
	title := func(it *item) string {
		if it == c.pinned {
			return "<b>[置顶]</b> " + esc(it.title)
		}
		return esc(it.title)
	}
	switch ds {
	case "month":
		// [09-18] under a dated heading (年月 only in the heading).
		cur := ""
		for _, it := range its {
			if m := it.date.Format("2006年1月"); m != cur {
				if cur != "" {
					b.WriteString("</ul>\n")
				}
				cur = m
				fmt.Fprintf(&b, "<h4 class=\"month\">%s</h4>\n<ul class=\"%s-list\">\n", m, cls)
			}
			fmt.Fprintf(&b, "<li>[%s] <a href=\"%s\">%s</a></li>\n", it.date.Format("01-02"), esc(s.listHref(c, it)), title(it))
		}
		b.WriteString("</ul>\n")
	case "year":
		// 9月18日 in the rows, the year only in a caption.
		cur := 0
		for _, it := range its {
			if it.date.Year() != cur {
				if cur != 0 {
					b.WriteString("</table>\n")
				}
				cur = it.date.Year()
				fmt.Fprintf(&b, "<table class=\"%s-list\"><caption>%d年</caption>\n", cls, cur)
			}
			fmt.Fprintf(&b, "<tr><td><a href=\"%s\">%s</a></td><td class=\"d\">%s</td></tr>\n", esc(s.listHref(c, it)), title(it), it.date.Format("1月2日"))
		}
		b.WriteString("</table>\n")
	default:
		fmt.Fprintf(&b, "<ul class=\"%s-list\">\n", cls)
		for _, it := range its {
			d := ""
			if ds != "url" {
				d = "<span>" + it.date.Format(ds) + "</span>"
			}
			fmt.Fprintf(&b, "<li><a href=\"%s\" target=\"_blank\">%s</a>%s</li>\n", esc(s.listHref(c, it)), title(it), d)
		}
		b.WriteString("</ul>\n")
	}
	return b.String()
}

func (s *site) apiBody(c *column) string {
	rows := s.rows(c)
	// XHR answers carry absolute paths even for TRS.
	for i := range rows {
		if strings.HasPrefix(rows[i].URL, "./") {
			rows[i].URL = fmt.Sprintf("/%s/%s/%s", trsSection(c), c.def.slug, rows[i].URL[2:])
		}
	}
	data, err := json.Marshal(map[string]any{"total": len(rows), "list": rows})
	if err != nil {
		panic(fmt.Sprintf("province: api data: %v", err))
	}
	return string(data)
}

// ---- articles, guides, interaction -------------------------------------------

func (s *site) article(c *column, it *item, views int) string {
	var b strings.Builder
	cls := cmsClass[s.style]
	fmt.Fprintf(&b, "<div class=\"%s-position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"%s\">%s</a></div>\n", cls, esc(s.colURL(c, 1)), c.def.name)
	fmt.Fprintf(&b, "<div class=\"%s-article\">\n<h1>%s</h1>\n<div class=\"info\">%s</div>\n<div class=\"content\">\n",
		cls, esc(it.title), esc(fmt.Sprintf(at(it).Format(infoLines[s.style]), s.org, views)))
	for i, p := range it.paras {
		if i == 1 && it.garble != "" {
			r := []rune(p)
			p = string(r[:len(r)/2]) + it.garble + string(r[len(r)/2:])
		}
		fmt.Fprintf(&b, "<p>%s</p>\n", esc(p))
	}
	if it.broken != nil {
		b.WriteString(it.broken.html() + "\n")
	}
	b.WriteString("</div>\n</div>\n")
	return s.frame(it.title, b.String())
}

func at(it *item) time.Time {
	return it.date.Add(time.Duration(it.hour)*time.Hour + time.Duration(it.id%60)*time.Minute)
}

func (s *site) guideList() string {
	var b strings.Builder
	b.WriteString("<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; 办事指南</div>\n<ul class=\"guide-list\">\n")
	for _, g := range s.guides {
		fmt.Fprintf(&b, "<li><a href=\"%s\">%s办事指南</a></li>\n", esc(s.guideURL(g)), esc(g.name))
	}
	b.WriteString("</ul>\n")
	return s.frame("办事指南", b.String())
}

func (s *site) guidePage(g *guide) string {
	vals := map[string]string{
		"事项名称": g.name,
		"设定依据": "《中华人民共和国行政许可法》及相关法律法规",
		"申请条件": "申请人应当具备法律法规规定的相应条件",
		"办理材料": "1.申请书；2.申请人身份证明；3.其他相关材料",
		"办理地点": s.reg.short + "政务服务中心一楼综合窗口",
		"办理时间": "工作日 上午9:00-12:00，下午14:30-17:30",
		"联系电话": fmt.Sprintf("0971-%07d", 6000000+g.id*37),
		"办理流程": "申请—受理—审查—决定—送达",
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<div class=\"guide\">\n<h1>%s办事指南</h1>\n", esc(g.name))
	table := s.style%2 == 0
	if table {
		b.WriteString("<table class=\"guide-table\">\n")
	}
	for i, e := range guideElements {
		if contains(g.missing, e) {
			continue
		}
		if table {
			fmt.Fprintf(&b, "<tr><th>%s</th><td>%s</td></tr>\n", e, esc(vals[e]))
		} else {
			fmt.Fprintf(&b, "<h4>%s、%s</h4>\n<p>%s</p>\n", "一二三四五六七八"[i*3:i*3+3], e, esc(vals[e]))
		}
	}
	if table {
		b.WriteString("</table>\n")
	}
	b.WriteString("</div>\n")
	return s.frame(g.name+"办事指南", b.String())
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (s *site) interactPages() map[string]string {
	form := func(name string) string {
		return s.frame(name, fmt.Sprintf("<div class=\"hdjl\"><h1>%s</h1>\n<form action=\"/hdjl/submit.html\" method=\"post\"><input name=\"title\" placeholder=\"标题\"><textarea name=\"content\"></textarea><input name=\"phone\" placeholder=\"联系电话\"><input type=\"submit\" value=\"提交\"></form></div>\n", name))
	}
	out := map[string]string{
		"/hdjl/index.html": s.frame("互动交流", "<div class=\"hdjl\"><h1>互动交流</h1>"+s.interactLinks()+"</div>\n"),
		"/hdjl/wsxf.html":  form("网上信访"),
	}
	if s.pl.noConsult {
		out["/hdjl/jjjb.html"] = form("纪检举报")
	} else {
		out["/hdjl/ldxx.html"] = form("领导信箱")
		out["/hdjl/zxzx.html"] = form("在线咨询")
	}
	return out
}
