package detect

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// cssRule is one selector of a style rule with its declarations.
type cssRule struct {
	sel   cascadia.Sel
	spec  cascadia.Specificity
	order int
	decls []cssDecl
}

type cssDecl struct {
	prop, value string
	important   bool
}

// styleProps are the properties that can hide content.
var styleProps = map[string]bool{
	"display": true, "visibility": true, "opacity": true, "position": true,
	"left": true, "top": true, "right": true, "text-indent": true, "margin-left": true, "margin-top": true,
	"height": true, "width": true, "max-height": true, "max-width": true, "overflow": true, "overflow-x": true, "overflow-y": true,
	"font-size": true, "line-height": true, "color": true, "background-color": true, "background": true,
	"clip": true, "clip-path": true, "transform": true,
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// parseCSS reads the plain style rules of a stylesheet. Rules inside
// at-rules (@media print, responsive @media …) are skipped: they hide
// content for other devices, and spam does not need them.
func parseCSS(src string, order *int) []cssRule {
	src = cssComment.ReplaceAllString(src, "")
	var out []cssRule
	depth := 0
	start := 0
	inAt := -1 // depth at which an at-rule block opened
	selText := ""
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '{':
			pre := strings.TrimSpace(src[start:i])
			if depth == 0 || (inAt < 0 && depth == 0) {
				if strings.HasPrefix(pre, "@") {
					inAt = depth
				} else {
					selText = pre
				}
			}
			depth++
			start = i + 1
		case '}':
			body := src[start:i]
			depth--
			if depth < 0 {
				depth = 0
			}
			if depth == 0 && inAt < 0 && selText != "" {
				out = append(out, compileRule(selText, body, order)...)
			}
			if inAt >= 0 && depth == inAt {
				inAt = -1
			}
			selText = ""
			start = i + 1
		case ';':
			if depth == 0 { // @import …; @charset …;
				start = i + 1
			}
		}
	}
	return out
}

func compileRule(selText, body string, order *int) []cssRule {
	decls := parseDecls(body)
	if len(decls) == 0 {
		return nil
	}
	var out []cssRule
	for _, one := range strings.Split(selText, ",") {
		one = strings.TrimSpace(one)
		if one == "" || strings.Contains(one, "::") || strings.Contains(one, ":hover") ||
			strings.Contains(one, ":focus") || strings.Contains(one, ":active") || strings.Contains(one, ":before") || strings.Contains(one, ":after") {
			continue
		}
		sel, err := cascadia.Parse(one)
		if err != nil {
			continue
		}
		*order++
		out = append(out, cssRule{sel: sel, spec: sel.Specificity(), order: *order, decls: decls})
	}
	return out
}

func parseDecls(body string) []cssDecl {
	var out []cssDecl
	for _, d := range strings.Split(body, ";") {
		p, v, ok := strings.Cut(d, ":")
		if !ok {
			continue
		}
		p = strings.ToLower(strings.TrimSpace(p))
		if !styleProps[p] {
			continue
		}
		v = strings.ToLower(strings.TrimSpace(v))
		imp := false
		if i := strings.Index(v, "!important"); i >= 0 {
			imp = true
			v = strings.TrimSpace(v[:i])
		}
		out = append(out, cssDecl{p, v, imp})
	}
	return out
}

// style is the declared (not inherited) value of the hiding properties of
// one element after the cascade.
type style map[string]string

// cascade computes the declared style of n from the sheet rules and its
// style attribute: importance, then specificity, then order.
func cascade(n *html.Node, rules []cssRule) style {
	type win struct {
		imp   bool
		spec  cascadia.Specificity
		order int
		value string
	}
	best := map[string]win{}
	consider := func(d cssDecl, spec cascadia.Specificity, order int) {
		w, ok := best[d.prop]
		better := !ok
		if ok {
			switch {
			case d.important != w.imp:
				better = d.important
			case spec != w.spec:
				better = w.spec.Less(spec)
			default:
				better = order >= w.order
			}
		}
		if better {
			best[d.prop] = win{d.important, spec, order, d.value}
		}
	}
	for _, r := range rules {
		if r.sel.Match(n) {
			for _, d := range r.decls {
				consider(d, r.spec, r.order)
			}
		}
	}
	if st := attr(n, "style"); st != "" {
		for _, d := range parseDecls(st) {
			consider(d, cascadia.Specificity{1 << 20, 0, 0}, 1<<30)
		}
	}
	if len(best) == 0 {
		return nil
	}
	out := style{}
	for k, w := range best {
		out[k] = w.value
	}
	return out
}

// px reads a CSS length in px (em counted as 16px); ok is false for
// anything else (auto, percentages).
func px(v string) (float64, bool) {
	v = strings.TrimSpace(v)
	if v == "0" {
		return 0, true
	}
	mul := 1.0
	switch {
	case strings.HasSuffix(v, "px"):
		v = strings.TrimSuffix(v, "px")
	case strings.HasSuffix(v, "rem"):
		v, mul = strings.TrimSuffix(v, "rem"), 16
	case strings.HasSuffix(v, "em"):
		v, mul = strings.TrimSuffix(v, "em"), 16
	case strings.HasSuffix(v, "pt"):
		v, mul = strings.TrimSuffix(v, "pt"), 4.0/3
	default:
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, false
	}
	return f * mul, true
}

var namedColors = map[string]string{
	"white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
	"yellow": "#ffff00", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "transparent": "transparent",
}

var rgbRe = regexp.MustCompile(`^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)$`)

// normColor returns a colour as #rrggbb, "transparent", or "" when unknown.
func normColor(v string) string {
	v = strings.TrimSpace(strings.ToLower(v))
	if c, ok := namedColors[v]; ok {
		return c
	}
	if strings.HasPrefix(v, "#") {
		h := v[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		if len(h) == 6 {
			if _, err := strconv.ParseUint(h, 16, 32); err == nil {
				return "#" + h
			}
		}
		return ""
	}
	if m := rgbRe.FindStringSubmatch(v); m != nil {
		if m[4] != "" {
			if a, _ := strconv.ParseFloat(m[4], 64); a == 0 {
				return "transparent"
			}
		}
		var b strings.Builder
		b.WriteByte('#')
		for _, s := range m[1:4] {
			n, _ := strconv.Atoi(s)
			if n > 255 {
				n = 255
			}
			b.WriteString(strconv.FormatInt(int64(n)+256, 16)[1:])
		}
		return b.String()
	}
	return ""
}

// bgColor finds the colour of a background shorthand.
func bgColor(v string) string {
	for _, f := range strings.Fields(v) {
		if c := normColor(f); c != "" {
			return c
		}
	}
	return normColor(v)
}
