package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"inspector/catalog"
	"inspector/model"
	"inspector/store"
)

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

// benchDB is a round of 515 targets (400 sites, 115 accounts) and 20 000
// findings with evidence, built once per test binary.
func benchDB(b *testing.B) *store.DB {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tui-bench")
		if err != nil {
			benchErr = err
			return
		}
		benchPath = filepath.Join(dir, "bench.db")
		db, err := store.Open(benchPath)
		if err != nil {
			benchErr = err
			return
		}
		defer db.Close()
		cat := catalog.MustLoad()
		var ts []model.Target
		var codes []string
		for i := 0; i < 515; i++ {
			t := model.Target{Code: fmt.Sprintf("63%08d", i), Kind: model.KindSite, Name: fmt.Sprintf("青海省第%d县人民政府网站", i),
				Sponsor: fmt.Sprintf("第%d县人民政府", i), URL: fmt.Sprintf("http://www.x%d.gov.cn", i), Status: model.StatusRunning}
			if i >= 400 {
				t.Kind, t.Platform, t.Name = model.KindAccount, "微信", fmt.Sprintf("政务微信%d", i)
			}
			ts = append(ts, t)
			codes = append(codes, t.Code)
		}
		if _, benchErr = db.ImportTargets(ts, "bench", t0); benchErr != nil {
			return
		}
		if benchErr = db.CreateRound(model.Round{Name: fxRound, AsOf: date(2020, 9, 28), Seed: 1, Created: t0}, codes); benchErr != nil {
			return
		}
		inds := cat.ForKind(model.KindSite)
		for i := 0; i < 400; i++ {
			var fs []model.Finding
			for j := 0; j < 50; j++ {
				ind := inds[(i+j)%len(inds)]
				u := fmt.Sprintf("http://www.x%d.gov.cn/col/%d/page.html", i, j)
				fs = append(fs, model.Finding{Indicator: ind.Code, Subject: u, Detail: "栏目更新不及时，最新信息 2020-03-01", Confidence: model.ConfSuspect,
					Evidence: []model.Evidence{{URL: u, Snippet: "2020-03-01 关于做好秋季防火工作的通知", At: t0}}})
			}
			if benchErr = db.ReplaceMachineFindings(fxRound, ts[i].Code, fs, t0); benchErr != nil {
				return
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	db, err := store.Open(benchPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkKeyToFrame drives Update+View over a large round: moving in the
// list, opening targets, deciding, filtering, switching tabs. It reports
// the median key-to-frame time and the first frame (load and render).
func BenchmarkKeyToFrame(b *testing.B) {
	db := benchDB(b)
	cat := catalog.MustLoad()
	// As Run does it: the first frame at once, the round read by a
	// command, keys pressed meanwhile replayed.
	start := time.Now()
	m, err := newShell(Options{DB: db, Cat: cat, By: fxBy})
	if err != nil {
		b.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	_ = m.View()
	first := time.Since(start)
	m.Update(m.loadCmd()())
	_ = m.View()
	loaded := time.Since(start)

	script := keys("j", "j", "j", "enter", "j", "j", "c", "j", "x", "误报", "enter", "k", "u", "esc",
		"G", "g", "/", "县", "esc", "tab", "j", "tab", "s", "s", "s", "n", "enter", "down", "down", "esc")
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := script[i%len(script)]
		t := time.Now()
		m.Update(k)
		_ = m.View()
		durs = append(durs, time.Since(t))
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	med := durs[len(durs)/2]
	p95 := durs[len(durs)*95/100]
	b.ReportMetric(float64(med.Microseconds())/1000, "ms-median-key-to-frame")
	b.ReportMetric(float64(p95.Microseconds())/1000, "ms-p95-key-to-frame")
	b.ReportMetric(float64(first.Microseconds())/1000, "ms-first-frame")
	b.ReportMetric(float64(loaded.Microseconds())/1000, "ms-round-frame")
}
