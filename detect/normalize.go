package detect

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// foldRune maps one rune to its matching form: full/half width and other
// compatibility forms folded (NFKC), lower case, traditional→simplified.
// It returns 0 for noise: spaces, punctuation, symbols (★), zero-width and
// other format characters, which spam interleaves between the characters
// of a phrase.
func foldRune(t2s map[rune]rune, r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
		r -= 0xFEE0
	} else if r >= 0x80 && !(r >= 0x4E00 && r <= 0x9FFF) {
		if s := norm.NFKC.String(string(r)); utf8.RuneCountInString(s) == 1 {
			r, _ = utf8.DecodeRuneInString(s)
		}
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return 0
	}
	r = unicode.ToLower(r)
	if s, ok := t2s[r]; ok {
		r = s
	}
	return r
}

func normalizeWith(t2s map[rune]rune, s string) string {
	var b strings.Builder
	for _, r := range s {
		if f := foldRune(t2s, r); f != 0 {
			b.WriteRune(f)
		}
	}
	return b.String()
}

// Normalize returns s as the detectors match it: simplified characters,
// half width, lower case, noise characters removed.
func Normalize(s string) string { return normalizeWith(mustLex().t2s, s) }

// ntext is a normalised text that remembers where each of its runes came
// from in the original, for snippets.
type ntext struct {
	orig  string
	runes []rune
	pos   []int // byte offset in orig of each rune
}

func newNText(s string) *ntext {
	t2s := mustLex().t2s
	t := &ntext{orig: s}
	for i, r := range s {
		if f := foldRune(t2s, r); f != 0 {
			t.runes = append(t.runes, f)
			t.pos = append(t.pos, i)
		}
	}
	return t
}

// span returns the original text of normalised runes [a, b).
func (t *ntext) span(a, b int) string {
	if a >= b || a >= len(t.pos) {
		return ""
	}
	end := len(t.orig)
	if b < len(t.pos) {
		end = t.pos[b]
	}
	// trim trailing noise
	s := t.orig[t.pos[a]:end]
	return strings.TrimRightFunc(s, func(r rune) bool { return foldRune(mustLex().t2s, r) == 0 })
}

// snippet returns the original text around normalised runes [a, b) with
// up to ctx runes of context either side, on one line.
func (t *ntext) snippet(a, b, ctx int) string {
	if a >= len(t.pos) {
		return ""
	}
	start := t.pos[a]
	end := len(t.orig)
	if b < len(t.pos) {
		end = t.pos[b]
	}
	return around(t.orig, start, end, ctx)
}

// around cuts orig[start:end] with ctx runes either side, whitespace folded.
func around(orig string, start, end, ctx int) string {
	s := start
	for n := 0; n < ctx && s > 0; n++ {
		_, w := utf8.DecodeLastRuneInString(orig[:s])
		s -= w
	}
	e := end
	for n := 0; n < ctx && e < len(orig); n++ {
		_, w := utf8.DecodeRuneInString(orig[e:])
		e += w
	}
	out := oneLine(orig[s:e])
	if s > 0 {
		out = "…" + out
	}
	if e < len(orig) {
		out += "…"
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// matcher finds lexicon phrases in normalised text.
type matcher struct {
	byFirst map[rune][]*phrase
	n       int
}

type phrase struct {
	norm    []rune
	text    string // as written in the lexicon
	payload string // e.g. spam category
}

type hit struct {
	start, end int // normalised rune indexes
	p          *phrase
}

func newMatcher() *matcher { return &matcher{byFirst: map[rune][]*phrase{}} }

func (m *matcher) add(normalised, written, payload string) error {
	rs := []rune(normalised)
	if len(rs) == 0 {
		return fmt.Errorf("phrase %q is empty once normalised", written)
	}
	for _, p := range m.byFirst[rs[0]] {
		if string(p.norm) == normalised {
			return nil // duplicate: keep the first
		}
	}
	l := m.byFirst[rs[0]]
	l = append(l, &phrase{norm: rs, text: written, payload: payload})
	sort.SliceStable(l, func(i, j int) bool { return len(l[i].norm) > len(l[j].norm) })
	m.byFirst[rs[0]] = l
	m.n++
	return nil
}

// find returns the non-overlapping longest matches, left to right.
func (m *matcher) find(rs []rune) []hit {
	var out []hit
	for i := 0; i < len(rs); {
		var best *phrase
		for _, p := range m.byFirst[rs[i]] {
			if hasPrefixRunes(rs[i:], p.norm) {
				best = p
				break
			}
		}
		if best == nil {
			i++
			continue
		}
		out = append(out, hit{i, i + len(best.norm), best})
		i += len(best.norm)
	}
	return out
}

// any reports whether any phrase occurs in normalised s.
func (m *matcher) any(s string) bool { return len(m.find([]rune(s))) > 0 }

// first returns the first phrase found in normalised s, or "".
func (m *matcher) first(s string) string {
	if h := m.find([]rune(s)); len(h) > 0 {
		return h[0].p.text
	}
	return ""
}

func hasPrefixRunes(s, p []rune) bool {
	if len(s) < len(p) {
		return false
	}
	for i := range p {
		if s[i] != p[i] {
			return false
		}
	}
	return true
}

func containsAny(s string, subs []string) string {
	for _, x := range subs {
		if x != "" && strings.Contains(s, x) {
			return x
		}
	}
	return ""
}
