package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"inspector/catalog"
	"inspector/report"
	"inspector/store"
)

// previewMsg carries a built (and rendered) bulletin draft.
type previewMsg struct {
	seq      int
	markdown string // the draft's Markdown, sanitised ("" when only re-rendered)
	rendered string // for width and style
	width    int
	style    string
	err      error
}

// previewView shows the round's bulletin draft as the export would write
// it, rendered with glamour; it is built in the background each time the
// screen opens, and re-rendered when the width or the colours change.
type previewView struct {
	*common
	keys scrollKeys
	vp   viewport.Model

	seq      int    // the latest request; older answers are dropped
	loading  bool   // a build is running
	markdown string // the last draft built
	width    int    // the width and style it was rendered for
	style    string
	err      error
}

func newPreviewView(c *common) *previewView {
	v := &previewView{common: c, keys: newScrollKeys(c), vp: viewport.New()}
	v.vp.SoftWrap = true
	return v
}

func (v *previewView) capturing() bool { return false }

// glamourStyle is the standard glamour style for the interface's colours,
// fixed rather than detected (detection would query the terminal): no
// colour at all when the terminal takes none.
func glamourStyle(c *common) string {
	switch c.profile {
	case colorprofile.NoTTY, colorprofile.Ascii:
		return "notty"
	}
	if c.styles.IsDark {
		return "dark"
	}
	return "light"
}

// open rebuilds the draft from the store (the screen always shows the
// decisions made so far).
func (v *previewView) open() tea.Cmd {
	v.seq++
	v.loading, v.err = true, nil
	db, cat, round := v.db, v.cat, v.data.round.Name
	seq, width, style := v.seq, v.width0(), glamourStyle(v.common)
	return func() tea.Msg {
		md, err := buildDraft(db, cat, round)
		if err != nil {
			return previewMsg{seq: seq, err: err}
		}
		return previewMsg{seq: seq, markdown: md, rendered: renderMarkdown(md, width, style), width: width, style: style}
	}
}

// rerender renders the last draft again when the width or the style it
// was rendered for changed.
func (v *previewView) rerender() tea.Cmd {
	width, style := v.width0(), glamourStyle(v.common)
	if v.loading || v.markdown == "" || (width == v.width && style == v.style) {
		return nil
	}
	v.seq++
	v.loading = true
	seq, md := v.seq, v.markdown
	return func() tea.Msg {
		return previewMsg{seq: seq, rendered: renderMarkdown(md, width, style), width: width, style: style}
	}
}

// width0 is the width to render for: the terminal's.
func (v *previewView) width0() int { return max(v.common.width, 20) }

func buildDraft(db *store.DB, cat *catalog.Catalogue, round string) (md string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bulletin: %v", r)
		}
	}()
	b, err := report.Build(db, cat, round, report.Options{Draft: true})
	if err != nil {
		return "", err
	}
	// Names and details come from registries and web pages: no escape
	// sequence of theirs reaches the terminal.
	return Sanitize(b.Markdown(), false), nil
}

// renderMarkdown renders md with a standard glamour style wrapped to
// width; when glamour fails, the Markdown itself, wrapped.
func renderMarkdown(md string, width int, style string) (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = plainMarkdown(md, width)
		}
	}()
	r, err := glamour.NewTermRenderer(glamour.WithStandardStyle(style), glamour.WithWordWrap(width))
	if err != nil {
		return plainMarkdown(md, width)
	}
	s, err := r.Render(md)
	if err != nil || strings.TrimSpace(s) == "" {
		return plainMarkdown(md, width)
	}
	return strings.TrimRight(s, "\n ")
}

// plainMarkdown is the fallback: the Markdown wrapped to width, a margin
// of one cell.
func plainMarkdown(md string, width int) string {
	return ansi.Wrap(strings.TrimRight(md, "\n"), max(width-2, 10), "")
}

func (v *previewView) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case previewMsg:
		if msg.seq != v.seq {
			return nil
		}
		v.loading = false
		if msg.err != nil {
			v.err = msg.err
			v.vp.SetContent("")
			return nil
		}
		if msg.markdown != "" {
			v.markdown = msg.markdown
		}
		first := v.width == 0 || msg.markdown != ""
		v.width, v.style = msg.width, msg.style
		off := v.vp.YOffset()
		v.vp.SetContent(msg.rendered)
		if first {
			v.vp.GotoTop()
		} else {
			v.vp.SetYOffset(off)
		}
		// The terminal may have changed while it rendered.
		return v.rerender()
	case tea.KeyPressMsg:
		if v.keys.handle(msg, &v.vp) {
			v.nav.back()
		}
	}
	return nil
}

func (v *previewView) ShortHelp() []key.Binding { return v.keys.short() }

func (v *previewView) FullHelp() [][]key.Binding { return v.keys.full() }

func (v *previewView) View(w, h int) string {
	st := v.styles
	title := " " + v.Tf("preview.title", v.data.round.Name)
	var right string
	switch {
	case v.loading:
		right = v.T("preview.loading")
	case v.err == nil && v.vp.TotalLineCount() > 0:
		right = v.Tf("preview.position", min(v.vp.YOffset()+v.vp.VisibleLineCount(), v.vp.TotalLineCount()), v.vp.TotalLineCount())
	}
	head := spread(st.Title.Render(title), st.Dim.Render(right)+" ", w)
	v.vp.SetWidth(w)
	v.vp.SetHeight(max(1, h-1))
	switch {
	case v.err != nil:
		return head + "\n" + st.Error.Render(clip(" "+Sanitize(v.err.Error(), true), w))
	case v.markdown == "" && v.loading:
		return head + "\n" + st.Dim.Render(" "+v.T("preview.building"))
	}
	return head + "\n" + v.vp.View()
}
