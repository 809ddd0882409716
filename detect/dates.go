package detect

import (
	"regexp"
	"strconv"
	"time"
)

var dateRe = regexp.MustCompile(`(20\d{2}|19\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)

// findDates returns the dates written in s, in order, with their byte
// positions.
func findDates(s string) ([]time.Time, [][]int) {
	var out []time.Time
	var pos [][]int
	for _, m := range dateRe.FindAllStringSubmatchIndex(s, -1) {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		if mo < 1 || mo > 12 || d < 1 || d > 31 {
			continue
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Day() != d {
			continue
		}
		out = append(out, t)
		pos = append(pos, []int{m[0], m[1]})
	}
	return out, pos
}

// firstDate returns the first date in s.
func firstDate(s string) (time.Time, bool) {
	ds, _ := findDates(s)
	if len(ds) == 0 {
		return time.Time{}, false
	}
	return ds[0], true
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
