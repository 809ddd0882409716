package tui

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// Sanitize makes text that came from a web page (or anyone else) safe to
// put on the terminal: escape sequences and control characters are
// removed, tabs become spaces, and with oneLine every line break becomes a
// space and runs of white space collapse.
func Sanitize(s string, oneLine bool) string {
	s = ansi.Strip(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\n' && !oneLine:
			b.WriteRune('\n')
			space = false
			continue
		case r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f':
			if r == '\r' && !oneLine {
				continue
			}
			r = ' '
		case r == unicode.ReplacementChar:
			// keep: mojibake is evidence
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r) && r != '\u200d',
			r >= 0xE000 && r <= 0xF8FF, r == '\u2028', r == '\u2029':
			// C0/C1 controls (ESC, BEL, CSI …), bidi overrides and other
			// format characters, private-use code points.
			continue
		}
		if r == ' ' || unicode.IsSpace(r) {
			if oneLine && space {
				continue
			}
			space = true
			b.WriteRune(' ')
			continue
		}
		space = false
		b.WriteRune(r)
	}
	out := b.String()
	if oneLine {
		out = strings.TrimSpace(out)
	}
	return out
}

// clip truncates s to w display cells (a Han character counts two), with
// an ellipsis when cut.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// pad truncates or pads s with spaces to exactly w display cells.
func pad(s string, w int) string {
	s = clip(s, w)
	if d := w - ansi.StringWidth(s); d > 0 {
		s += strings.Repeat(" ", d)
	}
	return s
}

// padLeft right-aligns s in w display cells.
func padLeft(s string, w int) string {
	s = clip(s, w)
	if d := w - ansi.StringWidth(s); d > 0 {
		s = strings.Repeat(" ", d) + s
	}
	return s
}

func widthOf(s string) int { return ansi.StringWidth(s) }

// truncateCells cuts s to at most w cells without a tail.
func truncateCells(s string, w int) string { return ansi.Truncate(s, w, "") }
