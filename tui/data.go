package tui

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"inspector/catalog"
	"inspector/model"
	"inspector/store"
	"inspector/verdicts"
)

// now is the clock for decisions and notes; tests fix it.
var now = func() time.Time { return time.Now().UTC() }

// zone is where times are shown; tests fix it.
var zone = time.Local

// openFile opens a file in the system's viewer; tests replace it.
var openFile = func(path string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", path)
	case "windows":
		cmd = exec.Command("cmd", "/c", "start", "", path)
	default:
		cmd = exec.Command("xdg-open", path)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// prevDismissal is a finding the inspector dismissed in the previous round.
type prevDismissal struct {
	Round string
	Note  string
	URLs  map[string]bool
}

// roundData is the round as the interface shows it: every target's verdict
// row, kept current target by target as decisions are written.
type roundData struct {
	db    *store.DB
	cat   *catalog.Catalogue
	round model.Round

	rows  []verdicts.Row
	index map[string]int // target code → rows index

	latest    map[string]model.Decision // finding → latest decision
	conflicts map[string]bool           // finding → decisions disagree
	prev      map[string]prevDismissal  // target|indicator|subject → last round's dismissal
}

func loadRound(db *store.DB, cat *catalog.Catalogue, name string) (*roundData, error) {
	r, err := db.RoundOrLatest(name)
	if err != nil {
		return nil, err
	}
	d := &roundData{db: db, cat: cat, round: r}
	if d.rows, err = verdicts.Round(db, cat, r.Name); err != nil {
		return nil, err
	}
	d.index = make(map[string]int, len(d.rows))
	for i, row := range d.rows {
		d.index[row.Target.Code] = i
	}
	ds, err := db.TargetDecisions(r.Name, "")
	if err != nil {
		return nil, err
	}
	d.latest, d.conflicts = map[string]model.Decision{}, map[string]bool{}
	d.absorb(ds)
	if d.prev, err = previousDismissals(db, r.Previous); err != nil {
		return nil, err
	}
	return d, nil
}

// absorb records the latest decision and conflicts of the findings in ds
// (the whole log of those findings, oldest first).
func (d *roundData) absorb(ds []model.Decision) {
	byInspector := map[string]map[string]string{}
	for _, x := range ds {
		d.latest[x.FindingUID] = x
		if byInspector[x.FindingUID] == nil {
			byInspector[x.FindingUID] = map[string]string{}
		}
		byInspector[x.FindingUID][x.By] = x.Action
	}
	for f, by := range byInspector {
		conflict, seen := false, ""
		for _, a := range by {
			if seen != "" && a != seen {
				conflict = true
			}
			seen = a
		}
		d.conflicts[f] = conflict
	}
}

func previousDismissals(db *store.DB, prev string) (map[string]prevDismissal, error) {
	out := map[string]prevDismissal{}
	if prev == "" {
		return out, nil
	}
	fs, err := db.Findings(store.FindingFilter{Round: prev, WithGone: true})
	if err != nil {
		return nil, err
	}
	ds, err := db.TargetDecisions(prev, "")
	if err != nil {
		return nil, err
	}
	latest := map[string]model.Decision{}
	for _, x := range ds {
		latest[x.FindingUID] = x
	}
	for _, f := range fs {
		if f.Status != model.StatusDismissed {
			continue
		}
		pd := prevDismissal{Round: prev, Note: latest[f.UID].Note, URLs: map[string]bool{}}
		for _, ev := range f.Evidence {
			if ev.URL != "" {
				pd.URLs[ev.URL] = true
			}
		}
		out[f.Target+"|"+f.Indicator+"|"+f.Subject] = pd
	}
	return out, nil
}

// previously returns last round's dismissal of a finding that came back
// with the same indicator and subject (and, when both have one, a common
// evidence URL).
func (d *roundData) previously(f model.Finding) (prevDismissal, bool) {
	pd, ok := d.prev[f.Target+"|"+f.Indicator+"|"+f.Subject]
	if !ok {
		return pd, false
	}
	if len(pd.URLs) == 0 {
		return pd, true
	}
	hasURL := false
	for _, ev := range f.Evidence {
		if ev.URL == "" {
			continue
		}
		hasURL = true
		if pd.URLs[ev.URL] {
			return pd, true
		}
	}
	return pd, !hasURL
}

// row returns the target's row.
func (d *roundData) row(code string) (verdicts.Row, bool) {
	i, ok := d.index[code]
	if !ok {
		return verdicts.Row{}, false
	}
	return d.rows[i], true
}

// refresh re-reads one target from the store and recomputes its verdict
// with verdicts.Target, so the live verdict is the exported one.
func (d *roundData) refresh(code string) error {
	i, ok := d.index[code]
	if !ok {
		return fmt.Errorf("target %s is not in round %s", code, d.round.Name)
	}
	r, err := verdicts.Target(d.db, d.cat, d.round.Name, d.rows[i].Target)
	if err != nil {
		return err
	}
	ds, err := d.db.TargetDecisions(d.round.Name, code)
	if err != nil {
		return err
	}
	d.absorb(ds)
	d.rows[i] = r
	return nil
}

// Machine results of a target, from the probe's findings.
const (
	machineNotProbed = "not_probed"
	machineClean     = "clean"
	machineDeduct    = "deductions"
	machineVeto      = "veto"
)

func (d *roundData) machine(r verdicts.Row) string {
	res := machineNotProbed
	if !r.Probed.IsZero() {
		res = machineClean
	}
	for _, f := range r.Findings {
		if f.Source != model.SourceProbe {
			continue
		}
		ind := d.cat.Indicator(f.Indicator)
		if ind != nil && ind.Type == catalog.TypeVeto {
			return machineVeto
		}
		res = machineDeduct
	}
	return res
}

// Review states of a target.
const (
	stateTodo     = "todo"
	stateDoing    = "doing"
	stateReviewed = "reviewed"
)

func (d *roundData) state(r verdicts.Row) string {
	if r.Reviewed {
		return stateReviewed
	}
	for _, f := range r.Findings {
		if _, ok := d.latest[f.UID]; ok {
			return stateDoing
		}
	}
	return stateTodo
}

func (d *roundData) conflicted(r verdicts.Row) bool {
	for _, f := range r.Findings {
		if d.conflicts[f.UID] {
			return true
		}
	}
	return false
}

// page is one captured page's text, for reading inside the interface.
type page struct {
	URL   string `json:"url"`
	Title string `json:"title"`
	Text  string `json:"text"`
	Shot  string `json:"screenshot"`
}

// pagesOf returns the pages of the target's latest capture in the round.
func pagesOf(db *store.DB, round, target string) ([]page, time.Time, error) {
	obs, err := db.Observations(round, target, store.ObsCapture)
	if err != nil || len(obs) == 0 {
		return nil, time.Time{}, err
	}
	last := obs[len(obs)-1]
	var c struct {
		Pages []page `json:"pages"`
	}
	if err := json.Unmarshal(last.Data, &c); err != nil {
		return nil, last.At, fmt.Errorf("capture of %s: %w", target, err)
	}
	return c.Pages, last.At, nil
}

// openScreenshot writes a stored screenshot to a temporary file and opens
// it; ref may also be a file path the inspector gave.
func openScreenshot(db *store.DB, ref string) (string, error) {
	b, err := db.BlobData(ref)
	if err != nil {
		if _, serr := os.Stat(ref); serr == nil {
			return ref, openFile(ref)
		}
		return "", err
	}
	ext := ".jpg"
	switch {
	case strings.Contains(b.Mime, "png"):
		ext = ".png"
	case strings.Contains(b.Mime, "webp"):
		ext = ".webp"
	}
	short := ref
	if len(short) > 12 {
		short = short[:12]
	}
	p := filepath.Join(os.TempDir(), "inspector-"+short+ext)
	if err := os.WriteFile(p, b.Data, 0o600); err != nil {
		return "", err
	}
	return p, openFile(p)
}
