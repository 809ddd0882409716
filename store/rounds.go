package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"inspector/model"
)

// RoundInfo is a round with its size, for listings.
type RoundInfo struct {
	model.Round
	Sites, Accounts int
}

// CreateRound stores a round and its sample in one transaction.
func (db *DB) CreateRound(r model.Round, members []string) error {
	return db.tx(context.Background(), func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM rounds WHERE name = ?`, r.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("round %s already exists", r.Name)
		}
		if _, err := tx.Exec(`INSERT INTO rounds (name, as_of, seed, deadline, previous, created) VALUES (?,?,?,?,?,?)`,
			r.Name, fmtDate(r.AsOf), r.Seed, fmtDate(r.Deadline), r.Previous, fmtTime(r.Created)); err != nil {
			return err
		}
		for _, code := range members {
			if _, err := tx.Exec(`INSERT INTO round_members (round, target) VALUES (?, ?)`, r.Name, code); err != nil {
				return fmt.Errorf("round %s: member %s: %w", r.Name, code, err)
			}
		}
		return nil
	})
}

const roundCols = `name, as_of, seed, deadline, previous, created`

func scanRound(sc interface{ Scan(...any) error }) (model.Round, error) {
	var r model.Round
	var asOf, deadline, created string
	err := sc.Scan(&r.Name, &asOf, &r.Seed, &deadline, &r.Previous, &created)
	r.AsOf, r.Deadline, r.Created = parseDate(asOf), parseDate(deadline), parseTime(created)
	return r, err
}

// Round returns the round called name.
func (db *DB) Round(name string) (model.Round, error) {
	r, err := scanRound(db.sql.QueryRow(`SELECT `+roundCols+` FROM rounds WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("round %s: %w", name, ErrNotFound)
	}
	return r, err
}

// LatestRound is the round created last (ties broken by check point).
func (db *DB) LatestRound() (model.Round, error) {
	r, err := scanRound(db.sql.QueryRow(`SELECT ` + roundCols + ` FROM rounds ORDER BY created DESC, as_of DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("no round yet (inspector round new NAME --as-of DATE): %w", ErrNotFound)
	}
	return r, err
}

// RoundOrLatest resolves an optional --round flag.
func (db *DB) RoundOrLatest(name string) (model.Round, error) {
	if name == "" {
		return db.LatestRound()
	}
	return db.Round(name)
}

// Rounds lists every round, oldest first, with its sample sizes.
func (db *DB) Rounds() ([]RoundInfo, error) {
	rows, err := db.sql.Query(`SELECT r.name, r.as_of, r.seed, r.deadline, r.previous, r.created,
		(SELECT count(*) FROM round_members m JOIN targets t ON t.code = m.target WHERE m.round = r.name AND t.kind = 'site'),
		(SELECT count(*) FROM round_members m JOIN targets t ON t.code = m.target WHERE m.round = r.name AND t.kind = 'account')
		FROM rounds r ORDER BY r.created, r.as_of`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RoundInfo
	for rows.Next() {
		var ri RoundInfo
		var asOf, deadline, created string
		if err := rows.Scan(&ri.Name, &asOf, &ri.Seed, &deadline, &ri.Previous, &created, &ri.Sites, &ri.Accounts); err != nil {
			return nil, err
		}
		ri.AsOf, ri.Deadline, ri.Created = parseDate(asOf), parseDate(deadline), parseTime(created)
		out = append(out, ri)
	}
	return out, rows.Err()
}

// RoundTargets lists the round's sample, sites first, by code.
func (db *DB) RoundTargets(round string) ([]model.Target, error) {
	return scanTargets(db.sql.Query(`SELECT `+prefixed("t.", targetCols)+` FROM round_members m JOIN targets t ON t.code = m.target
		WHERE m.round = ? ORDER BY t.kind DESC, t.code`, round))
}

// IsMember reports whether target is in the round's sample.
func (db *DB) IsMember(round, target string) (bool, error) {
	var n int
	err := db.sql.QueryRow(`SELECT count(*) FROM round_members WHERE round = ? AND target = ?`, round, target).Scan(&n)
	return n > 0, err
}

// Assign gives targets of a round to an inspector, in one transaction.
func (db *DB) Assign(round, inspector string, targets []string) error {
	return db.tx(context.Background(), func(tx *sql.Tx) error {
		for _, code := range targets {
			res, err := tx.Exec(`UPDATE round_members SET inspector = ? WHERE round = ? AND target = ?`, inspector, round, code)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("assign: target %s is not in round %s", code, round)
			}
		}
		return nil
	})
}

// Assignments maps each target of the round to its inspector ("" when
// unassigned).
func (db *DB) Assignments(round string) (map[string]string, error) {
	rows, err := db.sql.Query(`SELECT target, inspector FROM round_members WHERE round = ?`, round)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var t, who string
		if err := rows.Scan(&t, &who); err != nil {
			return nil, err
		}
		out[t] = who
	}
	return out, rows.Err()
}

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
