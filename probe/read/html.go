package read

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Parse parses an HTML string; the HTML parser never fails on bad markup,
// so neither does this.
func Parse(s string) *goquery.Document {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		doc = goquery.NewDocumentFromNode(&html.Node{Type: html.DocumentNode})
	}
	return doc
}

var spaceRe = regexp.MustCompile(`[ \t\r\n\x{3000}\x{a0}]+`)

// Clean collapses white space.
func Clean(s string) string { return strings.TrimSpace(spaceRe.ReplaceAllString(s, " ")) }

// Title is the page's <title>, else its first heading.
func Title(doc *goquery.Document) string {
	if t := Clean(doc.Find("title").First().Text()); t != "" {
		return t
	}
	return Clean(doc.Find("h1,h2").First().Text())
}

// Text is the page's readable text without scripts and styles, one line
// per block, for pages that were not rendered.
func Text(doc *goquery.Document) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if t := Clean(n.Data); t != "" {
				b.WriteString(t)
				b.WriteByte(' ')
			}
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template", "head":
				return
			}
		case html.CommentNode:
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "table", "ul", "ol", "section", "article":
				b.WriteByte('\n')
			}
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Anchor is an element that points somewhere, as the raw HTML shows it.
type Anchor struct {
	Href string // absolute, fragment dropped
	Text string
	Tag  string
	// Hidden is a reason read from inline styles and attributes (display,
	// visibility, offscreen, font-size, zero-size), the raw-HTML
	// approximation of what the browser computes.
	Hidden string
}

// Resolve makes href absolute against base; empty for non-fetchable
// schemes (javascript:, mailto:, tel:, data:) and bare fragments.
func Resolve(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	l := strings.ToLower(href)
	for _, p := range []string{"javascript:", "mailto:", "tel:", "data:", "about:", "sms:"} {
		if strings.HasPrefix(l, p) {
			return ""
		}
	}
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

// BaseURL is the page URL, or its <base href> when it has one.
func BaseURL(doc *goquery.Document, pageURL string) *url.URL {
	u, _ := url.Parse(pageURL)
	if b, ok := doc.Find("base[href]").First().Attr("href"); ok && u != nil {
		if bu, err := u.Parse(b); err == nil {
			return bu
		}
	}
	return u
}

var linkAttrs = map[string]string{"a": "href", "area": "href", "img": "src", "script": "src", "iframe": "src", "frame": "src", "link": "href", "embed": "src", "source": "src"}

// Anchors lists every link, image, script, stylesheet and frame of a page
// with absolute URLs, in document order.
func Anchors(doc *goquery.Document, pageURL string) []Anchor {
	base := BaseURL(doc, pageURL)
	var out []Anchor
	doc.Find("a[href],area[href],img[src],script[src],iframe[src],frame[src],link[href],embed[src],source[src]").Each(func(_ int, s *goquery.Selection) {
		tag := goquery.NodeName(s)
		if tag == "link" {
			rel := strings.ToLower(s.AttrOr("rel", ""))
			if !strings.Contains(rel, "stylesheet") && !strings.Contains(rel, "icon") {
				return
			}
		}
		h := Resolve(base, s.AttrOr(linkAttrs[tag], ""))
		if h == "" {
			return
		}
		text := Clean(s.Text())
		if text == "" {
			text = Clean(s.AttrOr("title", s.AttrOr("alt", "")))
		}
		out = append(out, Anchor{Href: h, Text: text, Tag: tag, Hidden: inlineHidden(s)})
	})
	return out
}

var (
	offscreenRe = regexp.MustCompile(`(?:left|top|text-indent|margin-left|margin-top)\s*:\s*-\s*\d{3,}`)
	zeroSizeRe  = regexp.MustCompile(`(?:^|[;\s])(?:width|height)\s*:\s*0(?:px)?\s*(?:;|$)`)
	fontZeroRe  = regexp.MustCompile(`font-size\s*:\s*0(?:px|pt|em)?\s*(?:;|$)`)
)

// inlineHidden reads hiding from inline styles on the element and its
// ancestors: what spam injectors write when they have no stylesheet.
func inlineHidden(s *goquery.Selection) string {
	for n := s.Nodes[0]; n != nil && n.Type == html.ElementNode; n = n.Parent {
		if n.Data == "body" || n.Data == "html" {
			break
		}
		var style string
		for _, a := range n.Attr {
			switch a.Key {
			case "style":
				style = strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			case "hidden":
				return "display"
			}
		}
		switch {
		case style == "":
		case strings.Contains(style, "display:none"):
			return "display"
		case strings.Contains(style, "visibility:hidden"):
			return "visibility"
		case strings.Contains(style, "opacity:0;") || strings.HasSuffix(style, "opacity:0"):
			return "opacity"
		case offscreenRe.MatchString(style):
			return "offscreen"
		case fontZeroRe.MatchString(style):
			return "font-size"
		case zeroSizeRe.MatchString(style) && strings.Contains(style, "overflow:hidden"):
			return "clip"
		}
	}
	return ""
}

// SameSite reports whether two hosts belong to one site: equal, or one is
// the other with "www." in front.
func SameSite(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	return a == b || strings.TrimPrefix(a, "www.") == strings.TrimPrefix(b, "www.")
}

// MenuLinks returns the addresses of the links inside menus: nav and menu
// elements, and elements whose class or id says menu or nav.
func MenuLinks(doc *goquery.Document, pageURL string) map[string]bool {
	base := BaseURL(doc, pageURL)
	out := map[string]bool{}
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		in := false
		for p := s.Parent(); p.Length() > 0 && !in; p = p.Parent() {
			name := goquery.NodeName(p)
			c := strings.ToLower(p.AttrOr("class", "") + " " + p.AttrOr("id", ""))
			in = name == "nav" || name == "menu" || strings.Contains(c, "menu") || strings.Contains(c, "nav")
		}
		if h := Resolve(base, s.AttrOr("href", "")); in && h != "" {
			out[h] = true
		}
	})
	return out
}
