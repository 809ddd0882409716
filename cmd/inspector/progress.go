package main

import (
	"fmt"
	"strings"
	"time"

	"inspector/probe"
)

// meter sums a sweep's progress for the progress bar and log lines:
// targets done / total, pages, links, errors, rate and ETA.
type meter struct {
	start                time.Time
	pages, links, errors int
}

func newMeter(start time.Time) *meter { return &meter{start: start} }

// line records one finished target and describes the sweep so far. The
// line starts "[done/total] CODE " (scripts and tests read it).
func (m *meter) line(p probe.Progress, at time.Time) string {
	m.pages += p.Pages
	m.links += p.Links
	if p.Err != "" {
		m.errors++
	}
	s := fmt.Sprintf("[%d/%d] %s %s: %d pages, %d links, %s", p.Done, p.Total, p.Target, p.Name, p.Pages, p.Links, p.Elapsed.Round(time.Millisecond))
	if p.Err != "" {
		s += " (" + oneLine(p.Err) + ")"
	}
	el := at.Sub(m.start)
	rate := 0.0
	if el > 0 {
		rate = float64(p.Done) / el.Seconds()
	}
	eta := "—"
	if rate > 0 && p.Total >= p.Done {
		eta = (time.Duration(float64(p.Total-p.Done)/rate) * time.Second).Round(time.Second).String()
	}
	return s + fmt.Sprintf(" · total %d pages, %d links, %d errors · %.2f targets/s · ETA %s", m.pages, m.links, m.errors, rate, eta)
}

// bar is a text progress bar of done out of total.
func bar(done, total int) string {
	if total <= 0 {
		return ""
	}
	const w = 20
	n := min(w, done*w/total)
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", w-n) + "]"
}
