package detect

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"inspector/assets"
)

// Lexicon file names under assets/lexicons/.
const (
	lexDir = "lexicons/"
)

// Spam categories, named after their lexicon files.
var spamFiles = []struct{ cat, file string }{
	{"porn", "spam-porn.txt"},
	{"gambling", "spam-gambling.txt"},
	{"fraud", "spam-fraud.txt"},
	{"games", "spam-games.txt"},
	{"seo", "spam-seo.txt"},
}

// catKey is the message key of a spam category's name in details.
var catKey = map[string]string{
	"porn":     "spam.category.porn",
	"gambling": "spam.category.gambling",
	"fraud":    "spam.category.fraud",
	"games":    "spam.category.games",
	"seo":      "spam.category.seo",
}

// lexicons holds every word list the detectors use, loaded once.
type lexicons struct {
	t2s        map[rune]rune
	spam       *matcher // payload: category
	context    *matcher
	lawful     *matcher
	hosts      hostRules
	benign     []string
	inter      *matcher // interaction channels
	interEx    *matcher
	interHub   *matcher // hub pages of several channels
	account    *matcher // account interaction functions
	msgSub     []string
	msgRep     []string
	msgOpen    []string
	msgBody    []string
	services   *matcher
	svcHref    []string
	guide      []guideElement
	guideTitle []string // normalised title words of a service guide
	search     []string
	searchA    []string
	errWords   []string
	errHref    []string
	mojibake   []string
	errors     []wrongForm
	empty      []string
}

type hostRules struct {
	label, labelDigits, contains, tldSpam, tldCheap map[string]bool
	containsList                                    []string
}

type guideElement struct {
	Name   string
	Labels []string // normalised
}

type wrongForm struct {
	Wrong, Right string // as written (simplified)
	nWrong       string // normalised
	nRight       string
}

var (
	lexOnce sync.Once
	lex     *lexicons
	lexErr  error
)

// LoadLexicons loads (once) and validates the detectors' word lists. Run
// panics with this error when a file is malformed; callers that want a
// clean error at start-up call this first.
func LoadLexicons() error {
	lexOnce.Do(func() { lex, lexErr = loadLexicons() })
	return lexErr
}

func mustLex() *lexicons {
	if err := LoadLexicons(); err != nil {
		panic(err)
	}
	return lex
}

// line is one entry of a lexicon file with where it came from.
type line struct {
	text    string
	section string
	where   string
}

func readLines(name string) ([]line, error) {
	b, src, err := assets.ReadFile(lexDir + name)
	if err != nil {
		return nil, fmt.Errorf("lexicon %s: %w", src, err)
	}
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("lexicon %s: not UTF-8", src)
	}
	var out []line
	section := ""
	for i, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(l, "\ufeff"))
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		where := fmt.Sprintf("%s:%d", src, i+1)
		if strings.HasPrefix(l, "[") {
			if !strings.HasSuffix(l, "]") || len(l) < 3 {
				return nil, fmt.Errorf("lexicon %s: malformed section header %q", where, l)
			}
			section = l[1 : len(l)-1]
			continue
		}
		out = append(out, line{l, section, where})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("lexicon %s: no entries", src)
	}
	return out, nil
}

// sections reads a sectioned file and checks that every entry is under one
// of the allowed sections and that each of them has entries.
func sections(name string, allowed ...string) (map[string][]string, error) {
	lines, err := readLines(name)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for _, l := range lines {
		if !ok[l.section] {
			if l.section == "" {
				return nil, fmt.Errorf("lexicon %s: entry %q before any section (want one of %v)", l.where, l.text, allowed)
			}
			return nil, fmt.Errorf("lexicon %s: unknown section [%s] (want one of %v)", l.where, l.section, allowed)
		}
		out[l.section] = append(out[l.section], l.text)
	}
	for _, a := range allowed {
		if len(out[a]) == 0 {
			return nil, fmt.Errorf("lexicon %s: section [%s] is empty", name, a)
		}
	}
	return out, nil
}

func plain(name string) ([]line, error) {
	lines, err := readLines(name)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		if l.section != "" {
			return nil, fmt.Errorf("lexicon %s: sections are not used in this file", l.where)
		}
	}
	return lines, nil
}

func loadLexicons() (*lexicons, error) {
	L := &lexicons{t2s: map[rune]rune{}}
	// t2s first: every other list is normalised through it.
	lines, err := plain("t2s.txt")
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		f := strings.Fields(l.text)
		if len(f) != 2 || utf8.RuneCountInString(f[0]) != 1 || utf8.RuneCountInString(f[1]) != 1 {
			return nil, fmt.Errorf("lexicon %s: want \"TRADITIONAL SIMPLIFIED\" (one character each), got %q", l.where, l.text)
		}
		t, _ := utf8.DecodeRuneInString(f[0])
		s, _ := utf8.DecodeRuneInString(f[1])
		L.t2s[t] = s
	}
	norm := func(s string) string { return normalizeWith(L.t2s, s) }

	list := func(name string, m *matcher, payload string) error {
		lines, err := plain(name)
		if err != nil {
			return err
		}
		for _, l := range lines {
			if err := m.add(norm(l.text), l.text, payload); err != nil {
				return fmt.Errorf("lexicon %s: %w", l.where, err)
			}
		}
		return nil
	}
	L.spam = newMatcher()
	for _, sf := range spamFiles {
		if err := list(sf.file, L.spam, sf.cat); err != nil {
			return nil, err
		}
	}
	L.context, L.lawful = newMatcher(), newMatcher()
	if err := list("context.txt", L.context, "context"); err != nil {
		return nil, err
	}
	if err := list("lawful.txt", L.lawful, "lawful"); err != nil {
		return nil, err
	}

	hs, err := sections("spam-hosts.txt", "label", "label-digits", "contains", "tld-spam", "tld-cheap")
	if err != nil {
		return nil, err
	}
	set := func(xs []string) map[string]bool {
		m := map[string]bool{}
		for _, x := range xs {
			m[strings.ToLower(x)] = true
		}
		return m
	}
	L.hosts = hostRules{
		label: set(hs["label"]), labelDigits: set(hs["label-digits"]), contains: set(hs["contains"]),
		tldSpam: set(hs["tld-spam"]), tldCheap: set(hs["tld-cheap"]),
	}
	for k := range L.hosts.contains {
		L.hosts.containsList = append(L.hosts.containsList, k)
	}
	sort.Strings(L.hosts.containsList)

	lines, err = plain("benign-hosts.txt")
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		h := strings.ToLower(strings.TrimPrefix(l.text, "."))
		if strings.ContainsAny(h, " /:") {
			return nil, fmt.Errorf("lexicon %s: %q is not a host name", l.where, l.text)
		}
		L.benign = append(L.benign, h)
	}

	is, err := sections("interaction.txt", "channel", "hub", "exclude", "account")
	if err != nil {
		return nil, err
	}
	L.inter, L.interHub, L.interEx, L.account = newMatcher(), newMatcher(), newMatcher(), newMatcher()
	for _, p := range []struct {
		m  *matcher
		xs []string
	}{{L.inter, is["channel"]}, {L.interHub, is["hub"]}, {L.interEx, is["exclude"]}, {L.account, is["account"]}} {
		for _, x := range p.xs {
			if err := p.m.add(norm(x), x, ""); err != nil {
				return nil, fmt.Errorf("lexicon interaction.txt: %w", err)
			}
		}
	}

	ms, err := sections("messages.txt", "submitted", "replied", "unanswered", "content")
	if err != nil {
		return nil, err
	}
	L.msgSub, L.msgRep, L.msgOpen, L.msgBody = ms["submitted"], ms["replied"], ms["unanswered"], ms["content"]

	ss, err := sections("services.txt", "words", "href")
	if err != nil {
		return nil, err
	}
	L.services = newMatcher()
	for _, x := range ss["words"] {
		if err := L.services.add(norm(x), x, ""); err != nil {
			return nil, fmt.Errorf("lexicon services.txt: %w", err)
		}
	}
	L.svcHref = lowerAll(ss["href"])

	lines, err = plain("guide-elements.txt")
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		name, labels, ok := strings.Cut(l.text, ":")
		if !ok {
			name, labels, ok = strings.Cut(l.text, "：")
		}
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.TrimSpace(labels) == "" {
			return nil, fmt.Errorf("lexicon %s: want \"ELEMENT: LABEL|LABEL\", got %q", l.where, l.text)
		}
		ge := guideElement{Name: name}
		for _, lb := range strings.Split(labels, "|") {
			if lb = strings.TrimSpace(lb); lb != "" {
				ge.Labels = append(ge.Labels, norm(lb))
			}
		}
		L.guide = append(L.guide, ge)
	}

	lines, err = plain("guide-titles.txt")
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		L.guideTitle = append(L.guideTitle, norm(l.text))
	}

	sr, err := sections("search.txt", "words", "attrs")
	if err != nil {
		return nil, err
	}
	L.search, L.searchA = normAll(norm, sr["words"]), lowerAll(sr["attrs"])
	ee, err := sections("error-entry.txt", "words", "href")
	if err != nil {
		return nil, err
	}
	L.errWords, L.errHref = normAll(norm, ee["words"]), lowerAll(ee["href"])

	lines, err = plain("mojibake.txt")
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		L.mojibake = append(L.mojibake, l.text)
	}
	lines, err = plain("errors.txt")
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		w, r, ok := strings.Cut(l.text, "=>")
		w, r = strings.TrimSpace(w), strings.TrimSpace(r)
		if !ok || w == "" || r == "" || w == r {
			return nil, fmt.Errorf("lexicon %s: want \"WRONG => RIGHT\" with two different forms, got %q", l.where, l.text)
		}
		L.errors = append(L.errors, wrongForm{Wrong: w, Right: r, nWrong: norm(w), nRight: norm(r)})
	}
	lines, err = plain("empty.txt")
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		L.empty = append(L.empty, norm(l.text))
	}
	return L, nil
}

func lowerAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ToLower(x)
	}
	return out
}

func normAll(norm func(string) string, xs []string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if n := norm(x); n != "" {
			out = append(out, n)
		}
	}
	return out
}
