// Package read reads government web pages: columns from navigation and
// "more" links, list items and their dates, publication dates, links and
// visible text. Pure functions over HTML strings, no network, so analysis
// can re-read stored pages offline and tests are tables.
package read

import (
	"strings"
	"sync"

	"inspector/assets"
)

var (
	lexMu    sync.Mutex
	lexCache = map[string][]string{}
)

// Lexicon returns the entries of assets/lexicons/NAME (one per line, "#"
// comments, blank lines skipped). A missing file is an empty list: the
// reader degrades, it does not stop a sweep.
func Lexicon(name string) []string {
	lexMu.Lock()
	defer lexMu.Unlock()
	if l, ok := lexCache[name]; ok {
		return l
	}
	b, _, err := assets.ReadFile("lexicons/" + name)
	var out []string
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			out = append(out, line)
		}
	}
	lexCache[name] = out
	return out
}

// containsAny reports whether s contains one of the phrases, and which.
func containsAny(s string, phrases []string) (string, bool) {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return p, true
		}
	}
	return "", false
}

// PageRole returns the detector role (interaction, guide) a link text
// leads to, from read-pages.txt, or "".
func PageRole(text string) string {
	for _, e := range Lexicon("read-pages.txt") {
		role, phrase, ok := strings.Cut(e, "|")
		if ok && phrase != "" && strings.Contains(text, phrase) {
			return role
		}
	}
	return ""
}

// BlankMarker returns the blank-column phrase found in text, if any.
func BlankMarker(text string) (string, bool) { return containsAny(text, Lexicon("read-blank.txt")) }

// NotFoundMarker returns an error-page phrase found in s, if any.
func NotFoundMarker(s string) (string, bool) { return containsAny(s, Lexicon("read-notfound.txt")) }
