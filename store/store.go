// Package store keeps everything in one SQLite file: the registry, rounds,
// observations (facts), findings (interpretations) and the append-only
// decision log. Plain database/sql, one function per query, a transaction
// per multi-row write.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure-Go driver, keeps CGO_ENABLED=0 builds
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open inspector database.
type DB struct {
	sql  *sql.DB
	path string
}

// ErrNotFound is returned when a named row does not exist.
var ErrNotFound = errors.New("not found")

// timeLayout is how times are stored: sortable text, UTC.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// dateLayout is how dates (check points, deadlines) are stored.
const dateLayout = "2006-01-02"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func parseDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(dateLayout, s)
	return t
}

// Open opens (creating if needed) the database at path and brings its
// schema up to date.
func Open(path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db := &DB{sql: sdb, path: path}
	if err := db.migrate(); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// SQL exposes the handle for packages of this module that need a query
// not worth a function here (tests, integrity checks).
func (db *DB) SQL() *sql.DB { return db.sql }

// SchemaVersion is the number of migrations applied.
func (db *DB) SchemaVersion() (int, error) {
	var v int
	err := db.sql.QueryRow(`PRAGMA user_version`).Scan(&v)
	return v, err
}

func (db *DB) migrate() error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	cur, err := db.SchemaVersion()
	if err != nil {
		return err
	}
	if cur > len(names) {
		return fmt.Errorf("schema version %d is newer than this program knows (%d): use a newer inspector", cur, len(names))
	}
	for i := cur; i < len(names); i++ {
		b, err := migrations.ReadFile(names[i])
		if err != nil {
			return err
		}
		err = db.tx(context.Background(), func(tx *sql.Tx) error {
			if _, err := tx.Exec(string(b)); err != nil {
				return fmt.Errorf("migration %s: %w", names[i], err)
			}
			_, err := tx.Exec(`PRAGMA user_version = ` + strconv.Itoa(i+1))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// tx runs fn in one transaction: everything or nothing.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict.
func (db *DB) IntegrityCheck() (string, error) {
	var s []string
	rows, err := db.sql.Query(`PRAGMA integrity_check`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		s = append(s, line)
	}
	return strings.Join(s, "; "), rows.Err()
}

// Backup writes a consistent copy of the database to path while it may be
// in use (VACUUM INTO reads one snapshot).
func (db *DB) Backup(path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup %s: file exists", path)
	}
	if _, err := db.sql.Exec(`VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("backup %s: %w", path, err)
	}
	return nil
}
