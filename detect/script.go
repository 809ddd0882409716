package detect

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"inspector/msgs"
)

// scriptFinding is what one inline script revealed once decoded.
type scriptFinding struct {
	techniques []string // obfuscation used
	decoded    string   // the decoded strings, in source order
	links      []slink  // links the script writes
	redirects  []string // URLs it sends the visitor to
	byReferrer bool     // the redirect depends on document.referrer (search visitors only)
}

var (
	// obfuscations name each technique by the code it looks for, or by a
	// message key (key) where a finding words it.
	obfuscations = []struct{ name, key, re string }{
		{"String.fromCharCode", "", `fromCharCode\s*\(`},
		{"atob", "", `\batob\s*\(`},
		{"eval", "", `\beval\s*\(`},
		{"unescape", "", `\bunescape\s*\(`},
		{"decodeURIComponent", "", `decodeURIComponent\s*\(\s*['"]%`},
		{"", "script.technique.hex_escape", `\\x[0-9a-fA-F]{2}`},
		{"", "script.technique.unicode_escape", `\\u[0-9a-fA-F]{4}`},
	}
	obfRes     []*regexp.Regexp
	writeRe    = regexp.MustCompile(`document\s*\.\s*(write|writeln)\s*\(|\.innerHTML\s*=|insertAdjacentHTML\s*\(`)
	referrerRe = regexp.MustCompile(`(?i)document\s*\.\s*referrer`)
	engineRe   = regexp.MustCompile(`(?i)baidu|sogou|so\.com|360|google|bing|sm\.cn|soso|youdao|yahoo`)
	redirectRe = regexp.MustCompile(`(?i)(?:(?:window|top|self|parent|document)\s*\.\s*)?location(?:\s*\.\s*href)?\s*=\s*([^;\n]+)|location\s*\.\s*(?:replace|assign)\s*\(\s*([^)\n]+)\)|window\s*\.\s*open\s*\(\s*([^,)\n]+)`)
	urlRe      = regexp.MustCompile(`(?i)(?:https?:)?//[a-z0-9\-._~%]+(?:\.[a-z0-9\-]+)+(?::\d+)?(?:/[^\s'"<>()]*)?`)
	numRe      = regexp.MustCompile(`0[xX][0-9a-fA-F]+|\d+`)
)

// techniqueName is obfuscation i's name as a finding shows it.
func techniqueName(i int) string {
	if k := obfuscations[i].key; k != "" {
		return msgs.F(k)
	}
	return obfuscations[i].name
}

func init() {
	for _, o := range obfuscations {
		obfRes = append(obfRes, regexp.MustCompile(o.re))
	}
}

// readScript decodes what an inline script can be read to say without
// running it: its string literals (escapes resolved), String.fromCharCode
// lists, atob / unescape / decodeURIComponent arguments, repeated for
// code that decodes to more code.
func readScript(src, pageURL string) scriptFinding {
	var sf scriptFinding
	for i, re := range obfRes {
		if re.MatchString(src) {
			sf.techniques = append(sf.techniques, techniqueName(i))
		}
	}
	text := src
	all := ""
	for depth := 0; depth < 3; depth++ {
		dec := decodeJS(text)
		all += "\n" + dec
		if dec == text || !(strings.Contains(dec, "(") && (writeRe.MatchString(dec) || strings.Contains(dec, "fromCharCode") || strings.Contains(dec, "atob") || strings.Contains(dec, "location"))) {
			break
		}
		text = dec
	}
	sf.decoded = strings.TrimSpace(all)
	// links written by the script
	if writeRe.MatchString(src) || writeRe.MatchString(sf.decoded) || len(sf.techniques) > 0 {
		v := readHTML(sf.decoded, pageURL, nil)
		for _, l := range v.links {
			if webURL(l.href) {
				sf.links = append(sf.links, l)
			}
		}
	}
	// redirects, in the source and in what it decodes to
	for _, s := range []string{src, sf.decoded} {
		for _, m := range redirectRe.FindAllStringSubmatch(s, -1) {
			expr := m[1] + m[2] + m[3]
			for _, u := range urlRe.FindAllString(decodeJS(expr), -1) {
				sf.redirects = append(sf.redirects, absURL(pageURL, u))
			}
		}
	}
	if len(sf.redirects) > 0 && referrerRe.MatchString(src+sf.decoded) && engineRe.MatchString(src+sf.decoded) {
		sf.byReferrer = true
	}
	return sf
}

func absURL(base, u string) string {
	b, err := url.Parse(base)
	if err != nil {
		return u
	}
	r, err := b.Parse(u)
	if err != nil {
		return u
	}
	return r.String()
}

// decodeJS returns the strings a piece of script spells out, in source
// order: adjacent pieces joined by + are glued, others put on new lines.
func decodeJS(src string) string {
	var b strings.Builder
	lastEnd := -1
	emit := func(start, end int, s string) {
		if lastEnd >= 0 && strings.Trim(src[lastEnd:start], " \t\r\n+()") != "" {
			b.WriteString("\n")
		}
		b.WriteString(s)
		lastEnd = end
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				return b.String()
			}
			i += j
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return b.String()
			}
			i += j + 4
		case c == '\'' || c == '"' || c == '`':
			s, end := jsString(src, i)
			emit(i, end, s)
			i = end
		case strings.HasPrefix(src[i:], "fromCharCode"):
			open := strings.IndexByte(src[i:], '(')
			close := strings.IndexByte(src[i:], ')')
			if open < 0 || close < open {
				i++
				continue
			}
			args := src[i+open+1 : i+close]
			var sb strings.Builder
			for _, n := range numRe.FindAllString(args, -1) {
				v, err := strconv.ParseInt(n, 0, 32)
				if err == nil && v > 0 && v < 0x110000 {
					sb.WriteRune(rune(v))
				}
			}
			emit(i, i+close+1, sb.String())
			i += close + 1
		default:
			i++
		}
	}
	out := b.String()
	// atob / unescape arguments are now plain strings: decode what looks encoded.
	return decodeEncoded(src, out)
}

var (
	atobRe     = regexp.MustCompile(`\batob\s*\(\s*(['"])([A-Za-z0-9+/=\s]+)(['"])\s*\)`)
	unescapeRe = regexp.MustCompile(`(?:unescape|decodeURIComponent|decodeURI)\s*\(\s*(['"])([^'"]+)(['"])\s*\)`)
)

// decodeEncoded appends the decoded atob and unescape arguments of src.
func decodeEncoded(src, out string) string {
	var extra []string
	for _, m := range atobRe.FindAllStringSubmatch(src, -1) {
		if b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(m[2]), "")); err == nil {
			extra = append(extra, string(b))
		}
	}
	for _, m := range unescapeRe.FindAllStringSubmatch(src, -1) {
		extra = append(extra, percentDecode(m[2]))
	}
	if len(extra) == 0 {
		return out
	}
	return out + "\n" + strings.Join(extra, "\n")
}

// percentDecode undoes escape(): %XX and %uXXXX.
func percentDecode(s string) string {
	var b strings.Builder
	var bytes []byte
	flush := func() {
		if len(bytes) > 0 {
			b.WriteString(string(bytes))
			bytes = nil
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+5 < len(s)+0 && (s[i+1] == 'u' || s[i+1] == 'U') {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 32); err == nil {
				flush()
				b.WriteRune(rune(v))
				i += 5
				continue
			}
		}
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				bytes = append(bytes, byte(v))
				i += 2
				continue
			}
		}
		flush()
		b.WriteByte(s[i])
	}
	flush()
	return b.String()
}

// jsString reads a string literal starting at src[i] (the quote) and
// returns its value and the index after it.
func jsString(src string, i int) (string, int) {
	q := src[i]
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		c := src[j]
		if c == q {
			return b.String(), j + 1
		}
		if c == '\n' && q != '`' {
			return b.String(), j
		}
		if c != '\\' || j+1 >= len(src) {
			b.WriteByte(c)
			j++
			continue
		}
		e := src[j+1]
		switch e {
		case 'n':
			b.WriteByte('\n')
			j += 2
		case 't':
			b.WriteByte('\t')
			j += 2
		case 'r':
			j += 2
		case 'x':
			if j+4 <= len(src) {
				if v, err := strconv.ParseUint(src[j+2:j+4], 16, 8); err == nil {
					b.WriteRune(rune(v))
					j += 4
					continue
				}
			}
			b.WriteByte(e)
			j += 2
		case 'u':
			if j+6 <= len(src) {
				if v, err := strconv.ParseUint(src[j+2:j+6], 16, 32); err == nil {
					b.WriteRune(rune(v))
					j += 6
					continue
				}
			}
			b.WriteByte(e)
			j += 2
		default:
			b.WriteByte(e)
			j += 2
		}
	}
	return b.String(), j
}
