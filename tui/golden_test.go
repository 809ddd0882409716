package tui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// keys turns a script into key presses: "enter", "esc", "tab", "space",
// "up", "down" name special keys; anything else is typed as text.
func keys(script ...string) []tea.Msg {
	var out []tea.Msg
	for _, s := range script {
		switch s {
		case "enter":
			out = append(out, tea.KeyPressMsg{Code: tea.KeyEnter})
		case "esc":
			out = append(out, tea.KeyPressMsg{Code: tea.KeyEscape})
		case "tab":
			out = append(out, tea.KeyPressMsg{Code: tea.KeyTab})
		case "space":
			out = append(out, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
		case "up":
			out = append(out, tea.KeyPressMsg{Code: tea.KeyUp})
		case "down":
			out = append(out, tea.KeyPressMsg{Code: tea.KeyDown})
		default:
			for _, r := range s {
				out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		}
	}
	return out
}

// screens are the states the goldens show, each reached by a script.
var screens = []struct {
	name   string
	script []string
}{
	{"list", nil},
	{"filtered", []string{"/", "县", "enter"}},
	{"target", []string{"enter"}},
	{"dismiss_prompt", []string{"enter", "x", "误报"}},
	{"picker", []string{"enter", "a", "链接"}},
	{"accounts", []string{"tab", "enter"}},
	{"account_prompt", []string{"tab", "down", "enter", "2"}},
	{"page_text", []string{"enter", "t"}},
	{"help", []string{"enter", "?"}},
}

// TestGolden renders every screen through a real program (teatest) at
// 80×24 and 120×40 in Chinese, and at 80×24 in English; go test -update
// rewrites testdata/.
func TestGolden(t *testing.T) {
	sizes := []struct {
		lang string
		w, h int
	}{{"zh", 80, 24}, {"zh", 120, 40}, {"en", 80, 24}}
	for _, sz := range sizes {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s_%dx%d_%s", sz.lang, sz.w, sz.h, sc.name), func(t *testing.T) {
				db := fixture(t)
				m := newTestModel(t, db, sz.lang)
				tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h),
					teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.NoTTY)))
				for _, k := range keys(sc.script...) {
					tm.Send(k)
				}
				tm.Quit()
				fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
				out := ansi.Strip(fm.render())
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, out)
			})
		}
	}
}

// checkFrame asserts the frame fits the terminal exactly.
func checkFrame(t *testing.T, frame string, w, h int) {
	t.Helper()
	lines := splitLines(frame)
	if len(lines) != h {
		t.Errorf("frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("line %d is %d cells wide (> %d): %q", i+1, lw, w, l)
		}
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
