package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

type textKeys struct {
	Up, Down, PageUp, PageDown, Back key.Binding
}

// textView shows the stored text of the target's latest capture, offline.
type textView struct {
	*common
	keys  textKeys
	code  string
	vp    viewport.Model
	title string
	empty bool
}

func newTextView(c *common) *textView {
	return &textView{common: c, keys: textKeys{
		Up:       c.binding([]string{"up", "k"}, "↑/k", "key.up"),
		Down:     c.binding([]string{"down", "j"}, "↓/j", "key.down"),
		PageUp:   c.binding([]string{"pgup", "b"}, "pgup", "key.pageup"),
		PageDown: c.binding([]string{"pgdown", " ", "f"}, "pgdn", "key.pagedown"),
		Back:     c.binding([]string{"esc", "enter"}, "esc", "key.back"),
	}, vp: viewport.New()}
}

func (v *textView) capturing() bool { return false }

func (v *textView) open(code string) {
	v.code = code
	r, _ := v.data.row(code)
	pages, at, err := pagesOf(v.db, v.data.round.Name, code)
	v.title = v.Tf("text.title", Sanitize(r.Target.Name, true))
	if !at.IsZero() {
		v.title += "  " + at.In(zone).Format("2006-01-02 15:04")
	}
	var b strings.Builder
	for _, p := range pages {
		head := Sanitize(p.Title, true)
		if head == "" {
			head = Sanitize(p.URL, true)
		} else {
			head += "  " + Sanitize(p.URL, true)
		}
		b.WriteString("── " + head + "\n")
		b.WriteString(Sanitize(p.Text, false))
		b.WriteString("\n\n")
	}
	v.empty = len(pages) == 0
	content := b.String()
	if err != nil {
		content = err.Error()
	} else if v.empty {
		content = v.T("text.none")
	}
	v.vp = viewport.New()
	v.vp.SoftWrap = true
	v.vp.SetContent(content)
}

func (v *textView) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, v.keys.Back):
		v.nav.back()
	case key.Matches(k, v.keys.Up):
		v.vp.ScrollUp(1)
	case key.Matches(k, v.keys.Down):
		v.vp.ScrollDown(1)
	case key.Matches(k, v.keys.PageUp):
		v.vp.PageUp()
	case key.Matches(k, v.keys.PageDown):
		v.vp.PageDown()
	}
	return nil
}

func (v *textView) ShortHelp() []key.Binding {
	return []key.Binding{v.keys.Up, v.keys.Down, v.keys.PageDown, v.keys.Back}
}

func (v *textView) FullHelp() [][]key.Binding {
	return [][]key.Binding{{v.keys.Up, v.keys.Down, v.keys.PageUp, v.keys.PageDown, v.keys.Back}}
}

func (v *textView) View(w, h int) string {
	v.vp.SetWidth(w)
	v.vp.SetHeight(max(1, h-1))
	return v.styles.Title.Render(clip(" "+v.title, w)) + "\n" + v.vp.View()
}
