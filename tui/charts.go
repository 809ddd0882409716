package tui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"inspector/catalog"
	"inspector/model"
	"inspector/store"
	"inspector/verdicts"
)

// bar is one line of a chart: part out of whole.
type bar struct {
	label       string
	part, whole int
	share       bool // part/whole is a share (indicators), not a pass rate
}

// roundRates is one round's pass rates.
type roundRates struct {
	name            string
	sites, accounts bar
}

// chartData is what the chart screen draws, computed from the store.
type chartData struct {
	round string
	// Indexed like tabKinds: sites, accounts.
	regions    [2][]bar
	indicators [2][]bar
	rounds     []roundRates
}

// chartsMsg carries freshly computed charts.
type chartsMsg struct {
	seq  int
	data *chartData
	err  error
}

// maxIndicators is how many of the indicators failed most are drawn.
const maxIndicators = 10

// chartView is the round's overview: pass rates by prefecture or
// department, by round, and the indicators failed most.
type chartView struct {
	*common
	keys scrollKeys
	vp   viewport.Model

	seq     int
	loading bool
	chart   *chartData
	err     error
	drawnW  int // the width the content was drawn for
	drawn   *chartData
}

func newChartView(c *common) *chartView {
	return &chartView{common: c, keys: newScrollKeys(c), vp: viewport.New()}
}

func (v *chartView) capturing() bool { return false }

// open recomputes the charts in the background.
func (v *chartView) open() tea.Cmd {
	v.seq++
	v.loading, v.err = true, nil
	db, cat, round, seq := v.db, v.cat, v.data.round.Name, v.seq
	return func() tea.Msg {
		d, err := computeCharts(db, cat, round)
		return chartsMsg{seq: seq, data: d, err: err}
	}
}

func kindIndex(kind string) int {
	if kind == model.KindAccount {
		return 1
	}
	return 0
}

// computeCharts reads every round's verdicts (the same ones the bulletin
// counts: a pass rate is passed out of the targets with a verdict).
func computeCharts(db *store.DB, cat *catalog.Catalogue, round string) (d *chartData, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("charts: %v", r)
		}
	}()
	rounds, err := db.Rounds()
	if err != nil {
		return nil, err
	}
	d = &chartData{round: round}
	seen := false
	for _, ri := range rounds {
		rows, err := verdicts.Round(db, cat, ri.Name)
		if err != nil {
			return nil, err
		}
		rr := roundRates{name: ri.Name}
		for _, r := range rows {
			b := &rr.sites
			if r.Target.Kind == model.KindAccount {
				b = &rr.accounts
			}
			tally(b, r.Verdict.Verdict)
		}
		d.rounds = append(d.rounds, rr)
		if ri.Name == round {
			seen = true
			d.regions, d.indicators = byRegion(rows), byIndicator(cat, rows)
		}
	}
	if !seen {
		rows, err := verdicts.Round(db, cat, round)
		if err != nil {
			return nil, err
		}
		d.regions, d.indicators = byRegion(rows), byIndicator(cat, rows)
	}
	return d, nil
}

// tally counts one verdict into a pass-rate bar.
func tally(b *bar, verdict string) {
	switch verdict {
	case model.VerdictPass:
		b.part++
		b.whole++
	case model.VerdictFail:
		b.whole++
	}
}

// byRegion groups the round's targets by region (the sponsor when the
// registry gave none), worst pass rate first.
func byRegion(rows []verdicts.Row) [2][]bar {
	var out [2][]bar
	for k := range out {
		idx := map[string]int{}
		for _, r := range rows {
			if kindIndex(r.Target.Kind) != k {
				continue
			}
			g := strings.TrimSpace(r.Target.Region)
			if g == "" {
				g = strings.TrimSpace(r.Target.Sponsor)
			}
			g = Sanitize(g, true)
			i, ok := idx[g]
			if !ok {
				i = len(out[k])
				idx[g] = i
				out[k] = append(out[k], bar{label: g})
			}
			tally(&out[k][i], r.Verdict.Verdict)
		}
		sort.SliceStable(out[k], func(i, j int) bool {
			a, b := out[k][i], out[k][j]
			if (a.whole == 0) != (b.whole == 0) {
				return b.whole == 0
			}
			// a.part/a.whole < b.part/b.whole, in integers.
			if x, y := a.part*b.whole, b.part*a.whole; x != y {
				return x < y
			}
			if a.whole != b.whole {
				return a.whole > b.whole
			}
			return a.label < b.label
		})
	}
	return out
}

// byIndicator counts, per indicator, the targets with a finding of it
// that is not dismissed, out of the round's targets of that kind; the
// most frequent first (vetoes first among equals).
func byIndicator(cat *catalog.Catalogue, rows []verdicts.Row) [2][]bar {
	var total [2]int
	count := map[string]int{}
	for _, r := range rows {
		total[kindIndex(r.Target.Kind)]++
		hit := map[string]bool{}
		for _, f := range r.Findings {
			if f.Status == model.StatusDismissed || hit[f.Indicator] {
				continue
			}
			if ind := cat.Indicator(f.Indicator); ind == nil || ind.Kind != r.Target.Kind {
				continue
			}
			hit[f.Indicator] = true
			count[f.Indicator]++
		}
	}
	var out [2][]bar
	codes := make([]string, 0, len(count))
	for c := range count {
		codes = append(codes, c)
	}
	veto := func(code string) bool { return cat.Indicator(code).Type == catalog.TypeVeto }
	sort.Slice(codes, func(i, j int) bool {
		a, b := codes[i], codes[j]
		if count[a] != count[b] {
			return count[a] > count[b]
		}
		if veto(a) != veto(b) {
			return veto(a)
		}
		return a < b
	})
	for _, c := range codes {
		ind := cat.Indicator(c)
		k := kindIndex(ind.Kind)
		if len(out[k]) == maxIndicators {
			continue
		}
		out[k] = append(out[k], bar{label: c, part: count[c], whole: total[k], share: true})
	}
	return out
}

func (v *chartView) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case chartsMsg:
		if msg.seq != v.seq {
			return nil
		}
		v.loading = false
		v.err = msg.err
		if msg.err == nil {
			v.chart = msg.data
		}
	case tea.KeyPressMsg:
		if v.keys.handle(msg, &v.vp) {
			v.nav.back()
		}
	}
	return nil
}

func (v *chartView) ShortHelp() []key.Binding { return v.keys.short() }

func (v *chartView) FullHelp() [][]key.Binding { return v.keys.full() }

func (v *chartView) View(w, h int) string {
	st := v.styles
	round := v.data.round.Name
	var right string
	if v.loading {
		right = v.T("chart.loading")
	}
	head := spread(st.Title.Render(" "+v.Tf("chart.title", round)), st.Dim.Render(right)+" ", w)
	v.vp.SetWidth(w)
	v.vp.SetHeight(max(1, h-1))
	switch {
	case v.err != nil:
		return head + "\n" + st.Error.Render(clip(" "+Sanitize(v.err.Error(), true), w))
	case v.chart == nil:
		return head + "\n" + st.Dim.Render(" "+v.T("chart.building"))
	}
	if v.drawn != v.chart || v.drawnW != w {
		off := v.vp.YOffset()
		v.vp.SetContentLines(v.draw(v.chart, w))
		if v.drawn != v.chart {
			off = 0
		}
		v.vp.SetYOffset(off)
		v.drawn, v.drawnW = v.chart, w
	}
	return head + "\n" + v.vp.View()
}

// section is a heading and its bars.
type section struct {
	title string
	bars  []bar
}

func (v *chartView) sections(d *chartData) []section {
	var out []section
	for k, kind := range tabKinds {
		title := "chart.region." + kind
		out = append(out, section{title: v.T(title), bars: d.regions[k]})
	}
	var rs []bar
	for _, r := range d.rounds {
		s, a := r.sites, r.accounts
		s.label = r.name + " " + v.T("chart.kind.site")
		a.label = r.name + " " + v.T("chart.kind.account")
		rs = append(rs, s, a)
	}
	out = append(out, section{title: v.T("chart.rounds"), bars: rs})
	for k, kind := range tabKinds {
		bs := make([]bar, len(d.indicators[k]))
		for i, b := range d.indicators[k] {
			b.label = v.indicatorLabel(b.label)
			bs[i] = b
		}
		title := "chart.indicators." + kind
		out = append(out, section{title: v.T(title), bars: bs})
	}
	return out
}

// indicatorLabel is an indicator's catalogue name, marked when it vetoes.
func (v *chartView) indicatorLabel(code string) string {
	name := v.indicatorName(code)
	if ind := v.cat.Indicator(code); ind != nil && ind.Type == catalog.TypeVeto {
		name = v.Tf("chart.veto", name)
	}
	return name
}

// draw lays every section out for width w: labels in one column (display
// width, so Chinese aligns), bars, the percentage and the counts n/N.
func (v *chartView) draw(d *chartData, w int) []string {
	st := v.styles
	secs := v.sections(d)
	labelW, countW := 4, 3
	for _, s := range secs {
		for _, b := range s.bars {
			labelW = max(labelW, widthOf(b.label))
			countW = max(countW, len(counts(b)))
		}
	}
	const pctW = 6 // 100.0%
	labelW = min(labelW, max(8, w/3))
	// " label bar pct count" with a cell to spare on the right.
	barW := w - (1 + labelW + 1 + 1 + pctW + 1 + countW + 1)
	if barW < 8 {
		labelW = max(4, labelW-(8-barW))
		barW = max(4, w-(1+labelW+1+1+pctW+1+countW+1))
	}
	var lines []string
	for i, s := range secs {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, st.Label.Render(clip(" "+s.title, w)))
		if len(s.bars) == 0 {
			lines = append(lines, st.Dim.Render(clip("  "+v.T("chart.none"), w)))
			continue
		}
		for _, b := range s.bars {
			lines = append(lines, " "+pad(b.label, labelW)+" "+v.drawBar(b, barW)+" "+
				padLeft(percent(b), pctW)+" "+padLeft(counts(b), countW))
		}
	}
	return lines
}

// eighths are the partial blocks, one to seven eighths of a cell.
var eighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

// drawBar draws part/whole in w cells, to an eighth of a cell; the rest
// of the track is shaded.
func (v *chartView) drawBar(b bar, w int) string {
	st := v.styles
	if b.whole <= 0 {
		return st.Dim.Render(strings.Repeat("·", w))
	}
	n := (b.part*w*8*2 + b.whole) / (2 * b.whole) // eighths, rounded
	if b.part > 0 && n == 0 {
		n = 1 // visible, however small
	}
	full, rem := n/8, n%8
	fill := strings.Repeat("█", full) + eighths[rem]
	used := full
	if rem > 0 {
		used++
	}
	style := st.Pass
	switch {
	case b.share:
		style = st.Open
	case b.part*10 < b.whole*6:
		style = st.Fail
	case b.part*10 < b.whole*9:
		style = st.Open
	}
	return style.Render(fill) + st.Dim.Render(strings.Repeat("░", w-used))
}

// percent is part/whole in per cent with one decimal, rounded half up in
// integers as the bulletin does; a dash when there is no whole.
func percent(b bar) string {
	if b.whole <= 0 {
		return "—"
	}
	t := (2000*b.part + b.whole) / (2 * b.whole)
	return fmt.Sprintf("%d.%d%%", t/10, t%10)
}

func counts(b bar) string { return fmt.Sprintf("%d/%d", b.part, b.whole) }
