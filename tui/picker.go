package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"inspector/catalog"
)

// picker chooses an indicator of the target's kind; typing filters by
// code or name.
type picker struct {
	*common
	all    []catalog.Indicator
	shown  []int
	cursor int
	filter lineInput
}

func newPicker(c *common, inds []catalog.Indicator) picker {
	p := picker{common: c, all: inds, filter: newLineInput(c.T("picker.filter"))}
	p.apply()
	return p
}

func (p *picker) apply() {
	q := strings.ToLower(p.filter.Value())
	p.shown = p.shown[:0]
	for i, ind := range p.all {
		if q == "" || strings.Contains(strings.ToLower(ind.Code+" "+ind.Name+" "+p.T("type."+ind.Type)), q) {
			p.shown = append(p.shown, i)
		}
	}
	p.cursor = max(0, min(p.cursor, len(p.shown)-1))
}

func (p *picker) focus(code string) {
	for j, i := range p.shown {
		if p.all[i].Code == code {
			p.cursor = j
		}
	}
}

func (p *picker) chosen() *catalog.Indicator {
	if len(p.shown) == 0 {
		return nil
	}
	return &p.all[p.shown[p.cursor]]
}

func (p *picker) Update(msg tea.Msg) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "up", "ctrl+p":
			p.cursor = max(0, p.cursor-1)
			return
		case "down", "ctrl+n", "tab":
			p.cursor = min(len(p.shown)-1, p.cursor+1)
			return
		}
	}
	if p.filter.Update(msg) {
		p.cursor = 0
		p.apply()
	}
}

func (p *picker) View(w, h int) string {
	st := p.styles
	lines := []string{" " + st.Title.Render(p.T("picker.title")), " " + p.filter.View(w-2, st.Prompt), ""}
	room := max(1, h-len(lines))
	off := max(0, p.cursor-room+1)
	for j := off; j < len(p.shown) && j < off+room; j++ {
		ind := p.all[p.shown[j]]
		typ := typeLabel(p.common, &ind)
		line := "   " + pad(ind.Name, 30) + " " + st.Dim.Render(pad(typ, 8)+" "+ind.Code)
		if j == p.cursor {
			line = st.Selected.Render(pad(" ▸ "+pad(ind.Name, 30)+" "+pad(typ, 8)+" "+ind.Code, w))
		}
		lines = append(lines, clip(line, w))
	}
	if len(p.shown) == 0 {
		lines = append(lines, st.Dim.Render("   "+p.T("picker.none")))
	}
	return strings.Join(lines, "\n")
}

// typeLabel names an indicator's type with its points: 否决, 扣2分.
func typeLabel(c *common, ind *catalog.Indicator) string {
	switch ind.Type {
	case catalog.TypeDeduct:
		return c.Tf("type.deduct_points", ind.Points)
	case catalog.TypeBonus:
		return c.Tf("type.bonus_points", ind.Points)
	}
	return c.T("type." + ind.Type)
}
