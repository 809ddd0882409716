package tui

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"inspector/model"
)

// overviewScreens are the preview and chart screens the goldens show:
// keys before the screen's background work is done, keys after.
var overviewScreens = []struct {
	name          string
	before, after []string
	// ready reports the message that completes the screen.
	ready func(msg tea.Msg, w int) bool
}{
	{"preview", []string{"b"}, nil, previewReady},
	{"preview_scrolled", []string{"b"}, []string{"j", "j", "j"}, previewReady},
	{"charts", []string{"c"}, nil, chartsReady},
	{"charts_scrolled", []string{"c"}, []string{"space"}, chartsReady},
}

// previewReady is the draft rendered at the terminal's width without
// colour (the program runs with the NoTTY profile).
func previewReady(msg tea.Msg, w int) bool {
	p, ok := msg.(previewMsg)
	return ok && p.err == nil && p.style == "notty" && p.width == w
}

func chartsReady(msg tea.Msg, _ int) bool {
	c, ok := msg.(chartsMsg)
	return ok && c.err == nil && c.data != nil
}

// TestGoldenOverview renders the bulletin preview and the charts through a
// real program at 80×24 and 120×40 in Chinese and 80×24 in English, once
// their background work has arrived (seen by a program filter).
func TestGoldenOverview(t *testing.T) {
	sizes := []struct {
		lang string
		w, h int
	}{{"zh", 80, 24}, {"zh", 120, 40}, {"en", 80, 24}}
	for _, sz := range sizes {
		for _, sc := range overviewScreens {
			t.Run(fmt.Sprintf("%s_%dx%d_%s", sz.lang, sz.w, sz.h, sc.name), func(t *testing.T) {
				db := fixture(t)
				m := newTestModel(t, db, sz.lang)
				ready := make(chan struct{})
				var once sync.Once
				filter := func(_ tea.Model, msg tea.Msg) tea.Msg {
					if sc.ready(msg, sz.w) {
						once.Do(func() { close(ready) })
					}
					return msg
				}
				tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz.w, sz.h),
					teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.NoTTY), tea.WithFilter(filter)))
				for _, k := range keys(sc.before...) {
					tm.Send(k)
				}
				select {
				case <-ready:
				case <-time.After(10 * time.Second):
					t.Fatal("the screen's background work never arrived")
				}
				for _, k := range keys(sc.after...) {
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

// open runs a screen-opening key and its background work to the end.
func open(t *testing.T, m *Model, k string) {
	t.Helper()
	drain(t, m, press(m, k))
}

func TestPreviewShowsDraftAndGoesBack(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	m.profile = colorprofile.NoTTY
	press(m, "down")
	open(t, m, "b")
	if m.screen != screenPreview {
		t.Fatalf("b did not open the preview: screen %d", m.screen)
	}
	if m.preview.loading || m.preview.err != nil {
		t.Fatalf("preview: loading %v, err %v", m.preview.loading, m.preview.err)
	}
	frame := ansi.Strip(m.render())
	for _, want := range []string{"通报草稿预览", "2020Q3"} {
		if !strings.Contains(frame, want) {
			t.Errorf("preview frame lacks %q:\n%s", want, frame)
		}
	}
	all := ansi.Strip(m.preview.vp.GetContent())
	if !strings.Contains(all, "青海省粮食局网站") {
		t.Errorf("the draft does not name the failed site:\n%s", all)
	}
	press(m, "esc")
	if m.screen != screenRound {
		t.Fatalf("esc did not go back: screen %d", m.screen)
	}
	if got := m.list.current(m.list.tab); got != "6300000002" {
		t.Errorf("back from the preview moved the cursor to %s", got)
	}
}

// The draft is rebuilt each time the screen opens: a decision made in
// between shows.
func TestPreviewRefreshedWhenOpened(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	m.profile = colorprofile.NoTTY
	open(t, m, "b")
	before := m.preview.markdown
	press(m, "esc")
	// Dismiss the veto on the grain bureau's site: it no longer fails.
	press(m, "enter")
	moveTo(t, m, "site.veto.home_stale")
	press(m, "x", "误报", "enter", "esc")
	if f := findingOf(t, db, "6300000001", "site.veto.home_stale"); f.Status != model.StatusDismissed {
		t.Fatalf("dismiss did not land: %s", f.Status)
	}
	open(t, m, "b")
	if m.preview.markdown == before {
		t.Fatal("the preview was not rebuilt on opening")
	}
}

// A stale answer (the screen was opened again meanwhile) is dropped, and
// a resize re-renders the draft at the new width.
func TestPreviewStaleAndResize(t *testing.T) {
	db := fixture(t)
	m := newTestModel(t, db, "zh")
	m.profile = colorprofile.NoTTY
	first := press(m, "b")
	press(m, "esc")
	second := press(m, "b")
	old := first()
	m.Update(old)
	if !m.preview.loading {
		t.Fatal("a stale build was taken")
	}
	drain(t, m, second)
	if m.preview.loading || m.preview.width != 80 {
		t.Fatalf("loading %v width %d", m.preview.loading, m.preview.width)
	}
	_, cmd := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if cmd == nil {
		t.Fatal("a resize did not re-render the preview")
	}
	drain(t, m, cmd)
	if m.preview.width != 120 {
		t.Fatalf("re-rendered for %d", m.preview.width)
	}
	checkFrame(t, ansi.Strip(m.render()), 120, 40)
}

func TestPlainMarkdownFallback(t *testing.T) {
	md := "# 标题\n\n" + strings.Repeat("青海省粮食局网站", 20)
	out := plainMarkdown(md, 40)
	for i, l := range strings.Split(out, "\n") {
		if w := ansi.StringWidth(l); w > 40 {
			t.Errorf("line %d is %d cells", i, w)
		}
	}
	if !strings.Contains(out, "# 标题") {
		t.Errorf("fallback lost the heading: %q", out)
	}
}

func TestGlamourStyleFollowsTerminal(t *testing.T) {
	c := &common{styles: NewStyles(true)}
	for _, tc := range []struct {
		p    colorprofile.Profile
		dark bool
		want string
	}{
		{colorprofile.NoTTY, true, "notty"}, {colorprofile.Ascii, false, "notty"},
		{colorprofile.TrueColor, true, "dark"}, {colorprofile.ANSI256, false, "light"},
	} {
		c.profile, c.styles = tc.p, NewStyles(tc.dark)
		if got := glamourStyle(c); got != tc.want {
			t.Errorf("%v dark=%v: %s, want %s", tc.p, tc.dark, got, tc.want)
		}
	}
}
