package detect

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// view is what the static reading of one HTML document found.
type view struct {
	base        *url.URL
	title       string
	keywords    string
	description string
	text        string // visible text, blocks on their own lines
	hidden      []hiddenBlock
	links       []slink
	alts        []string
	scripts     []string // inline script bodies
	refresh     string   // meta refresh target, absolute
	frames      []frame
	forms       []*html.Node
	root        *html.Node
}

type hiddenBlock struct {
	reason string
	text   string
}

// slink is a link as the static reading saw it.
type slink struct {
	href   string // absolute
	text   string
	tag    string
	hidden string // why it is hidden, "" when visible
	menu   bool   // inside a nav / menu container
}

type frame struct {
	src  string
	full bool // fills the window (frameset, or 100% size)
}

var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Ul: true, atom.Ol: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Dd: true, atom.Dt: true, atom.Form: true,
	atom.Span: false,
}

// inherited is what flows from an element to its children.
type inherited struct {
	reason   string // hidden by an ancestor (display, clip …)
	fontZero bool
	color    string
	bg       string
	menu     bool
}

// readHTML parses a document and computes, without a browser, which of
// its text and links are hidden. sheet returns the text of a linked
// stylesheet (or "" when it was not fetched).
func readHTML(doc, pageURL string, sheet func(href string) string) *view {
	v := &view{}
	v.base, _ = url.Parse(pageURL)
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return v
	}
	v.root = root
	// <base href>
	var walkBase func(n *html.Node)
	walkBase = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Base && attr(n, "href") != "" && v.base != nil {
			if b, err := v.base.Parse(attr(n, "href")); err == nil {
				v.base = b
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walkBase(c)
		}
	}
	walkBase(root)

	// style sheets in document order
	var rules []cssRule
	order := 0
	var collect func(n *html.Node)
	collect = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Style:
				if m := strings.ToLower(attr(n, "media")); m == "" || strings.Contains(m, "screen") || m == "all" {
					rules = append(rules, parseCSS(nodeText(n), &order)...)
				}
			case atom.Link:
				rel := strings.ToLower(attr(n, "rel"))
				m := strings.ToLower(attr(n, "media"))
				if strings.Contains(rel, "stylesheet") && sheet != nil && (m == "" || strings.Contains(m, "screen") || m == "all") {
					if css := sheet(v.abs(attr(n, "href"))); css != "" {
						rules = append(rules, parseCSS(css, &order)...)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			collect(c)
		}
	}
	collect(root)

	var text strings.Builder
	var walk func(n *html.Node, in inherited)
	walk = func(n *html.Node, in inherited) {
		switch n.Type {
		case html.TextNode:
			t := n.Data
			if strings.TrimSpace(t) == "" {
				if in.reason == "" {
					text.WriteString(" ")
				}
				return
			}
			if r := textHidden(in); r != "" {
				v.hidden = append(v.hidden, hiddenBlock{r, strings.TrimSpace(t)})
			} else {
				text.WriteString(t)
			}
			return
		case html.ElementNode:
		default:
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, in)
			}
			return
		}
		switch n.DataAtom {
		case atom.Head:
			v.readHead(n)
			return
		case atom.Script:
			if attr(n, "src") == "" {
				v.scripts = append(v.scripts, nodeText(n))
			} else {
				v.links = append(v.links, slink{href: v.abs(attr(n, "src")), tag: "script", hidden: in.reason})
			}
			return
		case atom.Style, atom.Noscript, atom.Template, atom.Textarea:
			return
		case atom.Title:
			if v.title == "" {
				v.title = strings.TrimSpace(nodeText(n))
			}
			return
		case atom.Meta:
			v.readMeta(n)
			return
		}
		st := cascade(n, rules)
		in = applyStyle(n, st, in)
		if blockTags[n.DataAtom] {
			text.WriteString("\n")
		}
		switch n.DataAtom {
		case atom.A, atom.Area:
			if h := attr(n, "href"); h != "" && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(h)), "javascript:") {
				lt := strings.TrimSpace(oneLine(nodeText(n)))
				if lt == "" {
					lt = strings.TrimSpace(attr(n, "title"))
				}
				if lt == "" {
					lt = imgAlt(n)
				}
				v.links = append(v.links, slink{href: v.abs(h), text: lt, tag: "a", hidden: linkHidden(n, in), menu: in.menu})
			}
		case atom.Img:
			if a := strings.TrimSpace(attr(n, "alt")); a != "" {
				v.alts = append(v.alts, a)
			}
		case atom.Iframe, atom.Frame:
			src := v.abs(attr(n, "src"))
			full := n.DataAtom == atom.Frame || (pct100(attr(n, "width"), st["width"]) && pct100(attr(n, "height"), st["height"]))
			v.frames = append(v.frames, frame{src, full})
			hidden := in.reason
			if hidden == "" && (zeroAttr(attr(n, "width")) || zeroAttr(attr(n, "height"))) {
				hidden = "zero-size"
			}
			v.links = append(v.links, slink{href: src, tag: "iframe", hidden: hidden})
		case atom.Form:
			v.forms = append(v.forms, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
		if blockTags[n.DataAtom] {
			text.WriteString("\n")
		}
	}
	walk(root, inherited{})
	v.text = tidyText(text.String())
	return v
}

func (v *view) readHead(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Title:
			if v.title == "" {
				v.title = strings.TrimSpace(nodeText(c))
			}
		case atom.Meta:
			v.readMeta(c)
		case atom.Script:
			if attr(c, "src") == "" {
				v.scripts = append(v.scripts, nodeText(c))
			} else {
				v.links = append(v.links, slink{href: v.abs(attr(c, "src")), tag: "script"})
			}
		}
	}
}

func (v *view) readMeta(n *html.Node) {
	name := strings.ToLower(attr(n, "name"))
	content := attr(n, "content")
	switch {
	case name == "keywords":
		v.keywords = content
	case name == "description":
		v.description = content
	case strings.EqualFold(attr(n, "http-equiv"), "refresh"):
		c := content
		if i := strings.Index(strings.ToLower(c), "url="); i >= 0 {
			u := strings.Trim(strings.TrimSpace(c[i+4:]), `'"`)
			v.refresh = v.abs(u)
		}
	}
}

func (v *view) abs(h string) string {
	h = strings.TrimSpace(h)
	if h == "" {
		return ""
	}
	if v.base == nil {
		return h
	}
	u, err := v.base.Parse(h)
	if err != nil {
		return h
	}
	return u.String()
}

// applyStyle folds an element's declared style into what it passes on.
func applyStyle(n *html.Node, st style, in inherited) inherited {
	if hasAttr(n, "hidden") || (n.DataAtom == atom.Input && strings.EqualFold(attr(n, "type"), "hidden")) {
		if in.reason == "" {
			in.reason = "display"
		}
	}
	if n.DataAtom == atom.Nav || n.DataAtom == atom.Menu {
		in.menu = true
	} else if c := strings.ToLower(attr(n, "class") + " " + attr(n, "id")); strings.Contains(c, "menu") || strings.Contains(c, "nav") {
		in.menu = true
	}
	if n.DataAtom == atom.Marquee {
		if h, ok := px(attr(n, "height") + "px"); ok && h <= 2 && in.reason == "" {
			in.reason = "zero-size"
		}
	}
	if st == nil {
		return in
	}
	if in.reason == "" {
		in.reason = hiddenBy(st)
	}
	if fs, ok := st["font-size"]; ok {
		if f, ok := px(fs); ok {
			in.fontZero = f <= 1
		} else {
			in.fontZero = false
		}
	}
	if c := normColor(st["color"]); c != "" {
		in.color = c
	}
	if b := normColor(st["background-color"]); b != "" && b != "transparent" {
		in.bg = b
	} else if b := bgColor(st["background"]); b != "" && b != "transparent" {
		in.bg = b
	}
	return in
}

// hiddenBy names why an element's own style hides it and its content.
func hiddenBy(st style) string {
	if st["display"] == "none" {
		return "display"
	}
	if v := st["visibility"]; v == "hidden" || v == "collapse" {
		return "visibility"
	}
	if o, ok := st["opacity"]; ok {
		if f, err := parseFloat(o); err == nil && f <= 0.01 {
			return "opacity"
		}
	}
	far := func(p string) bool {
		f, ok := px(st[p])
		return ok && f <= -500
	}
	if pos := st["position"]; pos == "absolute" || pos == "fixed" {
		if far("left") || far("top") || far("right") {
			return "offscreen"
		}
	}
	if far("text-indent") || far("margin-left") || far("margin-top") {
		return "offscreen"
	}
	ov := st["overflow"] + " " + st["overflow-x"] + " " + st["overflow-y"]
	if strings.Contains(ov, "hidden") || strings.Contains(ov, "clip") {
		for _, p := range []string{"height", "width", "max-height", "max-width"} {
			if f, ok := px(st[p]); ok && f <= 1 {
				return "clip"
			}
		}
	}
	if c := strings.ReplaceAll(st["clip"], " ", ""); strings.HasPrefix(c, "rect(0") && (strings.Contains(c, ",0") || strings.Contains(c, "0px,0px") || c == "rect(0000)" || strings.HasPrefix(c, "rect(0px0px0px0px")) {
		return "clip"
	}
	if cp := st["clip-path"]; strings.Contains(cp, "inset(50%") || strings.Contains(cp, "inset(100%") {
		return "clip"
	}
	if t := st["transform"]; strings.Contains(t, "scale(0)") || strings.Contains(t, "scale(0,") {
		return "zero-size"
	}
	return ""
}

func textHidden(in inherited) string {
	if in.reason != "" {
		return in.reason
	}
	if in.fontZero {
		return "font-size"
	}
	if in.color != "" && in.color != "transparent" && in.color == in.bg {
		return "color"
	}
	return ""
}

func linkHidden(n *html.Node, in inherited) string {
	if r := textHidden(in); r != "" {
		return r
	}
	return ""
}

func pct100(a, css string) bool {
	a, css = strings.TrimSpace(a), strings.TrimSpace(css)
	return a == "100%" || css == "100%" || css == "100vw" || css == "100vh"
}

func zeroAttr(a string) bool {
	a = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(a), "px"))
	return a == "0" || a == "1"
}

func imgAlt(n *html.Node) string {
	var out string
	var f func(*html.Node)
	f = func(n *html.Node) {
		if out != "" {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Img {
			out = strings.TrimSpace(attr(n, "alt"))
			if out == "" {
				out = strings.TrimSpace(attr(n, "title"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return out
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node, bool)
	f = func(n *html.Node, top bool) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if !top && n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c, false)
		}
	}
	f(n, true)
	return b.String()
}

// tidyText folds runs of spaces and blank lines.
func tidyText(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = oneLine(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
