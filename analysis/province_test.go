package analysis

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"inspector/catalog"
	"inspector/detect"
	"inspector/model"
	"inspector/probe"
	"inspector/province"
)

// TestProvinceSmall probes the small synthetic province end to end (with
// Chromium) and scores the findings against its ground truth.
func TestProvinceSmall(t *testing.T) {
	if _, err := probe.FindChrome(""); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Chrome is required in CI: %v", err)
		}
		t.Skipf("no Chrome: %v", err)
	}
	p := province.New(province.Options{Seed: 1, Small: true})
	srv, err := p.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	probe.SpamHost = detect.SpamHost
	cfg := probe.Config{Resolve: srv.Resolve(), BlockUnmapped: true, Timeout: 10 * time.Second}
	targets := append(p.Sites(), p.Accounts()...)
	cat := catalog.MustLoad()
	var mu sync.Mutex
	var findings []model.Finding
	start := time.Now()
	err = probe.Run(context.Background(), cfg, targets, "2020Q3", p.AsOf(), func(c *probe.Capture) error {
		mu.Lock()
		defer mu.Unlock()
		findings = append(findings, Analyze(cat, p.AsOf(), c)...)
		return nil
	}, func(pr probe.Progress) {
		if pr.Warning != "" {
			t.Log(pr.Warning)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("swept %d targets in %s", len(targets), time.Since(start).Round(time.Millisecond))
	addr := map[string]string{}
	for _, tg := range targets {
		addr[tg.Code] = tg.URL
	}
	var exp []Expected
	for _, tr := range p.Truth() {
		if !tr.Manual {
			exp = append(exp, Expected{Target: tr.Target, Indicator: tr.Indicator, Subject: tr.Subject, Whole: WholeTarget(tr.Subject, addr[tr.Target])})
		}
	}
	var inds []string
	for _, ind := range cat.Indicators {
		if ind.Machine {
			inds = append(inds, ind.Code)
		}
	}
	for _, sc := range Score(inds, exp, findings) {
		t.Logf("%-32s expected %2d found %2d false %2d other %2d", sc.Indicator, sc.Expected, sc.Found, sc.False, sc.Other)
		for _, m := range sc.Missed {
			t.Logf("    missed %s %s", m.Target, m.Subject)
		}
		for _, f := range sc.Extra {
			t.Logf("    extra  %s %s: %s", f.Target, f.Subject, f.Detail)
		}
	}
}
