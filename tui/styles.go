package tui

import (
	"charm.land/bubbles/v2/help"

	"charm.land/lipgloss/v2"
)

// Styles is every style of the interface, in one place, with colours that
// suit a light or a dark terminal.
type Styles struct {
	IsDark bool

	App       lipgloss.Style
	Header    lipgloss.Style
	HeaderDim lipgloss.Style
	Title     lipgloss.Style
	Dim       lipgloss.Style
	Label     lipgloss.Style
	Rule      lipgloss.Style

	TabActive   lipgloss.Style
	TabInactive lipgloss.Style

	Selected lipgloss.Style
	Pass     lipgloss.Style
	Fail     lipgloss.Style
	Pending  lipgloss.Style
	Open     lipgloss.Style
	Warn     lipgloss.Style
	Prompt   lipgloss.Style
	Status   lipgloss.Style
	Error    lipgloss.Style
	Box      lipgloss.Style

	Help help.Styles
}

// NewStyles builds the styles for a dark or a light background.
func NewStyles(isDark bool) *Styles {
	ld := lipgloss.LightDark(isDark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B4A7F5"))
	dim := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#8A8A8A"))
	green := ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#5FD787"))
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF6B6B"))
	amber := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#F5C451"))
	selBg := ld(lipgloss.Color("#E4DEFF"), lipgloss.Color("#3A3360"))
	headBg := ld(lipgloss.Color("#EDEBF7"), lipgloss.Color("#24213A"))

	s := &Styles{IsDark: isDark}
	s.App = lipgloss.NewStyle()
	s.Header = lipgloss.NewStyle().Bold(true).Foreground(accent).Background(headBg)
	s.HeaderDim = lipgloss.NewStyle().Foreground(dim).Background(headBg)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Dim = lipgloss.NewStyle().Foreground(dim)
	s.Label = lipgloss.NewStyle().Foreground(dim)
	s.Rule = lipgloss.NewStyle().Foreground(dim)
	s.TabActive = lipgloss.NewStyle().Bold(true).Foreground(accent).Underline(true)
	s.TabInactive = lipgloss.NewStyle().Foreground(dim)
	s.Selected = lipgloss.NewStyle().Background(selBg).Bold(true)
	s.Pass = lipgloss.NewStyle().Foreground(green)
	s.Fail = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Pending = lipgloss.NewStyle().Foreground(dim)
	s.Open = lipgloss.NewStyle().Foreground(amber)
	s.Warn = lipgloss.NewStyle().Foreground(amber).Bold(true)
	s.Prompt = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Status = lipgloss.NewStyle().Foreground(green)
	s.Error = lipgloss.NewStyle().Foreground(red)
	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)

	s.Help = help.DefaultStyles(isDark)

	return s
}
