package tui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"inspector/catalog"
	"inspector/model"
	"inspector/store"
	"inspector/verdicts"
)

// press sends a script of keys straight to Update (no program), and
// returns the last command.
func press(m *Model, script ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys(script...) {
		_, cmd = m.Update(k)
	}
	return cmd
}

// drain runs a command and feeds its messages back, the way the program
// would (spinner ticks dropped), up to a limit.
func drain(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0 && n < 200; n++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case spinner.TickMsg:
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

func findingOf(t *testing.T, db *store.DB, target, indicator string) model.Finding {
	t.Helper()
	fs, err := db.Findings(store.FindingFilter{Round: fxRound, Target: target, Indicator: indicator})
	if err != nil || len(fs) == 0 {
		t.Fatalf("finding %s on %s: %v (%d)", indicator, target, err, len(fs))
	}
	return fs[0]
}

// moveTo puts the target screen's cursor on the finding of indicator.
func moveTo(t *testing.T, m *Model, indicator string) {
	t.Helper()
	for i, it := range m.target.items {
		if it.f != nil && it.f.Indicator == indicator {
			m.target.cursor = i
			return
		}
	}
	t.Fatalf("no finding of %s on screen", indicator)
}

// agrees checks that the live verdict is the one the export computes.
func agrees(t *testing.T, m *Model, code string) {
	t.Helper()
	rows, err := verdicts.Round(m.db, m.cat, fxRound)
	if err != nil {
		t.Fatal(err)
	}
	var want verdicts.Row
	for _, r := range rows {
		if r.Target.Code == code {
			want = r
		}
	}
	got, _ := m.data.row(code)
	if got.Verdict.Verdict != want.Verdict.Verdict || got.Verdict.Score != want.Verdict.Score ||
		strings.Join(got.Verdict.Reasons, ",") != strings.Join(want.Verdict.Reasons, ",") || got.Reviewed != want.Reviewed {
		t.Errorf("%s: live verdict %+v reviewed=%v, export %+v reviewed=%v", code, got.Verdict, got.Reviewed, want.Verdict, want.Reviewed)
	}
}

func TestConfirmDismissAcceptAllUndo(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	press(m, "enter")
	if m.screen != screenTarget || m.target.code != "6300000001" {
		t.Fatalf("enter did not open the first target: screen %d %s", m.screen, m.target.code)
	}
	// The cursor starts on the first open finding: c confirms it.
	press(m, "c")
	if f := findingOf(t, db, "6300000001", "site.veto.home_stale"); f.Status != model.StatusConfirmed {
		t.Fatalf("after c: %s", f.Status)
	}
	agrees(t, m, "6300000001")
	ds, _ := db.Decisions("", findingOf(t, db, "6300000001", "site.veto.home_stale").UID)
	if len(ds) != 1 || ds[0].By != fxBy || !ds[0].At.After(t0) {
		t.Fatalf("decision log: %+v", ds)
	}
	// x asks for a reason; the decision carries it.
	moveTo(t, m, "site.deduct.home_links")
	press(m, "x")
	if !m.target.capturing() {
		t.Fatal("x did not ask for a reason")
	}
	press(m, "q") // typed, not quitting
	if m.quitting {
		t.Fatal("q in the reason field quit")
	}
	press(m, "esc", "x", "链接已恢复", "enter")
	ds, _ = db.Decisions("", findingOf(t, db, "6300000001", "site.deduct.home_links").UID)
	if len(ds) != 1 || ds[0].Action != model.ActionDismiss || ds[0].Note != "链接已恢复" {
		t.Fatalf("dismiss log: %+v", ds)
	}
	agrees(t, m, "6300000001")
	// space: every open finding confirmed, reviewed, next unreviewed.
	press(m, "space")
	for _, ind := range []string{"site.deduct.garbled", "site.deduct.search"} {
		if f := findingOf(t, db, "6300000001", ind); f.Status != model.StatusConfirmed {
			t.Errorf("after space %s is %s", ind, f.Status)
		}
	}
	if rv, _ := db.Reviewed(fxRound); rv["6300000001"].IsZero() {
		t.Error("space did not mark the target reviewed")
	}
	if m.target.code != "6300000002" {
		t.Errorf("space moved to %q, want the next unreviewed 6300000002", m.target.code)
	}
	agrees(t, m, "6300000001")
	// u undoes the whole accept-all group, from the next target.
	press(m, "u")
	for _, ind := range []string{"site.deduct.garbled", "site.deduct.search"} {
		if f := findingOf(t, db, "6300000001", ind); f.Status != model.StatusOpen {
			t.Errorf("after undo %s is %s", ind, f.Status)
		}
	}
	if m.target.code != "6300000001" {
		t.Errorf("undo shows %s, want the undone target", m.target.code)
	}
	press(m, "u")
	if f := findingOf(t, db, "6300000001", "site.deduct.home_links"); f.Status != model.StatusOpen {
		t.Errorf("second undo: home_links %s", f.Status)
	}
	agrees(t, m, "6300000001")
	press(m, "esc")
	if m.screen != screenRound {
		t.Fatal("esc did not go back")
	}
	press(m, "q")
	if !m.quitting {
		t.Fatal("q did not quit")
	}
}

func TestPreviousDismissalOneKey(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	press(m, "enter")
	moveTo(t, m, "site.deduct.search")
	frame := ansi.Strip(m.render())
	if !strings.Contains(frame, "2020Q2 已排除：搜索框由脚本加载") {
		t.Fatalf("last round's dismissal not shown:\n%s", frame)
	}
	press(m, "x")
	if m.target.capturing() {
		t.Fatal("x on a finding dismissed last round should decide in one keystroke")
	}
	ds, _ := db.Decisions("", findingOf(t, db, "6300000001", "site.deduct.search").UID)
	if len(ds) != 1 || ds[0].Action != model.ActionDismiss || !strings.Contains(ds[0].Note, "2020Q2") || !strings.Contains(ds[0].Note, "搜索框由脚本加载") {
		t.Fatalf("log: %+v", ds)
	}
	// It was not dismissed silently before the keystroke.
	db2 := fixture(t)
	if f := findingOf(t, db2, "6300000001", "site.deduct.search"); f.Status != model.StatusOpen {
		t.Fatalf("came back as %s", f.Status)
	}
}

func TestConflictMarked(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	m.list.focus("6300000004")
	press(m, "enter")
	moveTo(t, m, "site.deduct.error_entry")
	frame := ansi.Strip(m.render())
	if !strings.Contains(frame, "⚠复核") || !strings.Contains(frame, "决定不一致") {
		t.Fatalf("conflict not marked:\n%s", frame)
	}
}

func TestAddFindingAndNote(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	m.list.focus("6300000002")
	press(m, "enter", "a", "栏目更新")
	if c := m.target.picker.chosen(); c == nil || c.Code != "site.deduct.column_stale" {
		t.Fatalf("type-to-filter chose %+v", c)
	}
	press(m, "enter", "通知公告栏目 8 个月未更新", "enter")
	f := findingOf(t, db, "6300000002", "site.deduct.column_stale")
	if f.Source != model.SourceInspector || f.Status != model.StatusConfirmed || f.Detail != "通知公告栏目 8 个月未更新" {
		t.Fatalf("added: %+v", f)
	}
	agrees(t, m, "6300000002")
	press(m, "n", "电话核实：栏目已停用", "enter")
	ns, _ := db.Notes(fxRound, "6300000002")
	if len(ns) != 1 || ns[0].Text != "电话核实：栏目已停用" || ns[0].By != fxBy {
		t.Fatalf("notes: %+v", ns)
	}
	// An empty reason is refused, not written.
	moveTo(t, m, "site.deduct.column_stale")
	press(m, "x", "enter")
	if !m.target.capturing() || !m.flashErr {
		t.Fatal("empty reason accepted")
	}
}

func TestAccountToggles(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	m.list.focus("WX0001")
	press(m, "enter")
	inds := m.cat.ForKind(model.KindAccount)
	press(m, "3")
	if !m.target.capturing() {
		t.Fatal("3 did not ask for evidence")
	}
	press(m, "/tmp/shots/wx-menu.png", "enter")
	f := findingOf(t, db, "WX0001", inds[2].Code)
	if f.Status != model.StatusConfirmed || len(f.Evidence) != 1 || f.Evidence[0].Screenshot != "/tmp/shots/wx-menu.png" {
		t.Fatalf("toggle on: %+v", f)
	}
	agrees(t, m, "WX0001")
	press(m, "3")
	if f := findingOf(t, db, "WX0001", inds[2].Code); f.Status != model.StatusDismissed {
		t.Fatalf("toggle off: %s", f.Status)
	}
	press(m, "3")
	if f := findingOf(t, db, "WX0001", inds[2].Code); f.Status != model.StatusConfirmed {
		t.Fatalf("toggle on again: %s", f.Status)
	}
	agrees(t, m, "WX0001")
}

func TestListFilterSortMineNext(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	press(m, "/", "同仁", "enter")
	if n := len(m.list.visible[0]); n != 1 {
		t.Fatalf("filter 同仁: %d rows", n)
	}
	press(m, "esc")
	if n := len(m.list.visible[0]); n != 4 {
		t.Fatalf("esc did not clear the filter: %d rows", n)
	}
	press(m, "m")
	if n := len(m.list.visible[0]) + len(m.list.visible[1]); n != 3 {
		t.Fatalf("mine: %d rows, want 3", n)
	}
	press(m, "m", "s")
	if m.list.sortBy != sortState {
		t.Fatal("s did not sort by state")
	}
	first := m.data.rows[m.list.visible[0][0]]
	if first.Reviewed {
		t.Fatal("sort by state should put unreviewed first")
	}
	press(m, "s", "g", "n")
	if code := m.list.current(0); code != "6300000002" {
		t.Fatalf("n went to %s", code)
	}
	press(m, "tab")
	if m.list.tab != 1 {
		t.Fatal("tab did not switch")
	}
}

func TestScreenshotOpensOffline(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	var opened string
	old := openFile
	openFile = func(p string) error { opened = p; return nil }
	defer func() { openFile = old }()
	press(m, "enter")
	moveTo(t, m, "site.veto.home_stale")
	drain(t, m, press(m, "o"))
	if opened == "" {
		t.Fatal("nothing opened")
	}
	b, err := os.ReadFile(opened)
	if err != nil || !strings.HasPrefix(string(b), "\xff\xd8") {
		t.Fatalf("opened %s: %v", opened, err)
	}
	os.Remove(opened)
}

func TestReprobeInBackground(t *testing.T) {
	db := fixture(t)
	release := make(chan struct{})
	var got []string
	probe := func(ctx context.Context, targets []string, report func(Progress)) error {
		got = targets
		report(Progress{Done: 0, Total: len(targets), Current: targets[0]})
		<-release
		data, _ := json.Marshal(map[string]any{"pages": []any{}})
		if _, err := db.SaveObservation(store.Observation{Round: fxRound, Target: targets[0], Kind: store.ObsCapture, At: t0, Data: data}, nil); err != nil {
			return err
		}
		err := db.ReplaceMachineFindings(fxRound, targets[0], []model.Finding{{Indicator: "site.deduct.search", Subject: "http://www.tongren.gov.cn/", Detail: "首页无站内搜索", Confidence: model.ConfCertain}}, t0)
		report(Progress{Done: 1, Total: len(targets), Current: targets[0]})
		return err
	}
	m, err := newModel(Options{DB: db, Cat: catalog.MustLoad(), By: fxBy, Probe: probe})
	if err != nil {
		t.Fatal(err)
	}
	m.list.focus("6300000002")
	press(m, "enter")
	cmd := press(m, "p")
	if !m.probing {
		t.Fatal("p did not start a probe")
	}
	done := make(chan struct{})
	go func() { drain(t, m, cmd); close(done) }()
	// The interface stays usable while the probe runs (no data race:
	// the drain goroutine only runs once the probe is released).
	close(release)
	<-done
	if m.probing {
		t.Fatal("probe still running after done")
	}
	if len(got) != 1 || got[0] != "6300000002" {
		t.Fatalf("probed %v", got)
	}
	if f := findingOf(t, db, "6300000002", "site.deduct.search"); f.Status != model.StatusOpen {
		t.Fatal(f.Status)
	}
	found := false
	for _, it := range m.target.items {
		if it.f != nil && it.f.Indicator == "site.deduct.search" {
			found = true
		}
	}
	if !found {
		t.Fatal("findings did not refresh after the probe")
	}
	agrees(t, m, "6300000002")
}

func TestNoProbeSaysSo(t *testing.T) {
	m := newTestModel(t, fixture(t), "zh")
	press(m, "enter", "p")
	if !m.flashErr || m.probing {
		t.Fatal("p without a probe should say it is not available")
	}
}

func TestResizeFits(t *testing.T) {
	m := newTestModel(t, fixture(t), "zh")
	for _, script := range [][]string{nil, {"enter"}, {"enter", "a"}, {"enter", "t"}, {"tab", "enter"}} {
		m = newTestModel(t, fixture(t), "zh")
		press(m, script...)
		for _, sz := range [][2]int{{80, 24}, {120, 40}, {60, 15}, {200, 50}, {81, 25}} {
			m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			checkFrame(t, ansi.Strip(m.render()), sz[0], sz[1])
		}
	}
}

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"plain 文本":                      "plain 文本",
		"\x1b[31m红色\x1b[0m":             "红色",
		"title\x1b]0;evil\x07 after":    "title after",
		"bell\x07 and \x00nul":          "bell and nul",
		"a\r\nb\tc":                     "a b c",
		"bidi \u202eevil\u202c":         "bidi evil",
		"c1 \u009b31m":                  "c1 31m",
		"锟斤拷 \ufffd":                    "锟斤拷 \ufffd",
		"  many    spaces  ":            "many spaces",
		"\x1bP+q544e\x1b\\ dcs removed": "dcs removed",
	}
	for in, want := range cases {
		if got := Sanitize(in, true); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Sanitize("line1\r\nline2\x1b[2J", false); got != "line1\nline2" {
		t.Errorf("multi-line: %q", got)
	}
}

func TestTruncateByDisplayWidth(t *testing.T) {
	if got := clip("海北藏族自治州财政局", 9); ansi.StringWidth(got) > 9 || !strings.HasSuffix(got, "…") {
		t.Errorf("clip: %q (%d cells)", got, ansi.StringWidth(got))
	}
	if got := pad("青海", 6); got != "青海  " {
		t.Errorf("pad: %q", got)
	}
}

// TestMessagesComplete checks both catalogues have the same keys, every
// key the code names exists, and a missing one shows visibly.
func TestMessagesComplete(t *testing.T) {
	zh, err := loadCatalogue("zh")
	if err != nil {
		t.Fatal(err)
	}
	en, err := loadCatalogue("en")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range zh {
		if en[k] == "" {
			t.Errorf("en.json lacks %s", k)
		}
		if v == "" {
			t.Errorf("zh.json has an empty %s", k)
		}
	}
	for k := range en {
		if zh[k] == "" {
			t.Errorf("zh.json lacks %s", k)
		}
	}
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`\b(?:T|Tf|binding)\((?:[^()"]*?, )?"([a-z_]+\.[a-z_.0-9]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, mm := range re.FindAllStringSubmatch(string(b), -1) {
			if zh[mm[1]] == "" {
				t.Errorf("%s names %s, missing from zh.json", f, mm[1])
			}
		}
	}
	for _, prefix := range []string{"verdict.", "machine.", "state.", "status.", "type.", "tab.", "sort."} {
		n := 0
		for k := range zh {
			if strings.HasPrefix(k, prefix) {
				n++
			}
		}
		if n == 0 {
			t.Errorf("no %s* messages", prefix)
		}
	}
	ms, _ := newMessages("zh")
	if got := ms.T("no.such.key"); got != "⟨no.such.key⟩" {
		t.Errorf("missing key shows %q", got)
	}
	ms.own = map[string]string{}
	if got := ms.T("key.quit"); got != "quit" {
		t.Errorf("fallback to English: %q", got)
	}
}

// TestKeysWhileLoadingAreKept: Run shows a frame before the round is
// read; keys pressed meanwhile are replayed in order once it is.
func TestKeysWhileLoadingAreKept(t *testing.T) {
	db := fixture(t)
	m, err := newShell(Options{DB: db, Cat: catalog.MustLoad(), By: fxBy})
	if err != nil {
		t.Fatal(err)
	}
	if frame := ansi.Strip(m.render()); !strings.Contains(frame, "正在读取") {
		t.Fatalf("loading frame: %q", frame)
	}
	press(m, "enter", "c")
	m.Update(m.loadCmd()())
	if m.screen != screenTarget {
		t.Fatal("enter pressed while loading was lost")
	}
	if f := findingOf(t, db, "6300000001", "site.veto.home_stale"); f.Status != model.StatusConfirmed {
		t.Fatalf("c pressed while loading: %s", f.Status)
	}
}
