package read

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// A full date: 2020-09-18, 2020/9/18, 2020.09.18, 2020年9月18日.
	fullDateRe = regexp.MustCompile(`(?:^|[^\d])((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?:\s*日)?`)
	// 9月18日 (year from context).
	monthDayRe = regexp.MustCompile(`(?:^|[^\d])(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	// [09-18], 【09-18】, (09/18) (year from context).
	bracketMDRe = regexp.MustCompile(`[\[【(（]\s*(\d{1,2})[-/.](\d{1,2})\s*[\]】)）]`)
	// A bare 09-18 standing alone at the end of a list item.
	trailingMDRe = regexp.MustCompile(`(?:^|\s)(\d{2})-(\d{2})\s*$`)
	// A year on its own, as a heading above a list of 09-18 items.
	yearHeadingRe = regexp.MustCompile(`^\s*((?:19|20)\d{2})\s*(?:年\s*(?:度|\d{1,2}\s*月份?)?|[-/.]\s*\d{1,2})?\s*$`)
	urlDateRes    = []*regexp.Regexp{
		regexp.MustCompile(`/t((?:19|20)\d{2})(\d{2})(\d{2})_`),                  // /202009/t20200918_123.html
		regexp.MustCompile(`/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/`),         // /art/2020/9/18/art_1_2.html
		regexp.MustCompile(`/((?:19|20)\d{2})-(\d{1,2})/(\d{1,2})/`),             // /2020-09/18/content_1.htm
		regexp.MustCompile(`/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/`),             // /2020/09/18/
		regexp.MustCompile(`/((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})[/_]`),          // /2020-09-18/
		regexp.MustCompile(`/((?:19|20)\d{2})(\d{2})(\d{2})[/_]`),                // /20200918/
		regexp.MustCompile(`/((?:19|20)\d{2})(\d{2})/(\d{2})[/_]`),               // /202009/18/
		regexp.MustCompile(`[_/]((?:19|20)\d{2})(\d{2})(\d{2})\d{0,8}\.s?html?`), // /art_20200918123.html
	}
)

// civil builds a date in loc and checks it exists (no 2月30日).
func civil(y, m, d int, loc *time.Location) (time.Time, bool) {
	if y < 1990 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if t.Day() != d || int(t.Month()) != m {
		return time.Time{}, false
	}
	return t, true
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func loc(asOf time.Time) *time.Location {
	if asOf.IsZero() {
		return time.UTC
	}
	return asOf.Location()
}

// notAfter reports whether t is on or before the check point (a zero asOf
// accepts every date).
func notAfter(t, asOf time.Time) bool { return asOf.IsZero() || !t.After(asOf) }

// withYear dates a month and day: in year when given (a dated heading),
// else the latest such day on or before the check point.
func withYear(m, d, year int, asOf time.Time) (time.Time, bool) {
	if year == 0 {
		if asOf.IsZero() {
			return time.Time{}, false
		}
		year = asOf.Year()
		t, ok := civil(year, m, d, loc(asOf))
		if ok && !notAfter(t, asOf) {
			t, ok = civil(year-1, m, d, loc(asOf))
		}
		return t, ok
	}
	t, ok := civil(year, m, d, loc(asOf))
	return t, ok && notAfter(t, asOf)
}

// ParseDate returns the first date in s that is on or before the check
// point: a full date, or a month and day (9月18日, [09-18]) dated with
// year (0: the latest such day on or before asOf). Dates after the check
// point are never returned: they are typos or forged dates, not updates.
// A negative year reads full dates only.
func ParseDate(s string, year int, asOf time.Time) (time.Time, bool) {
	if len(s) > 4096 {
		s = s[:4096]
	}
	for _, m := range fullDateRe.FindAllStringSubmatch(s, -1) {
		if t, ok := civil(atoi(m[1]), atoi(m[2]), atoi(m[3]), loc(asOf)); ok && notAfter(t, asOf) {
			return t, true
		}
	}
	for _, re := range []*regexp.Regexp{monthDayRe, bracketMDRe, trailingMDRe} {
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			if t, ok := withYear(atoi(m[1]), atoi(m[2]), year, asOf); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// DateInURL reads a publication date from an article URL (/t20200918_…,
// /art/2020/9/18/…), the fallback when the list shows none.
func DateInURL(u string, asOf time.Time) (time.Time, bool) {
	for _, re := range urlDateRes {
		if m := re.FindStringSubmatch(u); m != nil {
			if t, ok := civil(atoi(m[1]), atoi(m[2]), atoi(m[3]), loc(asOf)); ok && notAfter(t, asOf) {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// YearHeading returns the year of a heading that is only a year or a
// month ("2020", "2020年", "2019年5月", "2019-05"), which dates the
// month-day items below it.
func YearHeading(s string) (int, bool) {
	if m := yearHeadingRe.FindStringSubmatch(s); m != nil {
		return atoi(m[1]), true
	}
	return 0, false
}

// PublishedAt finds the date after a publication label (发布时间：…) in an
// article's text; without a label, the first full date.
func PublishedAt(text string, asOf time.Time) (time.Time, bool) {
	for _, label := range Lexicon("read-published.txt") {
		rest := text
		for {
			i := strings.Index(rest, label)
			if i < 0 {
				break
			}
			rest = rest[i+len(label):]
			win := rest
			if len(win) > 60 {
				win = win[:60]
			}
			win = strings.TrimLeft(win, " :：\t\u3000")
			if m := fullDateRe.FindStringSubmatch(win); m != nil && strings.Index(win, m[0]) < 3 {
				if t, ok := civil(atoi(m[1]), atoi(m[2]), atoi(m[3]), loc(asOf)); ok && notAfter(t, asOf) {
					return t, true
				}
			}
		}
	}
	return ParseDate(text, -1, asOf)
}

// Dates returns every full date in text that is on or before the check
// point, in order (posts of an account page, dates of a message list).
func Dates(text string, asOf time.Time) []time.Time {
	var out []time.Time
	for _, m := range fullDateRe.FindAllStringSubmatch(text, -1) {
		if t, ok := civil(atoi(m[1]), atoi(m[2]), atoi(m[3]), loc(asOf)); ok && notAfter(t, asOf) {
			out = append(out, t)
		}
	}
	return out
}
