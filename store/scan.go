package store

import (
	"database/sql"
	"time"
)

// latestByTarget reads rows of (target, time) into a map: the shape of
// "when was each target last probed / reviewed".
func latestByTarget(rows *sql.Rows, err error) (map[string]time.Time, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var t, at string
		if err := rows.Scan(&t, &at); err != nil {
			return nil, err
		}
		out[t] = parseTime(at)
	}
	return out, rows.Err()
}

// scanStrings reads a one-column result and closes the rows.
func scanStrings(rows *sql.Rows, err error) ([]string, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
