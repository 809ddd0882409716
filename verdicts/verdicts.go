// Package verdicts assembles a round's verdicts from the store with the
// rules package: the one place the CLI, the review UI and the export get
// them from, so they always agree.
package verdicts

import (
	"time"

	"inspector/catalog"
	"inspector/model"
	"inspector/rules"
	"inspector/store"
)

// Row is one target of a round with everything the verdict came from.
type Row struct {
	Target    model.Target
	Verdict   model.Verdict
	Findings  []model.Finding
	Probed    time.Time // zero when never probed in the round
	Reviewed  bool      // the inspector finished it (or decided every finding)
	Inspector string    // who it is assigned to
}

// Decided reports whether every finding of the row has a decision.
func (r Row) Decided() bool {
	for _, f := range r.Findings {
		if f.Status == model.StatusOpen {
			return false
		}
	}
	return true
}

// Round computes the verdict of every target in the round, sites first.
func Round(db *store.DB, cat *catalog.Catalogue, round string) ([]Row, error) {
	targets, err := db.RoundTargets(round)
	if err != nil {
		return nil, err
	}
	fs, err := db.Findings(store.FindingFilter{Round: round})
	if err != nil {
		return nil, err
	}
	probed, err := db.Probed(round)
	if err != nil {
		return nil, err
	}
	reviewed, err := db.Reviewed(round)
	if err != nil {
		return nil, err
	}
	assigned, err := db.Assignments(round)
	if err != nil {
		return nil, err
	}
	decided, err := db.DecidedTargets(round)
	if err != nil {
		return nil, err
	}
	byTarget := map[string][]model.Finding{}
	for _, f := range fs {
		byTarget[f.Target] = append(byTarget[f.Target], f)
	}
	rows := make([]Row, 0, len(targets))
	for _, t := range targets {
		_, wasReviewed := reviewed[t.Code]
		st := store.TargetState{Probed: probed[t.Code], Reviewed: wasReviewed, Decided: decided[t.Code], Inspector: assigned[t.Code]}
		rows = append(rows, assemble(cat, round, t, byTarget[t.Code], st))
	}
	return rows, nil
}

// assemble is the one place a row's verdict and review state are derived.
func assemble(cat *catalog.Catalogue, round string, t model.Target, fs []model.Finding, st store.TargetState) Row {
	r := Row{Target: t, Findings: fs, Probed: st.Probed, Inspector: st.Inspector}
	r.Reviewed = st.Reviewed || (len(fs) > 0 && r.Decided())
	recorded := !st.Probed.IsZero() || st.Reviewed || st.Decided
	r.Verdict = rules.Evaluate(cat, rules.Input{Round: round, Target: t, Findings: fs, Recorded: recorded})
	return r
}

// Target computes one target's row without reading the whole round (the
// review UI calls it after every decision).
func Target(db *store.DB, cat *catalog.Catalogue, round string, t model.Target) (Row, error) {
	fs, err := db.Findings(store.FindingFilter{Round: round, Target: t.Code})
	if err != nil {
		return Row{}, err
	}
	st, err := db.TargetStateOf(round, t.Code)
	if err != nil {
		return Row{}, err
	}
	return assemble(cat, round, t, fs, st), nil
}
