package tui

import (
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// lineInput is a one-line text field: typing (any script), paste, cursor
// movement and deletion. It is small on purpose: enter and esc belong to
// whoever owns it.
type lineInput struct {
	prompt string
	value  []rune
	pos    int
	limit  int
}

func newLineInput(prompt string) lineInput { return lineInput{prompt: prompt, limit: 2000} }

func (in *lineInput) Value() string { return strings.TrimSpace(string(in.value)) }

func (in *lineInput) Reset() { in.value, in.pos = nil, 0 }

func (in *lineInput) insert(s string) {
	if s != " " {
		s = Sanitize(s, true)
	}
	rs := []rune(s)
	if in.limit > 0 && len(in.value)+len(rs) > in.limit {
		rs = rs[:max(0, in.limit-len(in.value))]
	}
	v := make([]rune, 0, len(in.value)+len(rs))
	v = append(v, in.value[:in.pos]...)
	v = append(v, rs...)
	v = append(v, in.value[in.pos:]...)
	in.value = v
	in.pos += len(rs)
}

// Update handles a key or a paste; it reports whether it used the message.
func (in *lineInput) Update(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		in.insert(msg.Content)
		return true
	case tea.KeyPressMsg:
		switch msg.String() {
		case "left", "ctrl+b":
			in.pos = max(0, in.pos-1)
		case "right", "ctrl+f":
			in.pos = min(len(in.value), in.pos+1)
		case "home", "ctrl+a":
			in.pos = 0
		case "end", "ctrl+e":
			in.pos = len(in.value)
		case "backspace", "ctrl+h":
			if in.pos > 0 {
				in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
				in.pos--
			}
		case "delete", "ctrl+d":
			if in.pos < len(in.value) {
				in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
			}
		case "ctrl+u":
			in.value, in.pos = in.value[in.pos:], 0
		case "ctrl+k":
			in.value = in.value[:in.pos]
		case "ctrl+w":
			i := in.pos
			for i > 0 && in.value[i-1] == ' ' {
				i--
			}
			for i > 0 && in.value[i-1] != ' ' {
				i--
			}
			in.value = append(in.value[:i], in.value[in.pos:]...)
			in.pos = i
		default:
			if msg.Text == "" || msg.Mod&(tea.ModCtrl|tea.ModAlt) != 0 {
				return false
			}
			in.insert(msg.Text)
		}
		return true
	}
	return false
}

// View renders the prompt and the field in width cells, the cursor shown
// as a reversed cell.
func (in *lineInput) View(width int, promptStyle lipgloss.Style) string {
	p := promptStyle.Render(in.prompt)
	avail := width - ansi.StringWidth(in.prompt) - 1
	if avail < 4 {
		avail = 4
	}
	before := string(in.value[:in.pos])
	at, after := " ", ""
	if in.pos < len(in.value) {
		at = string(in.value[in.pos])
		after = string(in.value[in.pos+1:])
	}
	// Keep the cursor in view: drop text from the left when needed.
	for ansi.StringWidth(before)+ansi.StringWidth(at) > avail && before != "" {
		_, size := utf8.DecodeRuneInString(before)
		before = before[size:]
	}
	rest := avail - ansi.StringWidth(before) - ansi.StringWidth(at)
	cursor := lipgloss.NewStyle().Reverse(true).Render(at)
	return p + before + cursor + clip(after, rest)
}
