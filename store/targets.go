package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"inspector/model"
)

// Change is one field of a target that a re-import changed.
type Change struct {
	Target string    `json:"target"`
	Field  string    `json:"field"`
	Old    string    `json:"old"`
	New    string    `json:"new"`
	Source string    `json:"source"`
	At     time.Time `json:"at"`
}

// ImportResult summarises an import.
type ImportResult struct {
	Added, Updated, Unchanged int
	Changes                   []Change
}

const targetCols = `code, kind, name, sponsor, url, platform, status, region, no_services, portal`

func scanTarget(sc interface{ Scan(...any) error }) (model.Target, error) {
	var t model.Target
	var ns, portal int
	err := sc.Scan(&t.Code, &t.Kind, &t.Name, &t.Sponsor, &t.URL, &t.Platform, &t.Status, &t.Region, &ns, &portal)
	t.NoServices, t.Portal = ns != 0, portal != 0
	return t, err
}

func fieldsOf(t model.Target) map[string]string {
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	return map[string]string{
		"name": t.Name, "sponsor": t.Sponsor, "url": t.URL, "platform": t.Platform,
		"status": t.Status, "region": t.Region, "no_services": b(t.NoServices), "portal": b(t.Portal),
	}
}

var changeFields = []string{"name", "sponsor", "url", "platform", "status", "region", "no_services", "portal"}

// ImportTargets inserts or updates targets by code in one transaction and
// records every changed field. source names the file, for the history.
func (db *DB) ImportTargets(ts []model.Target, source string, at time.Time) (ImportResult, error) {
	var res ImportResult
	err := db.tx(context.Background(), func(tx *sql.Tx) error {
		for _, t := range ts {
			old, err := scanTarget(tx.QueryRow(`SELECT `+targetCols+` FROM targets WHERE code = ?`, t.Code))
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := tx.Exec(`INSERT INTO targets (`+targetCols+`, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
					t.Code, t.Kind, t.Name, t.Sponsor, t.URL, t.Platform, t.Status, t.Region, t.NoServices, t.Portal, fmtTime(at)); err != nil {
					return fmt.Errorf("target %s: %w", t.Code, err)
				}
				res.Added++
				continue
			case err != nil:
				return err
			}
			if old.Kind != t.Kind {
				return fmt.Errorf("target %s: already registered as a %s, not a %s", t.Code, old.Kind, t.Kind)
			}
			of, nf := fieldsOf(old), fieldsOf(t)
			changed := false
			for _, f := range changeFields {
				if of[f] == nf[f] {
					continue
				}
				changed = true
				c := Change{Target: t.Code, Field: f, Old: of[f], New: nf[f], Source: source, At: at}
				res.Changes = append(res.Changes, c)
				if _, err := tx.Exec(`INSERT INTO target_changes (target, field, old_value, new_value, source, at) VALUES (?,?,?,?,?,?)`,
					c.Target, c.Field, c.Old, c.New, c.Source, fmtTime(at)); err != nil {
					return err
				}
			}
			if !changed {
				res.Unchanged++
				continue
			}
			if _, err := tx.Exec(`UPDATE targets SET name=?, sponsor=?, url=?, platform=?, status=?, region=?, no_services=?, portal=?, imported_at=? WHERE code=?`,
				t.Name, t.Sponsor, t.URL, t.Platform, t.Status, t.Region, t.NoServices, t.Portal, fmtTime(at), t.Code); err != nil {
				return err
			}
			res.Updated++
		}
		return nil
	})
	return res, err
}

// Targets lists the registry, of one kind or (kind "") all, by code.
func (db *DB) Targets(kind string) ([]model.Target, error) {
	return scanTargets(db.sql.Query(`SELECT `+targetCols+` FROM targets WHERE (? = '' OR kind = ?) ORDER BY kind DESC, code`, kind, kind))
}

// scanTargets reads a result of targetCols rows and closes it.
func scanTargets(rows *sql.Rows, err error) ([]model.Target, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Target
	for rows.Next() {
		t, err := scanTarget(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Target returns one target by code.
func (db *DB) Target(code string) (model.Target, error) {
	t, err := scanTarget(db.sql.QueryRow(`SELECT `+targetCols+` FROM targets WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("target %s: %w", code, ErrNotFound)
	}
	return t, err
}

// TargetChanges is the import history of one target, oldest first.
func (db *DB) TargetChanges(code string) ([]Change, error) {
	rows, err := db.sql.Query(`SELECT target, field, old_value, new_value, source, at FROM target_changes WHERE target = ? ORDER BY id`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var at string
		if err := rows.Scan(&c.Target, &c.Field, &c.Old, &c.New, &c.Source, &at); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
