package tui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"inspector/model"
	"inspector/verdicts"
)

// The two tabs of the round screen.
var tabKinds = [2]string{model.KindSite, model.KindAccount}

// Sort orders of the list.
const (
	sortCode = iota
	sortState
	sortName
	sortCount
)

type roundKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Tab, Filter, Sort, Next, Mine     key.Binding
	Clear, Accept                           key.Binding
	Preview, Charts                         key.Binding
}

func newRoundKeys(c *common) roundKeys {
	return roundKeys{
		Up:       c.binding([]string{"up", "k"}, "↑/k", "key.up"),
		Down:     c.binding([]string{"down", "j"}, "↓/j", "key.down"),
		PageUp:   c.binding([]string{"pgup", "ctrl+b"}, "pgup", "key.pageup"),
		PageDown: c.binding([]string{"pgdown", "ctrl+f", "ctrl+d"}, "pgdn", "key.pagedown"),
		Top:      c.binding([]string{"home", "g"}, "g", "key.top"),
		Bottom:   c.binding([]string{"end", "G"}, "G", "key.bottom"),
		Open:     c.binding([]string{"enter"}, "enter", "key.open"),
		Tab:      c.binding([]string{"tab", "shift+tab"}, "tab", "key.tab"),
		Filter:   c.binding([]string{"/"}, "/", "key.filter"),
		Sort:     c.binding([]string{"s"}, "s", "key.sort"),
		Next:     c.binding([]string{"n", "space", " "}, "n", "key.next_unreviewed"),
		Mine:     c.binding([]string{"m"}, "m", "key.mine"),
		Clear:    c.binding([]string{"esc"}, "esc", "key.clear_filter"),
		Accept:   c.binding([]string{"enter"}, "enter", "key.filter_done"),
		Preview:  c.binding([]string{"b"}, "b", "key.preview"),
		Charts:   c.binding([]string{"c"}, "c", "key.charts"),
	}
}

// roundView is the round screen: two tabs of targets with their machine
// result, verdict, review state and assignee.
type roundView struct {
	*common
	keys roundKeys

	tab       int
	cursor    [2]int
	offset    [2]int
	visible   [2][]int // indices into data.rows
	sortBy    int
	mine      bool
	filtering bool
	filter    lineInput
}

func newRoundView(c *common, mine bool) *roundView {
	v := &roundView{common: c, keys: newRoundKeys(c), mine: mine, filter: newLineInput("/ ")}
	v.recompute()
	return v
}

func (v *roundView) capturing() bool { return v.filtering }

// recompute rebuilds both tabs' lists from the data, keeping the cursor
// on the same target where it can.
func (v *roundView) recompute() {
	d := v.data
	q := strings.ToLower(v.filter.Value())
	for tab := range tabKinds {
		cur := v.current(tab)
		var idx []int
		for i, r := range d.rows {
			if r.Target.Kind != tabKinds[tab] {
				continue
			}
			if v.mine && r.Inspector != v.by {
				continue
			}
			if q != "" && !strings.Contains(v.haystack(r), q) {
				continue
			}
			idx = append(idx, i)
		}
		switch v.sortBy {
		case sortState:
			rank := map[string]int{stateTodo: 0, stateDoing: 1, stateReviewed: 2}
			sort.SliceStable(idx, func(a, b int) bool {
				return rank[d.state(d.rows[idx[a]])] < rank[d.state(d.rows[idx[b]])]
			})
		case sortName:
			sort.SliceStable(idx, func(a, b int) bool { return d.rows[idx[a]].Target.Name < d.rows[idx[b]].Target.Name })
		}
		v.visible[tab] = idx
		v.cursor[tab] = 0
		for j, i := range idx {
			if d.rows[i].Target.Code == cur {
				v.cursor[tab] = j
			}
		}
	}
}

func (v *roundView) haystack(r verdicts.Row) string {
	t := r.Target
	d := v.data
	return strings.ToLower(strings.Join([]string{t.Code, t.Name, t.Sponsor, t.URL, t.Platform, t.Status, t.Region, r.Inspector,
		v.T("machine." + d.machine(r)), v.T("state." + d.state(r)), v.verdictLabel(r.Verdict.Verdict)}, "\x00"))
}

// current is the code under the cursor in a tab ("" when empty).
func (v *roundView) current(tab int) string {
	l := v.visible[tab]
	if len(l) == 0 || v.cursor[tab] >= len(l) {
		return ""
	}
	return v.data.rows[l[v.cursor[tab]]].Target.Code
}

// focus puts the cursor on code, switching tab when needed.
func (v *roundView) focus(code string) {
	for tab := range tabKinds {
		for j, i := range v.visible[tab] {
			if v.data.rows[i].Target.Code == code {
				v.tab, v.cursor[tab] = tab, j
				return
			}
		}
	}
}

func (v *roundView) nextUnreviewed(after string) (string, bool) {
	tab := v.tab
	if r, ok := v.data.row(after); ok {
		for t, k := range tabKinds {
			if k == r.Target.Kind {
				tab = t
			}
		}
	}
	l := v.visible[tab]
	start := -1
	for j, i := range l {
		if v.data.rows[i].Target.Code == after {
			start = j
		}
	}
	for k := 1; k <= len(l); k++ {
		j := (start + k) % len(l)
		if j < 0 {
			j += len(l)
		}
		r := v.data.rows[l[j]]
		if !r.Reviewed && r.Target.Code != after {
			return r.Target.Code, true
		}
	}
	return "", false
}

func (v *roundView) move(n int) {
	l := len(v.visible[v.tab])
	c := v.cursor[v.tab] + n
	v.cursor[v.tab] = max(0, min(c, l-1))
}

func (v *roundView) Update(msg tea.Msg) tea.Cmd {
	if v.filtering {
		if k, ok := msg.(tea.KeyPressMsg); ok {
			switch {
			case key.Matches(k, v.keys.Clear):
				v.filtering = false
				v.filter.Reset()
				v.recompute()
				return nil
			case key.Matches(k, v.keys.Accept), k.String() == "down", k.String() == "up":
				v.filtering = false
				return nil
			}
		}
		if v.filter.Update(msg) {
			v.recompute()
		}
		return nil
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	page := max(1, v.height-8)
	switch {
	case key.Matches(k, v.keys.Up):
		v.move(-1)
	case key.Matches(k, v.keys.Down):
		v.move(1)
	case key.Matches(k, v.keys.PageUp):
		v.move(-page)
	case key.Matches(k, v.keys.PageDown):
		v.move(page)
	case key.Matches(k, v.keys.Top):
		v.cursor[v.tab] = 0
	case key.Matches(k, v.keys.Bottom):
		v.cursor[v.tab] = max(0, len(v.visible[v.tab])-1)
	case key.Matches(k, v.keys.Tab):
		v.tab = 1 - v.tab
	case key.Matches(k, v.keys.Open):
		if code := v.current(v.tab); code != "" {
			v.nav.openTarget(code)
		}
	case key.Matches(k, v.keys.Filter):
		v.filtering = true
	case key.Matches(k, v.keys.Clear):
		if v.filter.Value() != "" {
			v.filter.Reset()
			v.recompute()
		}
	case key.Matches(k, v.keys.Sort):
		v.sortBy = (v.sortBy + 1) % sortCount
		v.recompute()
		v.say(v.Tf("flash.sorted", v.T(fmt.Sprintf("sort.%d", v.sortBy))))
	case key.Matches(k, v.keys.Mine):
		v.mine = !v.mine
		v.recompute()
		if v.mine {
			v.say(v.Tf("flash.mine_on", v.by))
		} else {
			v.say(v.T("flash.mine_off"))
		}
	case key.Matches(k, v.keys.Preview):
		return v.nav.openPreview()
	case key.Matches(k, v.keys.Charts):
		return v.nav.openCharts()
	case key.Matches(k, v.keys.Next):
		if code, ok := v.nextUnreviewed(v.current(v.tab)); ok {
			v.focus(code)
		} else {
			v.say(v.T("flash.all_reviewed"))
		}
	}
	return nil
}

func (v *roundView) ShortHelp() []key.Binding {
	if v.filtering {
		return []key.Binding{v.keys.Accept, v.keys.Clear}
	}
	return []key.Binding{v.keys.Open, v.keys.Tab, v.keys.Filter, v.keys.Sort, v.keys.Next, v.keys.Preview, v.keys.Charts, v.keys.Mine}
}

func (v *roundView) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{v.keys.Up, v.keys.Down, v.keys.PageUp, v.keys.PageDown, v.keys.Top, v.keys.Bottom},
		{v.keys.Open, v.keys.Tab, v.keys.Filter, v.keys.Clear, v.keys.Sort, v.keys.Next, v.keys.Mine},
		{v.keys.Preview, v.keys.Charts},
	}
}

// columns are the list's column widths for a screen width.
type columns struct{ code, name, sponsor, machine, verdict, state, who int }

func layoutColumns(w int) columns {
	c := columns{code: 10, machine: 8, verdict: 10, state: 6, who: 8}
	fixed := 2 + c.code + c.machine + c.verdict + c.state + c.who + 6 // cursor, gaps
	rest := max(w-fixed, 12)
	c.name = rest * 3 / 5
	c.sponsor = rest - c.name
	return c
}

func (v *roundView) View(w, h int) string {
	st := v.styles
	var b strings.Builder
	// Tabs with counts, and the list's mode on the right.
	var tabs []string
	for tab, kind := range tabKinds {
		label := v.Tf("tab."+kind, len(v.visible[tab]))
		if tab == v.tab {
			tabs = append(tabs, st.TabActive.Render(label))
		} else {
			tabs = append(tabs, st.TabInactive.Render(label))
		}
	}
	left := " " + strings.Join(tabs, "   ")
	var mode []string
	mode = append(mode, v.Tf("list.sort", v.T(fmt.Sprintf("sort.%d", v.sortBy))))
	if v.mine {
		mode = append(mode, v.Tf("list.mine", v.by))
	}
	right := st.Dim.Render(strings.Join(mode, " · "))
	b.WriteString(spread(left, right, w))
	b.WriteByte('\n')
	// Filter line.
	lines := 1
	if v.filtering || v.filter.Value() != "" {
		if v.filtering {
			b.WriteString(" " + v.filter.View(w-2, st.Prompt))
		} else {
			b.WriteString(st.Dim.Render(" " + clip(v.Tf("list.filtered", v.filter.Value()), w-2)))
		}
		b.WriteByte('\n')
		lines++
	}
	cols := layoutColumns(w)
	head := "  " + pad(v.T("col.code"), cols.code) + " " + pad(v.T("col.name"), cols.name) + " " +
		pad(v.T("col.sponsor"), cols.sponsor) + " " + pad(v.T("col.machine"), cols.machine) + " " +
		pad(v.T("col.verdict"), cols.verdict) + " " + pad(v.T("col.state"), cols.state) + " " + pad(v.T("col.who"), cols.who)
	b.WriteString(st.Label.Render(clip(head, w)))
	b.WriteByte('\n')
	lines++
	list := v.visible[v.tab]
	rowsH := max(1, h-lines)
	if len(list) == 0 {
		b.WriteString(st.Dim.Render("  " + v.T("list.empty")))
		return b.String()
	}
	cur := v.cursor[v.tab]
	off := v.offset[v.tab]
	if cur < off {
		off = cur
	}
	if cur >= off+rowsH {
		off = cur - rowsH + 1
	}
	off = max(0, min(off, len(list)-rowsH))
	v.offset[v.tab] = off
	for j := off; j < len(list) && j < off+rowsH; j++ {
		r := v.data.rows[list[j]]
		b.WriteString(v.renderRow(r, cols, w, j == cur))
		if j < off+rowsH-1 && j < len(list)-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func (v *roundView) renderRow(r verdicts.Row, cols columns, w int, selected bool) string {
	st := v.styles
	d := v.data
	t := r.Target
	mark := "  "
	if selected {
		mark = "▸ "
	}
	if d.conflicted(r) {
		mark = mark[:len(mark)-1] + "!"
	}
	machine := d.machine(r)
	mStyle := st.Dim
	switch machine {
	case machineVeto:
		mStyle = st.Fail
	case machineDeduct:
		mStyle = st.Open
	case machineClean:
		mStyle = st.Pass
	}
	verdict := v.verdictText(r.Verdict)
	vStyle := st.Pending
	switch r.Verdict.Verdict {
	case model.VerdictPass:
		vStyle = st.Pass
	case model.VerdictFail:
		vStyle = st.Fail
	}
	state := d.state(r)
	sStyle := st.Dim
	if state == stateReviewed {
		sStyle = st.Pass
	} else if state == stateDoing {
		sStyle = st.Open
	}
	who := r.Inspector
	if who == "" {
		who = "—"
	}
	line := mark + pad(t.Code, cols.code) + " " + pad(Sanitize(t.Name, true), cols.name) + " " +
		pad(Sanitize(t.Sponsor, true), cols.sponsor) + " " + mStyle.Render(pad(v.T("machine."+machine), cols.machine)) + " " +
		vStyle.Render(pad(verdict, cols.verdict)) + " " + sStyle.Render(pad(v.T("state."+state), cols.state)) + " " +
		pad(Sanitize(who, true), cols.who)
	if selected {
		return st.Selected.Render(pad(line, w))
	}
	return line
}

// verdictText is a verdict with its score, short.
func (v *roundView) verdictText(vd model.Verdict) string {
	switch vd.Verdict {
	case model.VerdictPass:
		return fmt.Sprintf("%s %g", v.verdictLabel(vd.Verdict), vd.Score)
	case model.VerdictFail:
		if len(vd.Reasons) > 0 && vd.Score == 0 {
			return v.verdictLabel(vd.Verdict)
		}
		return fmt.Sprintf("%s %g", v.verdictLabel(vd.Verdict), vd.Score)
	}
	return v.verdictLabel(vd.Verdict)
}

// spread puts left and right on one line of w cells.
func spread(left, right string, w int) string {
	gap := w - widthOf(left) - widthOf(right)
	if gap < 1 {
		return clip(left+" "+right, w)
	}
	return left + strings.Repeat(" ", gap) + right
}
