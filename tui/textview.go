package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// textView shows the stored text of the target's latest capture, offline.
type textView struct {
	*common
	keys  scrollKeys
	code  string
	vp    viewport.Model
	title string
	empty bool
}

func newTextView(c *common) *textView {
	return &textView{common: c, keys: newScrollKeys(c, "enter"), vp: viewport.New()}
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
	if k, ok := msg.(tea.KeyPressMsg); ok && v.keys.handle(k, &v.vp) {
		v.nav.back()
	}
	return nil
}

func (v *textView) ShortHelp() []key.Binding { return v.keys.short() }

func (v *textView) FullHelp() [][]key.Binding { return v.keys.full() }

func (v *textView) View(w, h int) string {
	v.vp.SetWidth(w)
	v.vp.SetHeight(max(1, h-1))
	return v.styles.Title.Render(clip(" "+v.title, w)) + "\n" + v.vp.View()
}
