package detect

import (
	"net"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"inspector/msgs"
)

// SpamHost reports whether a host name (or address) looks like a spam
// site's, judged from its text alone, so that the probe can avoid ever
// fetching it. Government domains are never spam hosts.
func SpamHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "" || govHost(host) {
		return false
	}
	if net.ParseIP(host) != nil {
		return false // an address says nothing by itself; judge the link text
	}
	if benignHost(host) {
		return false
	}
	hr := mustLex().hosts
	labels := strings.Split(host, ".")
	tld := labels[len(labels)-1]
	if hr.tldSpam[tld] {
		return true
	}
	cheap := hr.tldCheap[tld]
	for _, l := range labels[:len(labels)-1] {
		if l == "www" || l == "m" || l == "wap" {
			continue
		}
		for _, c := range hr.containsList {
			if strings.Contains(l, c) {
				return true
			}
		}
		for _, part := range strings.Split(l, "-") {
			letters, digits := splitDigits(part)
			for _, w := range letters {
				if hr.label[w] {
					return true
				}
				if digits && hr.labelDigits[w] {
					return true
				}
			}
			// ab8888.cc: a short word and a long number on a cheap domain
			if cheap && digits && len(letters) == 1 && len(letters[0]) <= 4 && countDigits(part) >= 3 {
				return true
			}
		}
	}
	return false
}

// splitDigits splits a label into its letter runs and reports whether it
// had any digits.
func splitDigits(s string) (letters []string, digits bool) {
	cur := ""
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits = true
			if cur != "" {
				letters = append(letters, cur)
				cur = ""
			}
			continue
		}
		cur += string(r)
	}
	if cur != "" {
		letters = append(letters, cur)
	}
	return
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// SpamLink reports whether a link is to be treated as spam without being
// fetched: its host looks like a spam site's, or its text is a spam
// phrase outside lawful context. reason says which, in Chinese.
func SpamLink(href, text string) (bool, string) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err == nil && u.Hostname() != "" {
		h := strings.ToLower(u.Hostname())
		if govHost(h) {
			return false, ""
		}
		if SpamHost(h) {
			return true, msgs.F("spam.reason.host", h)
		}
	}
	if hs := spamHits(text); len(hs.phrases) > 0 && !hs.lawful {
		return true, msgs.F("spam.reason.words", msgs.List(hs.phrases))
	}
	return false, ""
}

// spamResult is what the spam lexicons found in one text.
type spamResult struct {
	phrases  []string // distinct spam phrases outside lawful context
	lawfulN  int      // spam phrases in lawful context
	lawful   bool     // every phrase found was in lawful context
	cats     map[string]bool
	snippets []string
	total    int // spam phrase occurrences outside lawful context
}

// spamHits finds spam phrases in a text, telling apart those in a lawful
// sentence (打击、警惕 … in the same sentence).
func spamHits(s string) spamResult {
	L := mustLex()
	r := spamResult{cats: map[string]bool{}}
	if strings.TrimSpace(s) == "" {
		return r
	}
	seen := map[string]bool{}
	for _, sent := range sentences(s) {
		t := newNText(sent)
		hits := L.spam.find(t.runes)
		if len(hits) == 0 {
			continue
		}
		law := L.lawful.find(t.runes)
		for _, h := range hits {
			if lawfulNear(h, law, len(t.runes)) {
				r.lawfulN++
				continue
			}
			r.total++
			r.cats[h.p.payload] = true
			if !seen[h.p.text] {
				seen[h.p.text] = true
				r.phrases = append(r.phrases, h.p.text)
				if len(r.snippets) < 5 {
					r.snippets = append(r.snippets, t.snippet(h.start, h.end, 20))
				}
			}
		}
	}
	r.lawful = r.lawfulN > 0 && len(r.phrases) == 0
	return r
}

// lawfulNear: a lawful word in the same sentence; in a very long
// "sentence" (a spam block without punctuation) only within 40 characters.
func lawfulNear(h hit, law []hit, n int) bool {
	for _, l := range law {
		if n <= 160 {
			return true
		}
		if l.end >= h.start-40 && l.start <= h.end+40 {
			return true
		}
	}
	return false
}

// sentences splits text at sentence ends and line breaks.
func sentences(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case '。', '！', '？', '；', '!', '?', ';', '\n', '\r':
			return true
		}
		return false
	})
}

// contextWords returns the weak context words in a text.
func contextWords(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range mustLex().context.find([]rune(Normalize(s))) {
		if !seen[h.p.text] {
			seen[h.p.text] = true
			out = append(out, h.p.text)
		}
	}
	return out
}

func catNames(cats map[string]bool) string {
	var out []string
	for c := range cats {
		out = append(out, msgs.F(catKey[c]))
	}
	sort.Strings(out)
	return msgs.List(out)
}
