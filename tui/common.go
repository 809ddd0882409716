// Package tui is the review interface: it walks the inspector through
// every site and account of a round, one decision at a time, and writes
// each decision to the store the moment it is made.
//
// It follows the shape of charmbracelet/soft-serve's interface: a small
// shared context (common) embedded in every view, one view per file with
// its own key map feeding the help bar, one Styles value, and a short root
// Update that routes typed messages.
package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"inspector/catalog"
	"inspector/store"
)

// common is what every view shares.
type common struct {
	width, height int
	styles        *Styles
	profile       colorprofile.Profile // the terminal's colours, once it says
	msgs          *messages
	db            *store.DB
	cat           *catalog.Catalogue
	data          *roundData
	by            string

	// nav lets a view move between screens synchronously (a key that
	// opens a target must have opened it before the next key arrives).
	nav navigator
	// undo holds groups of decisions made in this session, newest last.
	undo []undoGroup
	// flash is the one-line status under the body.
	flash    string
	flashErr bool
}

type undoGroup struct {
	target   string
	findings []string
}

// navigator is implemented by the root model.
type navigator interface {
	openTarget(code string)
	back()
	openText(code string)
	nextUnreviewed(after string) (string, bool)
	probe(targets []string) tea.Cmd
	openPreview() tea.Cmd
	openCharts() tea.Cmd
}

func (c *common) T(k string) string               { return c.msgs.T(k) }
func (c *common) Tf(k string, args ...any) string { return c.msgs.Tf(k, args...) }

func (c *common) say(s string) { c.flash, c.flashErr = s, false }

func (c *common) fail(err error) {
	if err == nil {
		return
	}
	c.flash, c.flashErr = Sanitize(err.Error(), true), true
}

// binding makes a key binding whose help text comes from the catalogue.
func (c *common) binding(keys []string, helpKey, descKey string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, c.T(descKey)))
}

// verdictLabel is a verdict as the interface names it.
func (c *common) verdictLabel(v string) string { return c.T("verdict." + v) }

// indicatorName is the catalogue's name of an indicator.
func (c *common) indicatorName(code string) string {
	if ind := c.cat.Indicator(code); ind != nil {
		return ind.Name
	}
	return code
}
