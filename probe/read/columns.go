package read

import (
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// ColumnLink is a link to a column's list page.
type ColumnLink struct {
	URL  string `json:"url"`
	Name string `json:"name"`
	Via  string `json:"via"` // "more" (a block's 更多 link) or "nav" (navigation)
}

// navHint matches ids and classes of navigation containers.
var navHint = regexp.MustCompile(`(?i)(^|[^a-z])(nav|menu|lanmu|column|sub-?nav|sidebar|left)`)

// headingHint matches classes of block headings.
var headingHint = regexp.MustCompile(`(?i)(^|[^a-z])(tit|title|hd|head|header|caption|name|bt)([^a-z]|$)`)

// Columns finds a site's columns on a page: every "更多/more" link of a
// content block (named by the block's heading) and every same-site link of
// the navigation (named by its text). Order: more links first (they are
// the content blocks the home page shows), then navigation.
func Columns(htmlText, pageURL string) []ColumnLink {
	doc := Parse(htmlText)
	base := BaseURL(doc, pageURL)
	pu, _ := url.Parse(pageURL)
	home := ""
	if pu != nil {
		home = pu.Scheme + "://" + pu.Host
	}
	skip := Lexicon("read-nav-skip.txt")
	more := Lexicon("read-more.txt")
	var out []ColumnLink
	seen := map[string]int{}
	add := func(u, name, via string) {
		if u == "" || u == pageURL || strings.TrimSuffix(u, "/") == home || strings.HasSuffix(u, "/index.html") && strings.TrimSuffix(u, "/index.html") == home {
			return
		}
		cu, err := url.Parse(u)
		if err != nil || pu == nil || !SameSite(cu.Host, pu.Host) || isDocument(cu.Path) {
			return
		}
		if i, ok := seen[u]; ok {
			if out[i].Name == "" {
				out[i].Name = name
			}
			return
		}
		seen[u] = len(out)
		out = append(out, ColumnLink{URL: u, Name: name, Via: via})
	}
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		text := Clean(s.Text())
		cls := strings.ToLower(s.AttrOr("class", ""))
		if isMore(text, more) || strings.Contains(cls, "more") || (text == "" && isMore(s.AttrOr("title", ""), more)) {
			add(Resolve(base, s.AttrOr("href", "")), blockHeading(s, text, more), "more")
		}
	})
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		text := Clean(s.Text())
		if text == "" || isOneOf(text, skip) || isMore(text, more) || utf8.RuneCountInString(text) > 12 {
			return
		}
		if !inNav(s.Nodes[0]) {
			return
		}
		add(Resolve(base, s.AttrOr("href", "")), text, "nav")
	})
	return out
}

func isMore(text string, more []string) bool {
	t := strings.TrimSpace(strings.Trim(text, "[]【】()（）<>》«»+ "))
	if t == "" {
		t = strings.TrimSpace(text)
	}
	for _, m := range more {
		if strings.EqualFold(t, m) || strings.EqualFold(strings.TrimSpace(text), m) {
			return true
		}
	}
	return false
}

// isDocument tells attachments and images from list pages.
func isDocument(p string) bool {
	p = strings.ToLower(p)
	for _, ext := range []string{".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".jpg", ".jpeg", ".png", ".gif", ".wps", ".ppt", ".pptx", ".txt", ".mp4"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// inNav reports whether an anchor sits in navigation: a <nav>, or a
// container whose id or class says nav/menu.
func inNav(n *html.Node) bool {
	for p := n.Parent; p != nil && p.Type == html.ElementNode; p = p.Parent {
		if p.Data == "nav" {
			return true
		}
		if p.Data == "body" {
			return false
		}
		for _, a := range p.Attr {
			if (a.Key == "class" || a.Key == "id" || a.Key == "role") && navHint.MatchString(a.Val) {
				return true
			}
		}
	}
	return false
}

// blockHeading names the block a "more" link belongs to: the nearest
// heading-like element in the link's enclosing blocks.
func blockHeading(s *goquery.Selection, moreText string, more []string) string {
	// The link's own title attribute often carries the column name.
	if t := Clean(s.AttrOr("title", "")); t != "" && !isMore(t, more) {
		return t
	}
	p := s.Parent()
	for i := 0; i < 4 && p.Length() > 0; i, p = i+1, p.Parent() {
		var name string
		p.Find("h1,h2,h3,h4,h5,h6,strong,b,span,div,p,a,em,caption,th").EachWithBreak(func(_ int, h *goquery.Selection) bool {
			tag := goquery.NodeName(h)
			heading := strings.HasPrefix(tag, "h") && len(tag) == 2 || tag == "strong" || tag == "b" || tag == "caption" || tag == "th" ||
				headingHint.MatchString(h.AttrOr("class", ""))
			if !heading || h.Find("li").Length() > 0 {
				return true
			}
			t := Clean(h.Text())
			for _, m := range more {
				t = strings.TrimSpace(strings.ReplaceAll(t, m, ""))
			}
			t = strings.Trim(t, "[]【】()（）<>》«»+ ")
			if t != "" && utf8.RuneCountInString(t) <= 16 && t != moreText {
				name = t
				return false
			}
			return true
		})
		if name != "" {
			return name
		}
	}
	return ""
}

// NextPage returns the URL of a list page's next page (下一页), or "".
func NextPage(htmlText, pageURL string) string {
	doc := Parse(htmlText)
	base := BaseURL(doc, pageURL)
	next := Lexicon("read-next.txt")
	found := ""
	doc.Find("a[href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		t := Clean(s.Text())
		if isOneOf(t, next) || isOneOf(strings.Trim(t, "[]【】 "), next) {
			if u := Resolve(base, s.AttrOr("href", "")); u != "" && u != pageURL {
				found = u
				return false
			}
		}
		return true
	})
	return found
}
