package store

import (
	"database/sql"
	"errors"
	"time"
)

// TargetState is what the review UI needs, besides the findings, to
// recompute one target's verdict row after a decision without reading the
// whole round again.
type TargetState struct {
	Probed    time.Time // newest capture in the round (zero: never probed)
	Reviewed  bool      // marked reviewed in the round
	Decided   bool      // at least one decision on its findings in the round
	Inspector string    // assigned inspector
}

// TargetStateOf returns one target's state in a round.
func (db *DB) TargetStateOf(round, target string) (TargetState, error) {
	var st TargetState
	var probed sql.NullString
	err := db.sql.QueryRow(`SELECT
		(SELECT max(at) FROM observations WHERE round = ? AND target = ? AND kind = ?),
		EXISTS (SELECT 1 FROM reviews WHERE round = ? AND target = ?),
		EXISTS (SELECT 1 FROM decisions d JOIN findings f ON f.uid = d.finding WHERE f.round = ? AND f.target = ?),
		COALESCE((SELECT inspector FROM round_members WHERE round = ? AND target = ?), '')`,
		round, target, ObsCapture, round, target, round, target, round, target).
		Scan(&probed, &st.Reviewed, &st.Decided, &st.Inspector)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if probed.Valid {
		st.Probed = parseTime(probed.String)
	}
	return st, err
}
