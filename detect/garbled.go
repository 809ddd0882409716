package detect

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"inspector/model"
	"inspector/msgs"
)

// garbledHit is one instance of garbled text in a page.
type garbledHit struct {
	what    string
	snippet string
	certain bool
}

var qRun = regexp.MustCompile(`[?？]{3,}`)

// garbledText finds mojibake in a page's text: literal byte garbage
// (锟斤拷, U+FFFD), UTF-8 read as Latin-1 / Windows-1252 (Ã© å›½), UTF-8
// read as GBK (鍥藉), and runs of ??? where Chinese belongs. A page
// decoded with the right code page, whichever it is, shows none of these.
func garbledText(s string) []garbledHit {
	var out []garbledHit
	for _, m := range mustLex().mojibake {
		for i := 0; ; {
			j := strings.Index(s[i:], m)
			if j < 0 {
				break
			}
			at := i + j
			end := at + len(m)
			for strings.HasPrefix(s[end:], m) { // a run counts once
				end += len(m)
			}
			out = append(out, garbledHit{msgs.F("garbled.kind.lexicon", m), around(s, at, end, 15), true})
			i = end
		}
	}
	out = append(out, latin1Mojibake(s)...)
	out = append(out, gbkMojibake(s)...)
	if cjkShare(s) >= 0.3 {
		for _, m := range qRun.FindAllStringIndex(s, -1) {
			if nearCJK(s, m[0], m[1]) {
				out = append(out, garbledHit{msgs.F("garbled.kind.question_marks"), around(s, m[0], m[1], 15), false})
			}
		}
	}
	return out
}

// latin1Mojibake finds runs of Latin-1 / Windows-1252 characters whose
// bytes are valid UTF-8 for CJK text.
func latin1Mojibake(s string) []garbledHit {
	var out []garbledHit
	enc := charmap.Windows1252.NewEncoder()
	rs := []rune(s)
	bytePos := make([]int, len(rs)+1)
	o := 0
	for i, r := range rs {
		bytePos[i] = o
		o += utf8.RuneLen(r)
	}
	bytePos[len(rs)] = o
	for i := 0; i < len(rs); {
		if rs[i] < 0x80 || rs[i] > 0x2122 {
			i++
			continue
		}
		j := i
		for j < len(rs) && rs[j] >= 0x80 && rs[j] <= 0x2122 {
			j++
		}
		if j-i >= 3 {
			b, ok := latin1Bytes(enc, rs[i:j])
			if ok && utf8.Valid(b) && countCJK(string(b)) >= 1 {
				out = append(out, garbledHit{msgs.F("garbled.kind.latin1"), around(s, bytePos[i], bytePos[j], 10), true})
			}
		}
		i = j
	}
	return out
}

// latin1Bytes re-encodes runes as the single bytes a Windows-1252 (or,
// for C1 controls, Latin-1) decoder made them from.
func latin1Bytes(enc *encoding.Encoder, rs []rune) ([]byte, bool) {
	var out []byte
	for _, r := range rs {
		if r <= 0xFF {
			out = append(out, byte(r))
			continue
		}
		b, err := enc.Bytes([]byte(string(r)))
		if err != nil || len(b) != 1 {
			return nil, false
		}
		out = append(out, b[0])
	}
	return out, true
}

// gbkMojibake finds runs of CJK characters whose GBK bytes are valid UTF-8
// for other CJK text: UTF-8 decoded as GBK. Real Chinese text almost never
// re-encodes to valid multi-byte UTF-8 over six characters.
func gbkMojibake(s string) []garbledHit {
	var out []garbledHit
	enc := simplifiedchinese.GBK.NewEncoder()
	rs := []rune(s)
	off := make([]int, len(rs)+1)
	o := 0
	for i, r := range rs {
		off[i] = o
		o += utf8.RuneLen(r)
	}
	off[len(rs)] = o
	for i := 0; i < len(rs); {
		if !unicode.Is(unicode.Han, rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && rs[j] >= 0x80 && rs[j] != 0xFFFD && !unicode.IsSpace(rs[j]) && !unicode.IsPunct(rs[j]) {
			j++
		}
		if j-i >= 6 {
			b, err := enc.Bytes([]byte(string(rs[i:j])))
			if err == nil && utf8.Valid(b) && countCJK(string(b)) >= 3 && !strings.ContainsRune(string(b), utf8.RuneError) {
				out = append(out, garbledHit{msgs.F("garbled.kind.gbk"), around(s, off[i], off[j], 5), true})
			}
		}
		i = j
	}
	return out
}

func countCJK(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}

func cjkShare(s string) float64 {
	letters, cjk := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.Is(unicode.Han, r) {
				cjk++
			}
		}
	}
	if letters == 0 {
		return 0
	}
	return float64(cjk) / float64(letters)
}

func nearCJK(s string, a, b int) bool {
	if r, _ := utf8.DecodeLastRuneInString(s[:a]); unicode.Is(unicode.Han, r) {
		return true
	}
	if r, _ := utf8.DecodeRuneInString(s[b:]); unicode.Is(unicode.Han, r) {
		return true
	}
	return b-a >= 6
}

// wrongForms finds the error lexicon's wrong forms in a text, skipping
// any that are part of the right form.
func wrongForms(s string) map[*wrongForm][]string {
	out := map[*wrongForm][]string{}
	t := newNText(s)
	text := string(t.runes)
	L := mustLex()
	for i := range L.errors {
		wf := &L.errors[i]
		rights := runeIndexes(text, wf.nRight)
		for _, at := range runeIndexes(text, wf.nWrong) {
			inside := false
			for _, r := range rights {
				if at >= r && at+len([]rune(wf.nWrong)) <= r+len([]rune(wf.nRight)) {
					inside = true
				}
			}
			if !inside {
				out[wf] = append(out[wf], t.snippet(at, at+len([]rune(wf.nWrong)), 15))
			}
		}
	}
	return out
}

// runeIndexes returns the rune offsets of every occurrence of sub in s.
func runeIndexes(s, sub string) []int {
	var out []int
	for i := 0; ; {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return out
		}
		out = append(out, utf8.RuneCountInString(s[:i+j]))
		i += j + len(sub)
	}
}

// garbled: mojibake per page, known wrong forms per phrase.
func (r *run) garbled() {
	type acc struct {
		wf  *wrongForm
		ev  []model.Evidence
		n   int
		top int
	}
	wrong := map[string]*acc{}
	var order []string
	for _, pr := range r.pages {
		if pr.p.Status >= 400 {
			continue
		}
		text := pr.v.title + "\n" + pr.visibleText()
		hits := garbledText(text)
		if len(hits) > 0 {
			var ev []model.Evidence
			kinds := map[string]bool{}
			conf := model.ConfSuspect
			for _, h := range hits {
				ev = append(ev, evidence(pr.p, msgs.F("garbled.hit.ev", h.what, h.snippet)))
				kinds[h.what] = true
				if h.certain {
					conf = model.ConfCertain
				}
			}
			r.add("deduct.garbled", pr.url, msgs.F("garbled.page", len(hits), msgs.List(sortedKeys(kinds))), conf, ev, len(hits))
		}
		for wf, snippets := range wrongForms(text) {
			a := wrong[wf.Wrong]
			if a == nil {
				a = &acc{wf: wf}
				wrong[wf.Wrong] = a
				order = append(order, wf.Wrong)
			}
			for _, s := range snippets {
				a.n++
				a.ev = append(a.ev, evidence(pr.p, s))
			}
		}
	}
	for _, w := range order {
		a := wrong[w]
		r.add("deduct.garbled", w, msgs.F("garbled.wrong_form", a.wf.Wrong, a.wf.Right, a.n), model.ConfCertain, a.ev, a.n)
	}
}
