package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"inspector/catalog"
	"inspector/model"
	"inspector/store"
)

// Options configure the review interface.
type Options struct {
	DB    *store.DB
	Cat   *catalog.Catalogue
	Round string // "" for the latest round
	By    string // who decides
	Lang  string // "zh" (default) or "en"
	Mine  bool   // start with only the inspector's own targets

	// Probe, when set, probes targets in the background (re-probe key
	// `p`, and the demo's initial sweep); it reports progress through
	// report and returns when done.
	Probe func(ctx context.Context, targets []string, report func(Progress)) error
	// Background lists targets to probe at start (the demo's sweep),
	// shown as progress in the header.
	Background []string
}

// Progress is a background probe's report.
type Progress struct {
	Done, Total int
	Current     string
	Err         error
}

type screen int

const (
	screenRound screen = iota
	screenTarget
	screenText
	screenPreview
	screenCharts
)

// view is one screen.
type view interface {
	Update(msg tea.Msg) tea.Cmd
	View(width, height int) string
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// capturing reports whether the view is taking text, so that keys
	// like q and ? are typed rather than obeyed.
	capturing() bool
}

type globalKeys struct {
	Quit, ForceQuit, Help key.Binding
}

// Model is the root of the interface.
type Model struct {
	*common
	opt    Options
	ctx    context.Context
	cancel context.CancelFunc

	screen  screen
	list    *roundView
	target  *targetView
	text    *textView
	preview *previewView
	charts  *chartView

	help     help.Model
	showHelp bool
	keys     globalKeys

	probing  bool
	probeCh  chan tea.Msg
	progress Progress
	spin     spinner.Model
	pending  []string // targets waiting for the running probe to end
	quitting bool

	// loading is true until the round is read (Run reads it in the
	// background so the first frame is immediate); keys pressed meanwhile
	// wait in queued and are replayed in order.
	loading bool
	queued  []tea.Msg
	loadErr error
}

// New builds the interface over the store; the round is read at once so
// the first frame shows it.
func New(opt Options) (tea.Model, error) { return newModel(opt) }

func newModel(opt Options) (*Model, error) {
	m, err := newShell(opt)
	if err != nil {
		return nil, err
	}
	data, err := loadRound(opt.DB, m.cat, opt.Round)
	if err != nil {
		return nil, err
	}
	m.loaded(data)
	return m, nil
}

// newShell builds everything but the round's data.
func newShell(opt Options) (*Model, error) {
	if opt.DB == nil {
		return nil, errors.New("review: no database")
	}
	if opt.Cat == nil {
		c, err := catalog.Load()
		if err != nil {
			return nil, err
		}
		opt.Cat = c
	}
	if opt.By == "" {
		opt.By = "inspector"
	}
	msgs, err := newMessages(opt.Lang)
	if err != nil {
		return nil, err
	}
	c := &common{width: 80, height: 24, styles: NewStyles(true), msgs: msgs, db: opt.DB, cat: opt.Cat, by: opt.By}
	m := &Model{common: c, opt: opt, loading: true}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	c.nav = m
	m.help = help.New()
	m.help.Styles = c.styles.Help
	m.keys = globalKeys{
		Quit:      c.binding([]string{"q"}, "q", "key.quit"),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c")),
		Help:      c.binding([]string{"?"}, "?", "key.help"),
	}
	m.spin = spinner.New(spinner.WithSpinner(spinner.Dot))
	return m, nil
}

// loaded installs the round's data and builds the screens on it.
func (m *Model) loaded(d *roundData) {
	m.data = d
	if m.loading {
		m.loading = false
		m.list = newRoundView(m.common, m.opt.Mine)
		m.target = newTargetView(m.common)
		m.text = newTextView(m.common)
		m.preview = newPreviewView(m.common)
		m.charts = newChartView(m.common)
		return
	}
	m.list.recompute()
	m.target.rebuild()
}

func (m *Model) loadCmd() tea.Cmd {
	db, cat, name := m.db, m.cat, m.opt.Round
	if m.data != nil {
		name = m.data.round.Name
	}
	return func() tea.Msg {
		d, err := loadRound(db, cat, name)
		return roundLoadedMsg{data: d, err: err}
	}
}

// Run runs the interface on the terminal (alternate screen) until the
// inspector quits; the terminal is restored on exit and on panic.
func Run(ctx context.Context, opt Options) (err error) {
	m, err := newShell(opt)
	if err != nil {
		return err
	}
	// Fail before taking the terminal when there is no such round.
	if _, err := opt.DB.RoundOrLatest(opt.Round); err != nil {
		return err
	}
	m.ctx, m.cancel = context.WithCancel(ctx)
	defer m.cancel()
	p := tea.NewProgram(m, tea.WithContext(ctx))
	defer func() {
		if r := recover(); r != nil {
			p.Kill()
			err = fmt.Errorf("review: internal error: %v", r)
		}
	}()
	_, err = p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = nil
	}
	if err == nil {
		err = m.loadErr
	}
	return err
}

// Init asks the terminal for its background (for the colours) and starts
// the background sweep, if any.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if m.loading {
		cmds = append(cmds, m.loadCmd())
	}
	if len(m.opt.Background) > 0 && m.opt.Probe != nil {
		cmds = append(cmds, m.startProbe(m.opt.Background))
	}
	return tea.Batch(cmds...)
}

func (m *Model) active() view {
	switch m.screen {
	case screenTarget:
		return m.target
	case screenText:
		return m.text
	case screenPreview:
		return m.preview
	case screenCharts:
		return m.charts
	}
	return m.list
}

// Update routes messages: window and colour changes to the shared
// context, background work to its handlers, keys to the active view.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		return m, m.restyled()
	case tea.BackgroundColorMsg:
		m.styles = NewStyles(msg.IsDark())
		m.help.Styles = m.styles.Help
		return m, m.restyled()
	case tea.ColorProfileMsg:
		m.profile = msg.Profile
		return m, m.restyled()
	case previewMsg:
		if m.preview == nil {
			return m, nil
		}
		return m, m.preview.Update(msg)
	case chartsMsg:
		if m.charts == nil {
			return m, nil
		}
		return m, m.charts.Update(msg)
	case probeProgressMsg:
		m.progress = msg.p
		return m, m.waitProbe()
	case probeDoneMsg:
		return m, m.probeDone(msg)
	case roundLoadedMsg:
		if msg.err != nil {
			if m.loading {
				m.loadErr, m.quitting = msg.err, true
				return m, tea.Quit
			}
			m.fail(msg.err)
			return m, nil
		}
		m.loaded(msg.data)
		var cmds []tea.Cmd
		for _, q := range m.queued {
			_, cmd := m.Update(q)
			cmds = append(cmds, cmd)
		}
		m.queued = nil
		return m, tea.Batch(cmds...)
	case spinner.TickMsg:
		if !m.probing {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case openedMsg:
		if msg.err != nil {
			m.fail(msg.err)
		} else {
			m.say(m.Tf("flash.opened", msg.path))
		}
		return m, nil
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.ForceQuit) {
			return m, m.quit()
		}
		if m.loading {
			m.queued = append(m.queued, msg)
			return m, nil
		}
		v := m.active()
		if !v.capturing() {
			switch {
			case key.Matches(msg, m.keys.Quit):
				return m, m.quit()
			case key.Matches(msg, m.keys.Help):
				m.showHelp = !m.showHelp
				return m, nil
			case m.showHelp && msg.String() == "esc":
				m.showHelp = false
				return m, nil
			}
		}
		m.flash = ""
		return m, v.Update(msg)
	case tea.PasteMsg:
		if m.loading {
			m.queued = append(m.queued, msg)
			return m, nil
		}
		return m, m.active().Update(msg)
	}
	return m, nil
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	m.cancel()
	return tea.Quit
}

// View renders header, the active screen, the status line and the help.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "inspector"
	if m.data != nil {
		v.WindowTitle += " " + m.data.round.Name
	}
	return v
}

func (m *Model) render() string {
	w, h := max(m.width, 20), max(m.height, 6)
	if m.loading {
		head := m.styles.Header.Render(pad(" "+m.T("header.loading"), w))
		return fit(head, w, h)
	}
	header := m.header(w)
	status := m.statusLine(w)
	var helpView string
	av := m.active()
	switch {
	case m.showHelp:
		helpView = m.help.ShortHelpView([]key.Binding{m.keys.Help, m.keys.Quit})
	case av.capturing():
		helpView = m.help.ShortHelpView(av.ShortHelp())
	default:
		// ? and q lead so that a narrow terminal cuts the view's keys, not them.
		helpView = m.help.ShortHelpView(append([]key.Binding{m.keys.Help, m.keys.Quit}, av.ShortHelp()...))
	}
	helpView = clip(helpView, w)
	bodyH := h - 3
	var body string
	if m.showHelp {
		body = m.fullHelp(w, bodyH)
	} else {
		body = av.View(w, bodyH)
	}
	body = fit(body, w, bodyH)
	return strings.Join([]string{header, body, status, helpView}, "\n")
}

func (m *Model) fullHelp(w, h int) string {
	groups := append(m.active().FullHelp(), []key.Binding{m.keys.Help, m.keys.Quit})
	title := m.styles.Title.Render(m.T("help.title"))
	return title + "\n\n" + m.help.FullHelpView(groups)
}

// header is the round's line: name, check point, progress, pass/fail so
// far, who is deciding, and the background probe.
func (m *Model) header(w int) string {
	d := m.data
	var reviewed, pass, fail int
	for _, r := range d.rows {
		if r.Reviewed {
			reviewed++
		}
		switch r.Verdict.Verdict {
		case model.VerdictPass:
			pass++
		case model.VerdictFail:
			fail++
		}
	}
	left := m.Tf("header.round", d.round.Name, d.round.AsOf.Format("2006-01-02"))
	mid := m.Tf("header.progress", reviewed, len(d.rows), pass, fail)
	right := m.Tf("header.by", m.by)
	if m.probing {
		right = m.spin.View() + " " + m.Tf("header.probing", m.progress.Done, m.progress.Total, Sanitize(m.progress.Current, true)) + "  " + right
	}
	line := " " + left + "  " + mid
	gap := w - ansi.StringWidth(line) - ansi.StringWidth(right) - 1
	if gap < 1 {
		line = clip(line+"  "+right, w)
	} else {
		line += strings.Repeat(" ", gap) + right + " "
	}
	return m.styles.Header.Render(pad(line, w))
}

func (m *Model) statusLine(w int) string {
	if m.flash == "" {
		return ""
	}
	st := m.styles.Status
	if m.flashErr {
		st = m.styles.Error
	}
	return st.Render(clip(" "+m.flash, w))
}

// fit cuts or pads s to exactly h lines of at most w cells.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Navigation (views call these through common.nav).

func (m *Model) openTarget(code string) {
	if _, ok := m.data.row(code); !ok {
		return
	}
	m.target.open(code)
	m.screen = screenTarget
}

func (m *Model) back() {
	switch m.screen {
	case screenPreview, screenCharts:
		m.screen = screenRound
	case screenText:
		m.screen = screenTarget
	default:
		m.screen = screenRound
		m.list.recompute()
		m.list.focus(m.target.code)
	}
}

func (m *Model) openText(code string) {
	m.text.open(code)
	m.screen = screenText
}

// openPreview shows the bulletin draft, rebuilt from the store.
func (m *Model) openPreview() tea.Cmd {
	m.screen = screenPreview
	return m.preview.open()
}

// openCharts shows the round's charts, recomputed from the store.
func (m *Model) openCharts() tea.Cmd {
	m.screen = screenCharts
	return m.charts.open()
}

// restyled re-renders the bulletin preview when the width or the colours
// it was rendered for changed.
func (m *Model) restyled() tea.Cmd {
	if m.preview == nil || m.screen != screenPreview {
		return nil
	}
	return m.preview.rerender()
}

// nextUnreviewed is the first unreviewed target after code in the list's
// order (wrapping), in the same tab.
func (m *Model) nextUnreviewed(after string) (string, bool) {
	return m.list.nextUnreviewed(after)
}

// Background probing.

func (m *Model) probe(targets []string) tea.Cmd { return m.startProbe(targets) }

func (m *Model) startProbe(targets []string) tea.Cmd {
	if m.opt.Probe == nil {
		m.fail(errors.New(m.T("flash.no_probe")))
		return nil
	}
	if m.probing {
		m.pending = append(m.pending, targets...)
		m.say(m.T("flash.probe_queued"))
		return nil
	}
	m.probing = true
	m.progress = Progress{Total: len(targets)}
	ch := make(chan tea.Msg, 16)
	m.probeCh = ch
	probe, ctx := m.opt.Probe, m.ctx
	ts := append([]string(nil), targets...)
	go func() {
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("probe: %v", r)
				}
			}()
			err = probe(ctx, ts, func(p Progress) {
				select {
				case ch <- probeProgressMsg{p}:
				case <-ctx.Done():
				}
			})
		}()
		ch <- probeDoneMsg{targets: ts, err: err}
		close(ch)
	}()
	return tea.Batch(m.waitProbe(), m.spin.Tick)
}

func (m *Model) waitProbe() tea.Cmd {
	ch := m.probeCh
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

func (m *Model) probeDone(msg probeDoneMsg) tea.Cmd {
	m.probing, m.probeCh = false, nil
	if msg.err != nil && !errors.Is(msg.err, context.Canceled) {
		m.fail(msg.err)
	} else {
		m.say(m.Tf("flash.probe_done", len(msg.targets)))
	}
	var cmds []tea.Cmd
	if len(msg.targets) > 20 || m.loading {
		cmds = append(cmds, m.loadCmd())
	} else {
		for _, t := range msg.targets {
			m.fail(m.data.refresh(t))
		}
		m.list.recompute()
		m.target.rebuild()
	}
	if len(m.pending) > 0 {
		next := m.pending
		m.pending = nil
		cmds = append(cmds, m.startProbe(next))
	}
	return tea.Batch(cmds...)
}
