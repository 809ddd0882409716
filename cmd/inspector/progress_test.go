package main

import (
	"strings"
	"testing"
	"time"

	"inspector/probe"
)

func TestMeterSumsAndEstimates(t *testing.T) {
	t0 := time.Date(2020, 9, 28, 9, 0, 0, 0, time.UTC)
	m := newMeter(t0)
	m.line(probe.Progress{Target: "A", Done: 1, Total: 4, Pages: 10, Links: 100}, t0.Add(2*time.Second))
	got := m.line(probe.Progress{Target: "B", Done: 2, Total: 4, Pages: 5, Links: 50, Err: "home page: refused"}, t0.Add(4*time.Second))
	for _, want := range []string{"[2/4] B ", "total 15 pages, 150 links, 1 errors", "0.50 targets/s", "ETA 4s", "(home page: refused)"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if bar(5, 10) != "[##########..........]" || bar(12, 10) != "[####################]" || bar(1, 0) != "" {
		t.Error(bar(5, 10), bar(12, 10))
	}
}
