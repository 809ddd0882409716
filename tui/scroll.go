package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
)

// scrollKeys are the keys of the read-only, scrolling screens (bulletin
// preview, charts, page text).
type scrollKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Back key.Binding
}

func newScrollKeys(c *common, back ...string) scrollKeys {
	return scrollKeys{
		Up:       c.binding([]string{"up", "k"}, "↑/k", "key.up"),
		Down:     c.binding([]string{"down", "j"}, "↓/j", "key.down"),
		PageUp:   c.binding([]string{"pgup", "b", "ctrl+b"}, "pgup", "key.pageup"),
		PageDown: c.binding([]string{"pgdown", "space", " ", "f", "ctrl+f", "ctrl+d"}, "pgdn", "key.pagedown"),
		Top:      c.binding([]string{"home", "g"}, "g", "key.top"),
		Bottom:   c.binding([]string{"end", "G"}, "G", "key.bottom"),
		Back:     c.binding(append([]string{"esc"}, back...), "esc", "key.back"),
	}
}

// handle applies a key to the viewport; it reports whether the key was
// Back (the caller navigates).
func (k scrollKeys) handle(msg tea.KeyPressMsg, vp *viewport.Model) (back bool) {
	switch {
	case key.Matches(msg, k.Back):
		return true
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	}
	return false
}

func (k scrollKeys) short() []key.Binding { return []key.Binding{k.Up, k.Down, k.PageDown, k.Back} }

func (k scrollKeys) full() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Back}}
}
