package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"inspector/catalog"
	"inspector/model"
	"inspector/verdicts"
)

func TestChartFigures(t *testing.T) {
	db := fixture(t)
	d, err := computeCharts(db, catalog.MustLoad(), fxRound)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.rounds) != 2 || d.rounds[0].name != fxPrev || d.rounds[1].name != fxRound {
		t.Fatalf("rounds: %+v", d.rounds)
	}
	// 2020Q3: 6300000001 fails (veto), 6300000002 and 6300000004 pass,
	// 6300000003 is pending; WB0002 fails, WX0001 is pending.
	if s := d.rounds[1].sites; s.part != 2 || s.whole != 3 {
		t.Errorf("sites 2020Q3: %d/%d", s.part, s.whole)
	}
	if a := d.rounds[1].accounts; a.part != 0 || a.whole != 1 {
		t.Errorf("accounts 2020Q3: %d/%d", a.part, a.whole)
	}
	// No region in the fixture: grouped by sponsor, worst first, the
	// pending one last.
	var labels []string
	for _, b := range d.regions[0] {
		labels = append(labels, b.label)
	}
	if got := strings.Join(labels, ","); got != "青海省粮食局,兴海县人民政府,同仁县人民政府,海北藏族自治州财政局" {
		t.Errorf("site groups: %s", got)
	}
	// Indicators: the dismissed error_entry finding does not count.
	counts := map[string]int{}
	for _, k := range d.indicators {
		for _, b := range k {
			counts[b.label] = b.part
			if b.whole == 0 {
				t.Errorf("%s: no whole", b.label)
			}
		}
	}
	if counts["site.deduct.error_entry"] != 0 || counts["site.veto.home_stale"] != 1 || counts["account.veto.stale"] != 1 {
		t.Errorf("indicator counts: %v", counts)
	}
}

func TestChartRegionGrouping(t *testing.T) {
	rows := rowsOf(
		row("A", model.KindSite, "西宁市", "x", model.VerdictPass),
		row("B", model.KindSite, "西宁市", "y", model.VerdictFail),
		row("C", model.KindSite, "", "海东市某局", model.VerdictPass),
		row("D", model.KindAccount, "西宁市", "z", model.VerdictPass),
	)
	g := byRegion(rows)
	if len(g[0]) != 2 || g[0][0].label != "西宁市" || g[0][0].part != 1 || g[0][0].whole != 2 || g[0][1].label != "海东市某局" {
		t.Errorf("sites: %+v", g[0])
	}
	if len(g[1]) != 1 || g[1][0].whole != 1 {
		t.Errorf("accounts: %+v", g[1])
	}
}

// Every chart line fits the width, and every bar starts and ends in the
// same columns, Chinese labels or not.
func TestChartLayoutAligns(t *testing.T) {
	db := fixture(t)
	const blocks = "█░·▏▎▍▌▋▊▉"
	for _, w := range []int{40, 80, 120} {
		m := newTestModel(t, db, "zh")
		open(t, m, "c")
		starts, ends := map[int]bool{}, map[int]bool{}
		for i, l := range m.charts.draw(m.charts.chart, w) {
			l = ansi.Strip(l)
			if lw := ansi.StringWidth(l); lw > w {
				t.Errorf("width %d: line %d is %d cells: %q", w, i, lw, l)
			}
			if !strings.Contains(l, "/") {
				continue
			}
			at := strings.IndexAny(l, blocks)
			if at < 0 {
				t.Errorf("width %d: line %d has no bar: %q", w, i, l)
				continue
			}
			starts[ansi.StringWidth(l[:at])] = true
			ends[ansi.StringWidth(l)] = true
		}
		if len(starts) != 1 || len(ends) != 1 {
			t.Errorf("width %d: bars start in %d columns and lines end in %d", w, len(starts), len(ends))
		}
	}
}

func row(code, kind, region, sponsor, verdict string) verdicts.Row {
	return verdicts.Row{Target: model.Target{Code: code, Kind: kind, Region: region, Sponsor: sponsor},
		Verdict: model.Verdict{Verdict: verdict}}
}

func rowsOf(rs ...verdicts.Row) []verdicts.Row { return rs }

func TestDrawBar(t *testing.T) {
	v := &chartView{common: &common{styles: NewStyles(true)}}
	for _, tc := range []struct {
		b    bar
		want string
	}{
		{bar{part: 1, whole: 1}, "██████████"},
		{bar{part: 0, whole: 1}, "░░░░░░░░░░"},
		{bar{part: 1, whole: 2}, "█████░░░░░"},
		{bar{part: 1, whole: 1000}, "▏░░░░░░░░░"},
		{bar{part: 0, whole: 0}, "··········"},
		{bar{part: 1, whole: 3}, "███▍░░░░░░"},
	} {
		if got := ansi.Strip(v.drawBar(tc.b, 10)); got != tc.want {
			t.Errorf("%d/%d: %q, want %q", tc.b.part, tc.b.whole, got, tc.want)
		}
	}
	if p := percent(bar{part: 126, whole: 134}); p != "94.0%" {
		t.Errorf("126/134: %s", p)
	}
}

func TestChartsBack(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "en")
	press(m, "tab")
	open(t, m, "c")
	if m.screen != screenCharts || m.charts.chart == nil {
		t.Fatalf("c did not open the charts: screen %d", m.screen)
	}
	frame := ansi.Strip(m.render())
	if !strings.Contains(frame, "Charts · 2020Q3") {
		t.Errorf("frame:\n%s", frame)
	}
	press(m, "esc")
	if m.screen != screenRound || m.list.tab != 1 {
		t.Fatalf("esc: screen %d tab %d", m.screen, m.list.tab)
	}
}
