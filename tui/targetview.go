package tui

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"inspector/catalog"
	"inspector/model"
	"inspector/store"
	"inspector/verdicts"
)

type targetKeys struct {
	Up, Down, PageUp, PageDown  key.Binding
	Confirm, Dismiss, Add, Note key.Binding
	AcceptAll, Undo, Probe      key.Binding
	Screenshot, Text, Back      key.Binding
	Toggle                      key.Binding
	Submit, Cancel              key.Binding
}

func newTargetKeys(c *common) targetKeys {
	return targetKeys{
		Up:         c.binding([]string{"up", "k"}, "↑/k", "key.up"),
		Down:       c.binding([]string{"down", "j"}, "↓/j", "key.down"),
		PageUp:     c.binding([]string{"pgup", "ctrl+b"}, "pgup", "key.pageup"),
		PageDown:   c.binding([]string{"pgdown", "ctrl+f"}, "pgdn", "key.pagedown"),
		Confirm:    c.binding([]string{"c"}, "c", "key.confirm"),
		Dismiss:    c.binding([]string{"x"}, "x", "key.dismiss"),
		Add:        c.binding([]string{"a"}, "a", "key.add"),
		Note:       c.binding([]string{"n"}, "n", "key.note"),
		AcceptAll:  c.binding([]string{"space", " "}, "space", "key.accept_all"),
		Undo:       c.binding([]string{"u"}, "u", "key.undo"),
		Probe:      c.binding([]string{"p"}, "p", "key.probe"),
		Screenshot: c.binding([]string{"o"}, "o", "key.screenshot"),
		Text:       c.binding([]string{"enter", "t"}, "enter/t", "key.text"),
		Back:       c.binding([]string{"esc"}, "esc", "key.back"),
		Toggle:     c.binding([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9"}, "1…9", "key.toggle"),
		Submit:     c.binding([]string{"enter"}, "enter", "key.submit"),
		Cancel:     c.binding([]string{"esc"}, "esc", "key.cancel"),
	}
}

// Modes of the target screen.
const (
	modeNormal  = iota
	modeDismiss // typing the reason of a dismissal
	modeNote    // typing a note on the target
	modePick    // choosing the indicator of a new finding
	modeDetail  // typing the new finding's detail
	modeToggle  // typing the evidence of an account indicator
)

// item is one line of the checklist: an indicator, or one of its findings.
type item struct {
	ind *catalog.Indicator
	num int            // 1-based position among the kind's indicators
	f   *model.Finding // nil on the indicator's own line
}

// targetView is one target: registry facts, the checklist of its kind's
// indicators with the machine's result and the inspector's decision, the
// findings with their evidence, and the actions.
type targetView struct {
	*common
	keys targetKeys

	code   string
	items  []item
	cursor int
	offset int
	notes  []store.Note

	mode   int
	input  lineInput
	picker picker
	// what the open prompt acts on
	pendingUIDs []string
	pendingInd  *catalog.Indicator
}

func newTargetView(c *common) *targetView {
	return &targetView{common: c, keys: newTargetKeys(c)}
}

func (v *targetView) capturing() bool { return v.mode != modeNormal }

func (v *targetView) row() verdicts.Row {
	r, _ := v.data.row(v.code)
	return r
}

func (v *targetView) open(code string) {
	v.code, v.cursor, v.offset, v.mode = code, 0, 0, modeNormal
	v.rebuild()
	// Start on the first finding that needs a decision, else the first
	// finding.
	first := -1
	for i, it := range v.items {
		if it.f == nil {
			continue
		}
		if first < 0 {
			first = i
		}
		if it.f.Status == model.StatusOpen {
			first = i
			break
		}
	}
	v.cursor = max(0, first)
}

// rebuild lays the checklist out again from the data, keeping the cursor
// on the same line.
func (v *targetView) rebuild() {
	if v.code == "" {
		return
	}
	var keepUID, keepInd string
	if v.cursor < len(v.items) {
		it := v.items[v.cursor]
		if it.f != nil {
			keepUID = it.f.UID
		} else if it.ind != nil {
			keepInd = it.ind.Code
		}
	}
	r := v.row()
	byInd := map[string][]int{}
	for i, f := range r.Findings {
		byInd[f.Indicator] = append(byInd[f.Indicator], i)
	}
	v.items = v.items[:0]
	inds := v.cat.ForKind(r.Target.Kind)
	known := map[string]bool{}
	for i := range inds {
		ind := &inds[i]
		known[ind.Code] = true
		v.items = append(v.items, item{ind: ind, num: i + 1})
		for _, fi := range byInd[ind.Code] {
			v.items = append(v.items, item{ind: ind, num: i + 1, f: &r.Findings[fi]})
		}
	}
	for i := range r.Findings {
		if !known[r.Findings[i].Indicator] {
			v.items = append(v.items, item{f: &r.Findings[i]})
		}
	}
	v.cursor = min(v.cursor, max(0, len(v.items)-1))
	for i, it := range v.items {
		if (keepUID != "" && it.f != nil && it.f.UID == keepUID) || (keepInd != "" && it.f == nil && it.ind != nil && it.ind.Code == keepInd) {
			v.cursor = i
		}
	}
	v.notes, _ = v.db.Notes(v.data.round.Name, v.code)
}

func (v *targetView) selected() (item, bool) {
	if v.cursor < len(v.items) {
		return v.items[v.cursor], true
	}
	return item{}, false
}

// selection is the findings the cursor stands for: the finding, or on an
// indicator line every finding of that indicator with status in want.
func (v *targetView) selection(want ...string) []model.Finding {
	it, ok := v.selected()
	if !ok {
		return nil
	}
	ok2 := func(f model.Finding) bool {
		for _, s := range want {
			if f.Status == s {
				return true
			}
		}
		return len(want) == 0
	}
	if it.f != nil {
		if ok2(*it.f) {
			return []model.Finding{*it.f}
		}
		return nil
	}
	var out []model.Finding
	for _, f := range v.row().Findings {
		if it.ind != nil && f.Indicator == it.ind.Code && ok2(f) {
			out = append(out, f)
		}
	}
	return out
}

// decide writes one decision per finding, at once, and refreshes the
// target's verdict.
func (v *targetView) decide(fs []model.Finding, action, note string) error {
	if len(fs) == 0 {
		return nil
	}
	at := now()
	ds := make([]model.Decision, len(fs))
	uids := make([]string, len(fs))
	for i, f := range fs {
		ds[i] = model.Decision{FindingUID: f.UID, Action: action, Note: note, By: v.by, At: at}
		uids[i] = f.UID
	}
	if _, err := v.db.Decide(ds...); err != nil {
		return err
	}
	v.undo = append(v.undo, undoGroup{target: v.code, findings: uids})
	return v.refresh()
}

func (v *targetView) refresh() error {
	err := v.data.refresh(v.code)
	v.rebuild()
	return err
}

func (v *targetView) Update(msg tea.Msg) tea.Cmd {
	if v.mode != modeNormal {
		return v.updatePrompt(msg)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	page := max(1, v.listHeight(v.height-3))
	switch {
	case key.Matches(k, v.keys.Up):
		v.cursor = max(0, v.cursor-1)
	case key.Matches(k, v.keys.Down):
		v.cursor = min(len(v.items)-1, v.cursor+1)
	case key.Matches(k, v.keys.PageUp):
		v.cursor = max(0, v.cursor-page)
	case key.Matches(k, v.keys.PageDown):
		v.cursor = min(len(v.items)-1, v.cursor+page)
	case key.Matches(k, v.keys.Back):
		v.nav.back()
	case key.Matches(k, v.keys.Confirm):
		fs := v.selection(model.StatusOpen, model.StatusDismissed)
		if len(fs) == 0 {
			v.say(v.T("flash.nothing_to_confirm"))
			return nil
		}
		if err := v.decide(fs, model.ActionConfirm, ""); err != nil {
			v.fail(err)
			return nil
		}
		v.say(v.Tf("flash.confirmed", len(fs), v.indicatorName(fs[0].Indicator)))
	case key.Matches(k, v.keys.Dismiss):
		fs := v.selection(model.StatusOpen, model.StatusConfirmed)
		if len(fs) == 0 {
			v.say(v.T("flash.nothing_to_dismiss"))
			return nil
		}
		// A finding dismissed last round comes back: one keystroke
		// dismisses it again, with last round's reason on record.
		if len(fs) == 1 {
			if pd, ok := v.data.previously(fs[0]); ok && fs[0].Status == model.StatusOpen {
				note := v.Tf("note.again", pd.Round, pd.Note)
				if err := v.decide(fs, model.ActionDismiss, note); err != nil {
					v.fail(err)
					return nil
				}
				v.say(v.Tf("flash.dismissed", len(fs), note))
				return nil
			}
		}
		v.pendingUIDs = uidsOf(fs)
		v.startInput(modeDismiss, v.T("prompt.reason"))
	case key.Matches(k, v.keys.Add):
		kind := v.row().Target.Kind
		v.picker = newPicker(v.common, v.cat.ForKind(kind))
		if it, ok := v.selected(); ok && it.ind != nil {
			v.picker.focus(it.ind.Code)
		}
		v.mode = modePick
	case key.Matches(k, v.keys.Note):
		v.startInput(modeNote, v.T("prompt.note"))
	case key.Matches(k, v.keys.AcceptAll):
		v.acceptAll()
	case key.Matches(k, v.keys.Undo):
		v.undoLast()
	case key.Matches(k, v.keys.Probe):
		v.say(v.Tf("flash.probing", v.code))
		return v.nav.probe([]string{v.code})
	case key.Matches(k, v.keys.Screenshot):
		return v.openShot()
	case key.Matches(k, v.keys.Text):
		v.nav.openText(v.code)
	case key.Matches(k, v.keys.Toggle) && v.row().Target.Kind == model.KindAccount:
		v.toggle(int(k.Code - '0'))
	}
	return nil
}

func uidsOf(fs []model.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.UID
	}
	return out
}

func (v *targetView) startInput(mode int, prompt string) {
	v.mode = mode
	v.input = newLineInput(prompt)
}

func (v *targetView) updatePrompt(msg tea.Msg) tea.Cmd {
	if v.mode == modePick {
		k, ok := msg.(tea.KeyPressMsg)
		if ok && key.Matches(k, v.keys.Cancel) {
			v.mode = modeNormal
			return nil
		}
		if ok && key.Matches(k, v.keys.Submit) {
			if ind := v.picker.chosen(); ind != nil {
				v.pendingInd = ind
				v.startInput(modeDetail, v.Tf("prompt.detail", ind.Name))
			}
			return nil
		}
		v.picker.Update(msg)
		return nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if ok && key.Matches(k, v.keys.Cancel) {
		v.mode = modeNormal
		v.say(v.T("flash.cancelled"))
		return nil
	}
	if !ok || !key.Matches(k, v.keys.Submit) {
		v.input.Update(msg)
		return nil
	}
	text := v.input.Value()
	if text == "" {
		v.fail(errors.New(v.T("flash.need_text")))
		return nil
	}
	mode := v.mode
	v.mode = modeNormal
	switch mode {
	case modeDismiss:
		var fs []model.Finding
		want := map[string]bool{}
		for _, u := range v.pendingUIDs {
			want[u] = true
		}
		for _, f := range v.row().Findings {
			if want[f.UID] {
				fs = append(fs, f)
			}
		}
		if err := v.decide(fs, model.ActionDismiss, text); err != nil {
			v.fail(err)
			return nil
		}
		v.say(v.Tf("flash.dismissed", len(fs), text))
	case modeNote:
		if err := v.db.AddNote(v.data.round.Name, v.code, text, v.by, now()); err != nil {
			v.fail(err)
			return nil
		}
		v.rebuild()
		v.say(v.T("flash.noted"))
	case modeDetail, modeToggle:
		if err := v.addFinding(v.pendingInd, text); err != nil {
			v.fail(err)
			return nil
		}
		v.say(v.Tf("flash.added", v.pendingInd.Name))
	}
	return nil
}

// addFinding records the inspector's own finding and confirms it.
func (v *targetView) addFinding(ind *catalog.Indicator, text string) error {
	t := v.row().Target
	f := model.Finding{Round: v.data.round.Name, Target: t.Code, Kind: t.Kind, Indicator: ind.Code, Subject: text, Detail: text}
	ev := model.Evidence{At: now()}
	switch {
	case strings.Contains(text, "://"):
		ev.URL = text
		f.Evidence = []model.Evidence{ev}
	case looksLikeFile(text):
		ev.Screenshot = text
		f.Evidence = []model.Evidence{ev}
	}
	f, err := v.db.AddFinding(f, now())
	if err != nil {
		return err
	}
	if _, err := v.db.Decide(model.Decision{FindingUID: f.UID, Action: model.ActionConfirm, Note: "added by inspector", By: v.by, At: now()}); err != nil {
		return err
	}
	v.undo = append(v.undo, undoGroup{target: v.code, findings: []string{f.UID}})
	err = v.refresh()
	for i, it := range v.items {
		if it.f != nil && it.f.UID == f.UID {
			v.cursor = i
		}
	}
	return err
}

func looksLikeFile(s string) bool {
	if strings.ContainsAny(s, " \t") {
		return false
	}
	if _, err := os.Stat(s); err == nil {
		return true
	}
	l := strings.ToLower(s)
	for _, ext := range []string{".png", ".jpg", ".jpeg", ".webp", ".gif", ".pdf"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// acceptAll confirms every open finding, marks the target reviewed and
// moves to the next unreviewed target, in one keystroke.
func (v *targetView) acceptAll() {
	var open []model.Finding
	for _, f := range v.row().Findings {
		if f.Status == model.StatusOpen {
			open = append(open, f)
		}
	}
	if err := v.decide(open, model.ActionConfirm, "accept all"); err != nil {
		v.fail(err)
		return
	}
	if err := v.db.MarkReviewed(v.data.round.Name, v.code, v.by, now()); err != nil {
		v.fail(err)
		return
	}
	if err := v.refresh(); err != nil {
		v.fail(err)
		return
	}
	done := v.code
	r := v.row()
	msg := v.Tf("flash.reviewed", Sanitize(r.Target.Name, true), v.verdictLabel(r.Verdict.Verdict))
	if len(open) > 0 {
		msg = v.Tf("flash.accepted", len(open), msg)
	}
	if next, ok := v.nav.nextUnreviewed(done); ok {
		v.nav.openTarget(next)
	} else {
		v.nav.back()
		msg += " · " + v.T("flash.all_reviewed")
	}
	v.say(msg)
}

// undoLast reverses the latest group of decisions made in this session.
func (v *targetView) undoLast() {
	if len(v.undo) == 0 {
		v.say(v.T("flash.nothing_to_undo"))
		return
	}
	g := v.undo[len(v.undo)-1]
	v.undo = v.undo[:len(v.undo)-1]
	at := now()
	for _, uid := range g.findings {
		if _, err := v.db.Undo(uid, v.by, at); err != nil {
			v.fail(err)
			return
		}
	}
	if err := v.data.refresh(g.target); err != nil {
		v.fail(err)
		return
	}
	if g.target != v.code {
		v.nav.openTarget(g.target)
	} else {
		v.rebuild()
	}
	v.say(v.Tf("flash.undone", len(g.findings)))
}

// toggle answers account indicator n: off when it has findings that
// count, back on when they were dismissed, else a new finding (asking for
// the evidence).
func (v *targetView) toggle(n int) {
	inds := v.cat.ForKind(model.KindAccount)
	if n < 1 || n > len(inds) {
		return
	}
	ind := &inds[n-1]
	var live, dismissed []model.Finding
	for _, f := range v.row().Findings {
		if f.Indicator != ind.Code {
			continue
		}
		if f.Status == model.StatusDismissed {
			dismissed = append(dismissed, f)
		} else {
			live = append(live, f)
		}
	}
	for i, it := range v.items {
		if it.f == nil && it.ind != nil && it.ind.Code == ind.Code {
			v.cursor = i
		}
	}
	switch {
	case len(live) > 0:
		if err := v.decide(live, model.ActionDismiss, v.T("note.toggled_off")); err != nil {
			v.fail(err)
			return
		}
		v.say(v.Tf("flash.toggled_off", ind.Name))
	case len(dismissed) > 0:
		if err := v.decide(dismissed, model.ActionConfirm, v.T("note.toggled_on")); err != nil {
			v.fail(err)
			return
		}
		v.say(v.Tf("flash.toggled_on", ind.Name))
	default:
		v.pendingInd = ind
		v.startInput(modeToggle, v.Tf("prompt.evidence", ind.Name))
	}
}

// openShot hands the selected finding's screenshot (else the home page's)
// to the system viewer, in the background.
func (v *targetView) openShot() tea.Cmd {
	ref := ""
	if it, ok := v.selected(); ok && it.f != nil {
		for _, ev := range it.f.Evidence {
			if ev.Screenshot != "" {
				ref = ev.Screenshot
				break
			}
		}
	}
	db, round, code := v.db, v.data.round.Name, v.code
	if ref == "" {
		pages, _, _ := pagesOf(db, round, code)
		for _, p := range pages {
			if p.Shot != "" {
				ref = p.Shot
				break
			}
		}
	}
	if ref == "" {
		v.say(v.T("flash.no_screenshot"))
		return nil
	}
	v.say(v.T("flash.opening"))
	return func() tea.Msg {
		p, err := openScreenshot(db, ref)
		return openedMsg{path: p, err: err}
	}
}

func (v *targetView) ShortHelp() []key.Binding {
	switch v.mode {
	case modePick:
		return []key.Binding{v.keys.Submit, v.keys.Cancel}
	case modeNormal:
	default:
		return []key.Binding{v.keys.Submit, v.keys.Cancel}
	}
	b := []key.Binding{v.keys.Confirm, v.keys.Dismiss, v.keys.AcceptAll, v.keys.Add, v.keys.Note, v.keys.Undo}
	if v.row().Target.Kind == model.KindAccount {
		b = append(b, v.keys.Toggle)
	}
	return append(b, v.keys.Probe, v.keys.Screenshot, v.keys.Text, v.keys.Back)
}

func (v *targetView) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{v.keys.Up, v.keys.Down, v.keys.PageUp, v.keys.PageDown, v.keys.Text, v.keys.Back},
		{v.keys.Confirm, v.keys.Dismiss, v.keys.Add, v.keys.Note, v.keys.AcceptAll, v.keys.Undo},
		{v.keys.Toggle, v.keys.Probe, v.keys.Screenshot},
	}
}

// Layout: 3 lines of facts and a rule, the checklist, a rule and 4
// lines about the selected line (the last one the prompt when asking).
const (
	targetTop    = 4
	targetDetail = 5
)

func (v *targetView) listHeight(h int) int { return max(3, h-targetTop-targetDetail) }

func (v *targetView) View(w, h int) string {
	if v.mode == modePick {
		return v.picker.View(w, h)
	}
	st := v.styles
	r := v.row()
	t := r.Target
	var b strings.Builder
	// Facts.
	title := st.Title.Render(clip(Sanitize(t.Name, true), w/2)) + "  " + st.Dim.Render(t.Code)
	b.WriteString(spread(" "+title, v.verdictBadge(r.Verdict)+" ", w))
	b.WriteByte('\n')
	url := t.URL
	if url == "" {
		url = "—"
	}
	b.WriteString(clip(" "+st.Label.Render(v.T("fact.url"))+" "+Sanitize(url, true)+"   "+
		st.Label.Render(v.T("fact.sponsor"))+" "+Sanitize(t.Sponsor, true), w))
	b.WriteByte('\n')
	probed := v.T("fact.never")
	if !r.Probed.IsZero() {
		probed = r.Probed.In(zone).Format("2006-01-02 15:04")
	}
	who := r.Inspector
	if who == "" {
		who = "—"
	}
	facts := []string{st.Label.Render(v.T("fact.status")) + " " + Sanitize(t.Status, true)}
	if t.Kind == model.KindAccount && t.Platform != "" {
		facts = append(facts, st.Label.Render(v.T("fact.platform"))+" "+Sanitize(t.Platform, true))
	}
	facts = append(facts,
		st.Label.Render(v.T("fact.probed"))+" "+probed,
		st.Label.Render(v.T("fact.assignee"))+" "+Sanitize(who, true),
		st.Label.Render(v.T("fact.review"))+" "+v.T("state."+v.data.state(r)))
	if len(v.notes) > 0 {
		facts = append(facts, st.Label.Render(v.T("fact.notes"))+fmt.Sprintf(" %d", len(v.notes)))
	}
	b.WriteString(clip(" "+strings.Join(facts, "   "), w))
	b.WriteByte('\n')
	b.WriteString(st.Rule.Render(strings.Repeat("─", w)))
	b.WriteByte('\n')
	// Checklist.
	lh := v.listHeight(h)
	if v.cursor < v.offset {
		v.offset = v.cursor
	}
	if v.cursor >= v.offset+lh {
		v.offset = v.cursor - lh + 1
	}
	v.offset = max(0, min(v.offset, len(v.items)-lh))
	for i := 0; i < lh; i++ {
		j := v.offset + i
		if j < len(v.items) {
			b.WriteString(v.renderItem(v.items[j], w, j == v.cursor))
		}
		b.WriteByte('\n')
	}
	b.WriteString(st.Rule.Render(strings.Repeat("─", w)))
	b.WriteByte('\n')
	// About the selection, or the prompt.
	lines := v.detailLines(w)
	if v.mode != modeNormal {
		lines = append(lines[:min(len(lines), targetDetail-2)], " "+v.input.View(w-2, st.Prompt))
	}
	for len(lines) < targetDetail-1 {
		lines = append(lines, "")
	}
	b.WriteString(strings.Join(lines[:targetDetail-1], "\n"))
	return b.String()
}

// verdictBadge is the live verdict, as the export will have it.
func (v *targetView) verdictBadge(vd model.Verdict) string {
	st := v.styles
	switch vd.Verdict {
	case model.VerdictPass:
		return st.Pass.Render(v.Tf("badge.pass", vd.Score))
	case model.VerdictFail:
		var names []string
		for _, c := range vd.Reasons {
			names = append(names, v.indicatorName(c))
		}
		reason := clip(strings.Join(names, "、"), 24)
		if vd.Score == 0 && len(vd.Reasons) > 0 && v.cat.Indicator(vd.Reasons[0]) != nil && v.cat.Indicator(vd.Reasons[0]).Type == catalog.TypeVeto {
			return st.Fail.Render(v.Tf("badge.veto", reason))
		}
		return st.Fail.Render(v.Tf("badge.fail", vd.Score))
	}
	return st.Pending.Render(v.T("badge.pending"))
}

func (v *targetView) statusLabel(f model.Finding) string {
	return v.T("status." + f.Status)
}

func (v *targetView) renderItem(it item, w int, selected bool) string {
	st := v.styles
	mark := "  "
	if selected {
		mark = "▸ "
	}
	var line string
	if it.f == nil {
		glyph, gStyle := v.glyph(it.ind)
		num := ""
		if v.row().Target.Kind == model.KindAccount {
			num = fmt.Sprintf("%d ", it.num)
		}
		typ := typeLabel(v.common, it.ind)
		name := num + it.ind.Name
		nameW := min(30, max(12, w/3))
		line = mark + gStyle.Render(glyph) + " " + pad(name, nameW) + " " + st.Dim.Render(pad(typ, 8)) + " " + v.summary(it.ind)
	} else {
		f := *it.f
		sStyle := st.Open
		switch f.Status {
		case model.StatusConfirmed:
			sStyle = st.Fail
		case model.StatusDismissed:
			sStyle = st.Dim
		}
		tag := sStyle.Render("[" + v.statusLabel(f) + "]")
		text := Sanitize(f.Subject, true)
		if f.Detail != "" && f.Detail != f.Subject {
			text += " — " + Sanitize(f.Detail, true)
		}
		var extra []string
		if f.Source == model.SourceProbe && f.Confidence != "" {
			extra = append(extra, f.Confidence)
		}
		if f.Source == model.SourceInspector {
			extra = append(extra, v.T("source.inspector"))
		}
		if f.Count > 1 {
			extra = append(extra, fmt.Sprintf("×%d", f.Count))
		}
		suffix := ""
		if len(extra) > 0 {
			suffix = " " + st.Dim.Render(strings.Join(extra, " "))
		}
		if v.data.conflicts[f.UID] {
			suffix += " " + st.Warn.Render(v.T("mark.conflict"))
		}
		if pd, ok := v.data.previously(f); ok && f.Status == model.StatusOpen {
			suffix += " " + st.Warn.Render(v.Tf("mark.prev", pd.Round))
		}
		prefix := mark + "   └ " + tag + " "
		room := w - widthOf(prefix) - widthOf(suffix)
		line = prefix + clip(text, max(8, room)) + suffix
	}
	line = clip(line, w)
	if selected {
		return st.Selected.Render(pad(line, w))
	}
	return line
}

// glyph is the checklist mark of an indicator on this target.
func (v *targetView) glyph(ind *catalog.Indicator) (string, lipgloss.Style) {
	st := v.styles
	r := v.row()
	var open, confirmed, dismissed int
	for _, f := range r.Findings {
		if f.Indicator != ind.Code {
			continue
		}
		switch f.Status {
		case model.StatusOpen:
			open++
		case model.StatusConfirmed:
			confirmed++
		default:
			dismissed++
		}
	}
	switch {
	case confirmed > 0:
		return "✗", st.Fail
	case open > 0:
		return "?", st.Open
	case dismissed > 0:
		return "–", st.Dim
	case !r.Probed.IsZero() && ind.Machine:
		return "✓", st.Pass
	}
	return "·", st.Dim
}

// summary is the machine's result and the decisions on an indicator.
func (v *targetView) summary(ind *catalog.Indicator) string {
	st := v.styles
	r := v.row()
	var machine, own int
	counts := map[string]int{}
	for _, f := range r.Findings {
		if f.Indicator != ind.Code {
			continue
		}
		if f.Source == model.SourceProbe {
			machine++
		} else {
			own++
		}
		counts[f.Status]++
	}
	var parts []string
	switch {
	case machine > 0:
		parts = append(parts, v.Tf("sum.machine", machine))
	case !ind.Machine:
		parts = append(parts, v.T("sum.manual"))
	case r.Probed.IsZero():
		parts = append(parts, v.T("sum.not_probed"))
	default:
		parts = append(parts, v.T("sum.clean"))
	}
	if own > 0 {
		parts = append(parts, v.Tf("sum.own", own))
	}
	for _, s := range []string{model.StatusOpen, model.StatusConfirmed, model.StatusDismissed} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", v.T("status."+s), counts[s]))
		}
	}
	return st.Dim.Render(strings.Join(parts, " · "))
}

// detailLines tell about the selected line: a finding's evidence and
// decision, or an indicator's rule.
func (v *targetView) detailLines(w int) []string {
	st := v.styles
	it, ok := v.selected()
	if !ok {
		return nil
	}
	if it.f == nil {
		if it.ind == nil {
			return nil
		}
		lines := []string{" " + st.Title.Render(it.ind.Name) + " " + st.Dim.Render(it.ind.Code)}
		lines = append(lines, wrapCells(" "+Sanitize(it.ind.Rule, true), w, 2)...)
		if v.row().Target.Kind == model.KindAccount {
			lines = append(lines, st.Dim.Render(" "+v.Tf("hint.toggle", it.num)))
		} else if len(v.notes) > 0 {
			n := v.notes[len(v.notes)-1]
			lines = append(lines, st.Dim.Render(clip(" "+v.Tf("hint.note", n.By, Sanitize(n.Text, true)), w)))
		}
		return lines
	}
	f := *it.f
	var lines []string
	head := " " + st.Title.Render(v.indicatorName(f.Indicator)) + " " + Sanitize(f.Detail, true)
	lines = append(lines, clip(head, w))
	if len(f.Evidence) > 0 {
		ev := f.Evidence[0]
		var parts []string
		if ev.URL != "" {
			parts = append(parts, Sanitize(ev.URL, true))
		}
		if !ev.At.IsZero() {
			parts = append(parts, ev.At.In(zone).Format("2006-01-02 15:04"))
		}
		if f.Confidence != "" {
			parts = append(parts, v.Tf("ev.confidence", f.Confidence))
		}
		if ev.Screenshot != "" {
			parts = append(parts, v.T("ev.screenshot"))
		}
		if len(f.Evidence) > 1 {
			parts = append(parts, v.Tf("ev.more", len(f.Evidence)-1))
		}
		lines = append(lines, clip(" "+st.Label.Render(v.T("ev.evidence"))+" "+strings.Join(parts, " · "), w))
		if ev.Snippet != "" {
			lines = append(lines, clip(" "+st.Label.Render(v.T("ev.snippet"))+" "+Sanitize(ev.Snippet, true), w))
		}
	} else {
		lines = append(lines, st.Dim.Render(" "+v.T("ev.none")))
	}
	var last string
	if d, ok := v.data.latest[f.UID]; ok {
		last = v.Tf("decision.line", v.statusLabel(f), Sanitize(d.By, true), d.At.In(zone).Format("2006-01-02 15:04"))
		if d.Note != "" {
			last += ": " + Sanitize(d.Note, true)
		}
	}
	if pd, ok := v.data.previously(f); ok && f.Status == model.StatusOpen {
		last = st.Warn.Render(v.Tf("decision.prev", pd.Round, Sanitize(pd.Note, true)))
	}
	if v.data.conflicts[f.UID] {
		last = st.Warn.Render(v.T("decision.conflict")) + " " + last
	}
	if last != "" {
		lines = append(lines, clip(" "+last, w))
	}
	return lines
}

// wrapCells cuts s into at most n lines of w cells.
func wrapCells(s string, w, n int) []string {
	var out []string
	for s != "" && len(out) < n {
		if widthOf(s) <= w {
			out = append(out, s)
			break
		}
		line := truncateCells(s, w)
		if len(out) == n-1 {
			line = clip(s, w)
		}
		out = append(out, line)
		s = " " + strings.TrimPrefix(s, line)
	}
	return out
}
