package main

import (
	"os"

	"inspector/probe"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemoOpensAtOnceAndFillsIn is `make run` in small: the review UI is on
// screen before the sweep of the synthetic province is done, shows the
// sweep's progress, and fills in with findings as it ends.
func TestDemoOpensAtOnceAndFillsIn(t *testing.T) {
	needTmux(t)
	needChrome(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	s := startTmux(t, db, "demo", "--small")
	// At once: the round screen with the sweep's progress in the header.
	s.waitFor("2020Q3", "探测 ", "/32")
	// Then: the sweep ends and machine results replace 未探测 on the sites.
	deadline := time.Now().Add(3 * time.Minute)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		if !strings.Contains(scr, "探测 ") && strings.Contains(scr, "否决") && !strings.Contains(scr, "未探测   待定") {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !strings.Contains(scr, "否决") || strings.Contains(scr, "探测 ") {
		t.Fatalf("the sweep did not fill the list in; last screen:\n%s", scr)
	}
	s.keys("q")
	for i := 0; i < 50 && s.alive(); i++ {
		time.Sleep(100 * time.Millisecond)
	}
	fs := findingsJSON(t, db)
	if len(fs) == 0 {
		t.Fatal("no findings stored by the demo's sweep")
	}
}

// needChrome fails in CI and skips elsewhere when Chromium is missing.
func needChrome(t *testing.T) {
	t.Helper()
	if _, err := probe.FindChrome(""); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chromium is required in CI: %v", err)
		}
		t.Skipf("Chromium not installed: %v", err)
	}
}
