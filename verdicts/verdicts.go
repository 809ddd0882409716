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
		r := Row{Target: t, Findings: byTarget[t.Code], Probed: probed[t.Code], Inspector: assigned[t.Code]}
		_, wasReviewed := reviewed[t.Code]
		r.Reviewed = wasReviewed || (len(r.Findings) > 0 && r.Decided())
		recorded := !r.Probed.IsZero() || wasReviewed || decided[t.Code]
		r.Verdict = rules.Evaluate(cat, rules.Input{Round: round, Target: t, Findings: r.Findings, Recorded: recorded})
		rows = append(rows, r)
	}
	return rows, nil
}

// Target computes one target's row.
func Target(db *store.DB, cat *catalog.Catalogue, round, code string) (Row, error) {
	rows, err := Round(db, cat, round)
	if err != nil {
		return Row{}, err
	}
	for _, r := range rows {
		if r.Target.Code == code {
			return r, nil
		}
	}
	t, err := db.Target(code)
	if err != nil {
		return Row{}, err
	}
	return Row{Target: t, Verdict: model.Verdict{Round: round, Target: code, Kind: t.Kind, Verdict: model.VerdictPending, Reasons: []string{}}}, nil
}
