package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"inspector/model"
)

// NewUID returns a random identifier for log entries that must stay unique
// across laptops.
func NewUID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ReplaceMachineFindings makes the probe's findings for one target in a
// round equal to fs, in one transaction. Findings are matched by UID, so a
// finding that comes back keeps its decisions; one no longer produced is
// marked gone (kept for the log) rather than deleted.
func (db *DB) ReplaceMachineFindings(round, target string, fs []model.Finding, at time.Time) error {
	return db.tx(context.Background(), func(tx *sql.Tx) error {
		keep := map[string]bool{}
		for _, f := range fs {
			f.Round, f.Target, f.Source = round, target, model.SourceProbe
			if f.UID == "" {
				f.UID = model.FindingUID(round, target, f.Indicator, f.Subject)
			}
			if keep[f.UID] {
				return fmt.Errorf("finding %s appears twice in one analysis", f.UID)
			}
			keep[f.UID] = true
			if err := upsertFinding(tx, f, at); err != nil {
				return err
			}
		}
		rows, err := tx.Query(`SELECT uid FROM findings WHERE round = ? AND target = ? AND source = 'probe' AND gone = 0`, round, target)
		if err != nil {
			return err
		}
		var stale []string
		for rows.Next() {
			var uid string
			if err := rows.Scan(&uid); err != nil {
				rows.Close()
				return err
			}
			if !keep[uid] {
				stale = append(stale, uid)
			}
		}
		rows.Close()
		for _, uid := range stale {
			if _, err := tx.Exec(`UPDATE findings SET gone = 1 WHERE uid = ?`, uid); err != nil {
				return err
			}
		}
		return nil
	})
}

func upsertFinding(tx *sql.Tx, f model.Finding, at time.Time) error {
	ev, err := json.Marshal(nonNilEvidence(f.Evidence))
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO findings (uid, round, target, indicator, subject, detail, source, confidence, evidence, count, gone, created)
		VALUES (?,?,?,?,?,?,?,?,?,?,0,?)
		ON CONFLICT (uid) DO UPDATE SET detail = excluded.detail, confidence = excluded.confidence,
			evidence = excluded.evidence, count = excluded.count, gone = 0`,
		f.UID, f.Round, f.Target, f.Indicator, f.Subject, f.Detail, f.Source, f.Confidence, string(ev), f.Instances(), fmtTime(at))
	if err != nil {
		return fmt.Errorf("finding %s: %w", f.UID, err)
	}
	return nil
}

func nonNilEvidence(ev []model.Evidence) []model.Evidence {
	if ev == nil {
		return []model.Evidence{}
	}
	return ev
}

// AddFinding records an inspector's own finding. It is an error when a
// finding with the same indicator and subject exists on the target.
func (db *DB) AddFinding(f model.Finding, at time.Time) (model.Finding, error) {
	f.Source = model.SourceInspector
	f.Confidence = ""
	f.UID = model.FindingUID(f.Round, f.Target, f.Indicator, f.Subject)
	err := db.tx(context.Background(), func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM findings WHERE uid = ? AND gone = 0`, f.UID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("a finding %s on %s with subject %q exists already", f.Indicator, f.Target, f.Subject)
		}
		return upsertFinding(tx, f, at)
	})
	return f, err
}

// FindingFilter selects findings; empty fields match everything.
type FindingFilter struct {
	Round, Target, Indicator, Subject string
	// WithGone includes machine findings the latest analysis dropped.
	WithGone bool
}

// Findings lists findings with their status derived from the latest
// decision, ordered by target, indicator, subject.
func (db *DB) Findings(ff FindingFilter) ([]model.Finding, error) {
	rows, err := db.sql.Query(`SELECT f.uid, f.round, f.target, t.kind, f.indicator, f.subject, f.detail, f.source, f.confidence, f.evidence, f.count,
		COALESCE((SELECT d.action FROM decisions d WHERE d.finding = f.uid ORDER BY d.at DESC, d.uid DESC LIMIT 1), '')
		FROM findings f JOIN targets t ON t.code = f.target
		WHERE (? = '' OR f.round = ?) AND (? = '' OR f.target = ?) AND (? = '' OR f.indicator = ?) AND (? = '' OR f.subject = ?)
		  AND (? OR f.gone = 0)
		ORDER BY f.round, t.kind DESC, f.target, f.indicator, f.subject`,
		ff.Round, ff.Round, ff.Target, ff.Target, ff.Indicator, ff.Indicator, ff.Subject, ff.Subject, ff.WithGone)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Finding
	for rows.Next() {
		var f model.Finding
		var ev, action string
		if err := rows.Scan(&f.UID, &f.Round, &f.Target, &f.Kind, &f.Indicator, &f.Subject, &f.Detail, &f.Source, &f.Confidence, &ev, &f.Count, &action); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(ev), &f.Evidence); err != nil {
			return nil, fmt.Errorf("finding %s: evidence: %w", f.UID, err)
		}
		f.Status = statusOf(action)
		out = append(out, f)
	}
	return out, rows.Err()
}

func statusOf(action string) string {
	switch action {
	case model.ActionConfirm:
		return model.StatusConfirmed
	case model.ActionDismiss:
		return model.StatusDismissed
	}
	return model.StatusOpen
}

// Finding returns one finding by UID.
func (db *DB) Finding(uid string) (model.Finding, error) {
	var round, target, ind, subj string
	err := db.sql.QueryRow(`SELECT round, target, indicator, subject FROM findings WHERE uid = ?`, uid).Scan(&round, &target, &ind, &subj)
	if errors.Is(err, sql.ErrNoRows) {
		return model.Finding{}, fmt.Errorf("finding %s: %w", uid, ErrNotFound)
	}
	if err != nil {
		return model.Finding{}, err
	}
	fs, err := db.Findings(FindingFilter{Round: round, Target: target, Indicator: ind, Subject: subj, WithGone: true})
	if err != nil || len(fs) == 0 {
		return model.Finding{}, fmt.Errorf("finding %s: %w", uid, ErrNotFound)
	}
	return fs[0], nil
}

// Decide appends decisions (one per finding) in one transaction. Each
// decision gets a fresh UID unless it has one.
func (db *DB) Decide(ds ...model.Decision) ([]model.Decision, error) {
	err := db.tx(context.Background(), func(tx *sql.Tx) error {
		for i := range ds {
			d := &ds[i]
			if d.UID == "" {
				d.UID = NewUID()
			}
			switch d.Action {
			case model.ActionConfirm, model.ActionDismiss, model.ActionReopen:
			default:
				return fmt.Errorf("decision: action %q is not confirm, dismiss or reopen", d.Action)
			}
			if d.By == "" {
				return fmt.Errorf("decision: who decided is required")
			}
			if _, err := tx.Exec(`INSERT INTO decisions (uid, finding, action, note, by, at) VALUES (?,?,?,?,?,?)`,
				d.UID, d.FindingUID, d.Action, d.Note, d.By, fmtTime(d.At)); err != nil {
				return fmt.Errorf("decision on %s: %w", d.FindingUID, err)
			}
		}
		return nil
	})
	return ds, err
}

// Decisions lists the log for one finding, or (finding "") for a whole
// round, oldest first.
func (db *DB) Decisions(round, finding string) ([]model.Decision, error) {
	return db.queryDecisions(`(? = '' OR f.round = ?) AND (? = '' OR d.finding = ?)`, round, round, finding, finding)
}

// TargetDecisions lists the decision log of the findings of one target in
// a round (target "": the whole round), oldest first.
func (db *DB) TargetDecisions(round, target string) ([]model.Decision, error) {
	return db.queryDecisions(`f.round = ? AND (? = '' OR f.target = ?)`, round, target, target)
}

func (db *DB) queryDecisions(where string, args ...any) ([]model.Decision, error) {
	rows, err := db.sql.Query(`SELECT d.uid, d.finding, d.action, d.note, d.by, d.at FROM decisions d JOIN findings f ON f.uid = d.finding
		WHERE `+where+` ORDER BY d.at, d.uid`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Decision
	for rows.Next() {
		var d model.Decision
		var at string
		if err := rows.Scan(&d.UID, &d.FindingUID, &d.Action, &d.Note, &d.By, &at); err != nil {
			return nil, err
		}
		d.At = parseTime(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Undo appends the decision that restores a finding's state before its
// latest decision (the log itself is never rewritten).
func (db *DB) Undo(finding, by string, at time.Time) (model.Decision, error) {
	ds, err := db.Decisions("", finding)
	if err != nil {
		return model.Decision{}, err
	}
	if len(ds) == 0 {
		return model.Decision{}, fmt.Errorf("undo: finding %s has no decision", finding)
	}
	d := model.Decision{FindingUID: finding, Action: model.ActionReopen, Note: "undo", By: by, At: at}
	if len(ds) >= 2 {
		prev := ds[len(ds)-2]
		d.Action, d.Note = prev.Action, "undo: "+prev.Note
	}
	out, err := db.Decide(d)
	if err != nil {
		return model.Decision{}, err
	}
	return out[0], nil
}

// Conflicts lists the findings of a round on which different inspectors'
// latest decisions disagree (a second look is due).
func (db *DB) Conflicts(round string) (map[string]bool, error) {
	ds, err := db.Decisions(round, "")
	if err != nil {
		return nil, err
	}
	latestBy := map[string]map[string]string{} // finding → inspector → action
	for _, d := range ds {
		if latestBy[d.FindingUID] == nil {
			latestBy[d.FindingUID] = map[string]string{}
		}
		latestBy[d.FindingUID][d.By] = d.Action
	}
	out := map[string]bool{}
	for f, by := range latestBy {
		seen := ""
		for _, a := range by {
			if seen != "" && a != seen {
				out[f] = true
			}
			seen = a
		}
	}
	return out, nil
}

// AddNote appends a note on a target in a round.
func (db *DB) AddNote(round, target, text, by string, at time.Time) error {
	_, err := db.sql.Exec(`INSERT INTO notes (uid, round, target, text, by, at) VALUES (?,?,?,?,?,?)`, NewUID(), round, target, text, by, fmtTime(at))
	if err != nil {
		return fmt.Errorf("note on %s: %w", target, err)
	}
	return nil
}

// Note is an inspector's note on a target.
type Note struct {
	Target, Text, By string
	At               time.Time
}

// Notes lists the notes of a round, for one target or all, oldest first.
func (db *DB) Notes(round, target string) ([]Note, error) {
	rows, err := db.sql.Query(`SELECT target, text, by, at FROM notes WHERE round = ? AND (? = '' OR target = ?) ORDER BY at, uid`, round, target, target)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		var n Note
		var at string
		if err := rows.Scan(&n.Target, &n.Text, &n.By, &at); err != nil {
			return nil, err
		}
		n.At = parseTime(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// MarkReviewed records that the inspector finished a target in a round.
func (db *DB) MarkReviewed(round, target, by string, at time.Time) error {
	_, err := db.sql.Exec(`INSERT INTO reviews (uid, round, target, by, at) VALUES (?,?,?,?,?)`, NewUID(), round, target, by, fmtTime(at))
	if err != nil {
		return fmt.Errorf("review of %s: %w", target, err)
	}
	return nil
}

// Reviewed maps each target of the round to the time it was last marked
// reviewed.
func (db *DB) Reviewed(round string) (map[string]time.Time, error) {
	return latestByTarget(db.sql.Query(`SELECT target, max(at) FROM reviews WHERE round = ? GROUP BY target`, round))
}

// DecidedTargets lists the targets of a round with at least one decision.
func (db *DB) DecidedTargets(round string) (map[string]bool, error) {
	codes, err := scanStrings(db.sql.Query(`SELECT DISTINCT f.target FROM decisions d JOIN findings f ON f.uid = d.finding WHERE f.round = ?`, round))
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}
