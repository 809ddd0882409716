package read

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Item is one entry of a list: an article link with its date.
type Item struct {
	Title string    `json:"title"`
	URL   string    `json:"url"`
	Date  time.Time `json:"date,omitzero"` // zero: undated
	// DateFrom says where the date was read: "text" (the list) or "url"
	// (the article address, a fallback).
	DateFrom string `json:"date_from,omitempty"`
}

// List is what a list page (a column) shows.
type List struct {
	Items  []Item    `json:"items,omitempty"` // the main list, page order
	Newest time.Time `json:"newest,omitzero"` // newest dated item, zero when none
	Dated  int       `json:"dated"`
	// Blank is set when the page says the column has no content
	// (暂无信息) or its list container is empty.
	Blank  bool   `json:"blank,omitempty"`
	Marker string `json:"marker,omitempty"` // the blank phrase, or "empty list"
}

// NewestItems returns up to n items, newest first (undated last).
func (l List) NewestItems(n int) []Item {
	items := append([]Item(nil), l.Items...)
	sort.SliceStable(items, func(i, j int) bool { return items[i].Date.After(items[j].Date) })
	if len(items) > n {
		items = items[:n]
	}
	return items
}

// listTags are the elements that hold one list entry.
var listTags = map[string]bool{"li": true, "tr": true, "dd": true, "dt": true, "p": true}

// itemOf finds the element that holds the entry an anchor belongs to: the
// closest li/tr/dd/p within a few levels, else the anchor's parent.
func itemOf(a *html.Node) *html.Node {
	n := a.Parent
	for i := 0; n != nil && i < 4; i, n = i+1, n.Parent {
		if n.Type == html.ElementNode && listTags[n.Data] {
			return n
		}
		if n.Type == html.ElementNode && (n.Data == "ul" || n.Data == "ol" || n.Data == "table" || n.Data == "body") {
			break
		}
	}
	return a.Parent
}

// nodeText is the text of n without scripts.
func nodeText(n *html.Node, skip *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n == skip {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return Clean(b.String())
}

type rawItem struct {
	Item
	group string // the list the entry belongs to
}

// groupOf names the list an entry element belongs to: its parent, merged
// with sibling lists of the same kind (one <ul class="list"> per month
// under one container is one list).
func groupOf(it *html.Node) string {
	g := it.Parent
	if g == nil {
		return ""
	}
	cls := ""
	for _, a := range g.Attr {
		if a.Key == "class" {
			cls = a.Val
		}
	}
	if g.Data == "tbody" && g.Parent != nil {
		g = g.Parent
	}
	return fmt.Sprintf("%p|%s|%s", g.Parent, g.Data, cls)
}

// items reads every article-like anchor of a page with its date, in
// document order, dating month-day entries by the nearest year heading
// above them.
func items(doc *goquery.Document, pageURL string, asOf time.Time) []rawItem {
	base := BaseURL(doc, pageURL)
	skip := Lexicon("read-nav-skip.txt")
	more := Lexicon("read-more.txt")
	var out []rawItem
	year := 0
	seenItem := map[*html.Node]bool{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if y, ok := YearHeading(n.Data); ok {
				year = y
			}
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "head", "template":
				return
			case "a":
				href := ""
				for _, at := range n.Attr {
					if at.Key == "href" {
						href = at.Val
					}
				}
				u := Resolve(base, href)
				title := nodeText(n, nil)
				if title == "" {
					for _, at := range n.Attr {
						if at.Key == "title" {
							title = Clean(at.Val)
						}
					}
				}
				if u == "" || title == "" || isOneOf(title, skip) || isOneOf(title, more) {
					return
				}
				it := itemOf(n)
				if seenItem[it] {
					return // one entry, several anchors: the first names it
				}
				seenItem[it] = true
				ri := rawItem{Item: Item{Title: title, URL: u}, group: groupOf(it)}
				if t, ok := ParseDate(nodeText(it, n), year, asOf); ok {
					ri.Date, ri.DateFrom = t, "text"
				} else if t, ok := DateInURL(u, asOf); ok {
					ri.Date, ri.DateFrom = t, "url"
				}
				out = append(out, ri)
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	return out
}

func isOneOf(s string, list []string) bool {
	s = strings.TrimSpace(s)
	for _, p := range list {
		if strings.EqualFold(s, p) {
			return true
		}
	}
	return false
}

// Items returns every dated entry of a page (the home page: its newest
// item decides its freshness), in page order.
func Items(html, pageURL string, asOf time.Time) []Item {
	var out []Item
	for _, ri := range items(Parse(html), pageURL, asOf) {
		if !ri.Date.IsZero() && ri.DateFrom == "text" {
			out = append(out, ri.Item)
		}
	}
	return out
}

// ReadList reads a column's list page: the biggest group of dated entries
// is the list (sidebars and footers are smaller); a page that says 暂无信息
// or holds an empty list container is blank.
func ReadList(htmlText, pageURL string, asOf time.Time) List {
	doc := Parse(htmlText)
	all := items(doc, pageURL, asOf)
	type group struct {
		items []Item
		dated int
		first int
	}
	groups := map[string]*group{}
	for i, ri := range all {
		g := groups[ri.group]
		if g == nil {
			g = &group{first: i}
			groups[ri.group] = g
		}
		g.items = append(g.items, ri.Item)
		if !ri.Date.IsZero() {
			g.dated++
		}
	}
	var best *group
	for _, g := range groups {
		if g.dated == 0 && len(g.items) < 3 {
			continue
		}
		if best == nil || g.dated > best.dated || (g.dated == best.dated && len(g.items) > len(best.items)) ||
			(g.dated == best.dated && len(g.items) == len(best.items) && g.first < best.first) {
			best = g
		}
	}
	var l List
	if best != nil && best.dated > 0 {
		l.Items = best.items
		for _, it := range l.Items {
			if !it.Date.IsZero() {
				l.Dated++
				if it.Date.After(l.Newest) {
					l.Newest = it.Date
				}
			}
		}
		return l
	}
	if best != nil && plausibleUndated(best.items, pageURL) {
		l.Items = best.items
	}
	body := Text(doc)
	if m, ok := BlankMarker(body); ok {
		l.Blank, l.Marker, l.Items = true, m, nil
		return l
	}
	if len(l.Items) == 0 && emptyListContainer(doc) {
		l.Blank, l.Marker = true, "empty list"
	}
	return l
}

// plausibleUndated accepts an undated group as a list when its entries
// look like articles (long titles on the same site), not a menu.
func plausibleUndated(items []Item, pageURL string) bool {
	pu, _ := url.Parse(pageURL)
	long := 0
	for _, it := range items {
		u, _ := url.Parse(it.URL)
		if utf8.RuneCountInString(it.Title) >= 8 && u != nil && pu != nil && SameSite(u.Host, pu.Host) {
			long++
		}
	}
	return long*2 >= len(items) && long >= 3
}

// emptyListContainer spots a list element named as a list that holds no
// entries.
func emptyListContainer(doc *goquery.Document) bool {
	found := false
	doc.Find("ul,ol,tbody,table,div").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		name := strings.ToLower(s.AttrOr("class", "") + " " + s.AttrOr("id", ""))
		if !strings.Contains(name, "list") {
			return true
		}
		if s.Find("a[href]").Length() == 0 && Clean(s.Text()) == "" && s.Find("script").Length() == 0 {
			found = true
			return false
		}
		return true
	})
	return found
}
