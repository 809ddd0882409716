package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// A bundle is an ordinary inspector database holding one round for some
// of its targets, made by Pack on the office machine and carried to a
// laptop with no network. The laptop reviews it like any database; Merge
// folds what was decided there back into the home database.
//
// Everything a laptop writes is append-only with random uids (decisions,
// notes, review marks) or keyed by a stable uid (findings), so a merge is
// a set union: merging twice changes nothing and bundles merge in any
// order to the same state.

// Origin is what a bundle records about where it came from (the meta
// table's bundle_* keys).
type Origin struct {
	BundleID    string    // drawn when the bundle was packed
	Source      string    // db_id of the database it was packed from
	Round       string    // the round it holds
	AsOf        time.Time // the round's check point
	Fingerprint string    // registry fingerprint of its targets, see Fingerprint
	TargetsOf   string    // the inspector whose targets it holds ("" = all)
	PackedAt    time.Time
}

// PackOptions select what goes into a bundle.
type PackOptions struct {
	Round string
	// TargetsOf keeps only the targets assigned to this inspector in the
	// round (round assign); empty keeps every target of the round.
	TargetsOf string
	// At is the packing time recorded in the bundle (default: now).
	At time.Time
}

// PackResult counts what a bundle holds.
type PackResult struct {
	BundleID                                                          string
	Targets, Observations, Blobs, Findings, Decisions, Notes, Reviews int
	Bytes                                                             int64
}

// MergeResult counts what one merge brought home (rows that were new).
type MergeResult struct {
	File        string
	BundleID    string
	Round       string
	TargetsOf   string
	Again       bool // this bundle had been merged before
	Findings    int
	Decisions   int
	Notes       int
	Reviews     int
	Observation int
	Blobs       int
	// Conflicts is the number of findings of the round on which
	// inspectors' latest decisions now disagree.
	Conflicts int
}

// ID is the database's own id, drawn once when the file was created.
func (db *DB) ID() (string, error) {
	var id string
	if err := db.sql.QueryRow(`SELECT value FROM meta WHERE key = 'db_id'`).Scan(&id); err != nil {
		return "", fmt.Errorf("database id of %s: %w", db.path, err)
	}
	return id, nil
}

// Origin returns the bundle's origin; ok is false when the database is
// not a bundle.
func (db *DB) Origin() (o Origin, ok bool, err error) {
	m, err := readMeta(db.sql, "main")
	if err != nil {
		return o, false, err
	}
	return originOf(m)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func readMeta(q querier, schema string) (map[string]string, error) {
	rows, err := q.QueryContext(context.Background(), `SELECT key, value FROM `+schema+`.meta`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, rows.Err()
}

func originOf(m map[string]string) (Origin, bool, error) {
	if m["bundle_id"] == "" {
		return Origin{}, false, nil
	}
	o := Origin{
		BundleID: m["bundle_id"], Source: m["bundle_source"], Round: m["bundle_round"],
		AsOf: parseDate(m["bundle_as_of"]), Fingerprint: m["bundle_fingerprint"],
		TargetsOf: m["bundle_targets_of"], PackedAt: parseTime(m["bundle_packed_at"]),
	}
	if o.Round == "" || o.Fingerprint == "" {
		return o, false, fmt.Errorf("bundle %s: origin incomplete (round %q, fingerprint %q)", o.BundleID, o.Round, o.Fingerprint)
	}
	return o, true, nil
}

// Fingerprint is the registry fingerprint of targets (codes) as this
// database knows them: sha256 over the sorted lines "code\turl". A bundle
// records the fingerprint of its targets when packed; the home database
// must still compute the same one for a merge.
func (db *DB) Fingerprint(codes []string) (string, error) {
	conn, err := db.sql.Conn(context.Background())
	if err != nil {
		return "", err
	}
	defer conn.Close()
	fp, _, err := fingerprint(conn, "main", codes)
	return fp, err
}

// fingerprint also returns each code's url ("" marks a code the schema
// does not know).
func fingerprint(q querier, schema string, codes []string) (string, map[string]string, error) {
	urls := make(map[string]string, len(codes))
	sorted := append([]string(nil), codes...)
	sort.Strings(sorted)
	h := sha256.New()
	for _, c := range sorted {
		rows, err := q.QueryContext(context.Background(), `SELECT url FROM `+schema+`.targets WHERE code = ?`, c)
		if err != nil {
			return "", nil, err
		}
		u, found := "", false
		for rows.Next() {
			found = true
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return "", nil, err
			}
		}
		if err := rows.Close(); err != nil {
			return "", nil, err
		}
		if !found {
			u = "\x00missing"
		}
		urls[c] = u
		fmt.Fprintf(h, "%s\t%s\n", c, u)
	}
	return hex.EncodeToString(h.Sum(nil)), urls, nil
}

// sqliteURI names a file for ATTACH, with SQLite URI parameters.
func sqliteURI(path, query string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	abs = filepath.ToSlash(abs)
	if !strings.HasPrefix(abs, "/") {
		abs = "/" + abs // C:/x → /C:/x
	}
	u := url.URL{Scheme: "file", Path: abs, RawQuery: query}
	return u.String(), nil
}

// withAttached runs fn on one connection of db with the file at path
// attached as schema, detaching afterwards. A connection that fails to
// detach is discarded rather than returned to the pool.
func (db *DB) withAttached(ctx context.Context, path, query, schema string, fn func(*sql.Conn) error) error {
	uri, err := sqliteURI(path, query)
	if err != nil {
		return err
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS `+schema, uri); err != nil {
		return err
	}
	ferr := fn(conn)
	if _, err := conn.ExecContext(context.Background(), `DETACH DATABASE `+schema); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
		if ferr == nil {
			ferr = fmt.Errorf("detach %s: %w", path, err)
		}
	}
	return ferr
}

// hashesIn calls fn with every run of exactly 64 lowercase hex digits in
// b: the content addresses of blobs (a linear scan; a regexp is ten
// times slower on hundreds of MB of captures).
func hashesIn(b []byte, fn func(string)) {
	run := 0
	for i := 0; i <= len(b); i++ {
		if i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] >= 'a' && b[i] <= 'f') {
			run++
			continue
		}
		if run == 64 {
			fn(string(b[i-64 : i]))
		}
		run = 0
	}
}

// Pack writes a bundle of a round to path (which must not exist): the
// round, its selected targets with their registry history, their
// observations and the screenshots these and the findings reference,
// findings, decisions, notes and review marks. The bundle is written
// beside path and renamed into place when complete; it is one file (no
// WAL) and opens with Open like any database.
func (db *DB) Pack(path string, opt PackOptions) (PackResult, error) {
	var res PackResult
	fail := func(err error) (PackResult, error) { return res, fmt.Errorf("pack %s: %w", path, err) }
	if _, err := os.Stat(path); err == nil {
		return fail(errors.New("file exists"))
	}
	if opt.At.IsZero() {
		opt.At = time.Now()
	}
	r, err := db.Round(opt.Round)
	if err != nil {
		return fail(err)
	}
	srcID, err := db.ID()
	if err != nil {
		return fail(err)
	}
	tmp := path + ".packing"
	for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"} {
		os.Remove(p)
	}
	bdb, err := Open(tmp)
	if err != nil {
		return fail(err)
	}
	cleanup := func() {
		bdb.Close()
		for _, p := range []string{tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"} {
			os.Remove(p)
		}
	}
	bid, err := bdb.ID()
	if err != nil {
		cleanup()
		return fail(err)
	}
	res.BundleID = bid
	ctx := context.Background()
	err = db.withAttached(ctx, tmp, "", "bundle", func(conn *sql.Conn) error {
		// A deferred transaction: one snapshot of the home database,
		// which other writers may go on writing meanwhile.
		if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
			return err
		}
		if err := packTx(ctx, conn, r.Name, opt, srcID, &res); err != nil {
			conn.ExecContext(context.Background(), `ROLLBACK`)
			return err
		}
		_, err := conn.ExecContext(ctx, `COMMIT`)
		return err
	})
	if err == nil {
		_, err = bdb.sql.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	if err == nil {
		_, err = bdb.sql.Exec(`PRAGMA journal_mode = DELETE`)
	}
	if err == nil {
		err = bdb.Close()
	}
	if err == nil {
		if _, serr := os.Stat(path); serr == nil {
			err = errors.New("file exists")
		} else {
			err = os.Rename(tmp, path)
		}
	}
	if err != nil {
		cleanup()
		return fail(err)
	}
	if fi, err := os.Stat(path); err == nil {
		res.Bytes = fi.Size()
	}
	return res, nil
}

func packTx(ctx context.Context, conn *sql.Conn, round string, opt PackOptions, srcID string, res *PackResult) error {
	// sel is the selected targets: members of the round, of one inspector
	// or all. ?1 is the round, ?2 the inspector.
	const sel = `(SELECT target FROM main.round_members WHERE round = ?1 AND (?2 = '' OR inspector = ?2))`
	args := []any{round, opt.TargetsOf}
	codes, err := scanStrings(conn.QueryContext(ctx, `SELECT target FROM main.round_members WHERE round = ?1 AND (?2 = '' OR inspector = ?2) ORDER BY target`, args...))
	if err != nil {
		return err
	}
	if len(codes) == 0 {
		if opt.TargetsOf != "" {
			return fmt.Errorf("no target of round %s is assigned to %s (inspector round assign %s --to %s --targets …)", round, opt.TargetsOf, round, opt.TargetsOf)
		}
		return fmt.Errorf("round %s has no targets", round)
	}
	res.Targets = len(codes)
	fp, _, err := fingerprint(conn, "main", codes)
	if err != nil {
		return err
	}
	steps := []struct {
		n   *int
		sql string
	}{
		{nil, `INSERT INTO bundle.targets SELECT * FROM main.targets WHERE code IN ` + sel},
		{nil, `INSERT INTO bundle.target_changes SELECT * FROM main.target_changes WHERE target IN ` + sel},
		{nil, `INSERT INTO bundle.rounds SELECT * FROM main.rounds WHERE name = ?1 AND ?2 = ?2`},
		{nil, `INSERT INTO bundle.round_members SELECT * FROM main.round_members WHERE round = ?1 AND target IN ` + sel},
		{&res.Observations, `INSERT INTO bundle.observations SELECT * FROM main.observations WHERE round = ?1 AND target IN ` + sel},
		{&res.Findings, `INSERT INTO bundle.findings SELECT * FROM main.findings WHERE round = ?1 AND target IN ` + sel},
		{&res.Decisions, `INSERT INTO bundle.decisions SELECT * FROM main.decisions WHERE finding IN (SELECT uid FROM bundle.findings WHERE round = ?1) AND ?2 = ?2`},
		{&res.Notes, `INSERT INTO bundle.notes SELECT * FROM main.notes WHERE round = ?1 AND target IN ` + sel},
		{&res.Reviews, `INSERT INTO bundle.reviews SELECT * FROM main.reviews WHERE round = ?1 AND target IN ` + sel},
	}
	for _, s := range steps {
		r, err := conn.ExecContext(ctx, s.sql, args...)
		if err != nil {
			return fmt.Errorf("copy: %w", err)
		}
		if s.n != nil {
			n, _ := r.RowsAffected()
			*s.n = int(n)
		}
	}
	// The previous round's verdict material for the same targets (its
	// findings and their decisions, no observations), so that a laptop can
	// show what was dismissed last time. Merge brings back only decisions
	// on these findings, nothing else of that round.
	var prev string
	if err := conn.QueryRowContext(ctx, `SELECT p.name FROM main.rounds r JOIN main.rounds p ON p.name = r.previous WHERE r.name = ?`, round).Scan(&prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if prev != "" {
		pargs := []any{round, opt.TargetsOf, prev}
		for _, q := range []string{
			`INSERT INTO bundle.rounds SELECT * FROM main.rounds WHERE name = ?3 AND ?1 = ?1 AND ?2 = ?2`,
			`INSERT INTO bundle.round_members SELECT * FROM main.round_members WHERE round = ?3 AND target IN ` + sel,
			`INSERT INTO bundle.findings SELECT * FROM main.findings WHERE round = ?3 AND target IN ` + sel,
			`INSERT INTO bundle.decisions SELECT d.* FROM main.decisions d JOIN main.findings f ON f.uid = d.finding WHERE f.round = ?3 AND f.target IN ` + sel,
		} {
			if _, err := conn.ExecContext(ctx, q, pargs...); err != nil {
				return fmt.Errorf("previous round %s: %w", prev, err)
			}
		}
	}

	// Screenshots referenced by the observations (inside their compressed
	// JSON) and by the findings' evidence.
	hashes := map[string]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT data FROM bundle.observations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var z []byte
		if err := rows.Scan(&z); err != nil {
			rows.Close()
			return err
		}
		b, err := decompress(z)
		if err != nil {
			rows.Close()
			return fmt.Errorf("observation: %w", err)
		}
		hashesIn(b, func(h string) { hashes[h] = true })
	}
	if err := rows.Close(); err != nil {
		return err
	}
	rows, err = conn.QueryContext(ctx, `SELECT evidence FROM bundle.findings`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var ev string
		if err := rows.Scan(&ev); err != nil {
			rows.Close()
			return err
		}
		hashesIn([]byte(ev), func(h string) { hashes[h] = true })
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for h := range hashes {
		r, err := conn.ExecContext(ctx, `INSERT OR IGNORE INTO bundle.blobs SELECT * FROM main.blobs WHERE hash = ?`, h)
		if err != nil {
			return fmt.Errorf("blob %s: %w", h, err)
		}
		n, _ := r.RowsAffected()
		res.Blobs += int(n)
	}
	var asOf string
	if err := conn.QueryRowContext(ctx, `SELECT as_of FROM main.rounds WHERE name = ?`, round).Scan(&asOf); err != nil {
		return err
	}
	for k, v := range map[string]string{
		"bundle_id": res.BundleID, "bundle_source": srcID, "bundle_round": round, "bundle_as_of": asOf,
		"bundle_fingerprint": fp, "bundle_targets_of": opt.TargetsOf, "bundle_packed_at": fmtTime(opt.At),
	} {
		if _, err := conn.ExecContext(ctx, `INSERT OR REPLACE INTO bundle.meta (key, value) VALUES (?, ?)`, k, v); err != nil {
			return err
		}
	}
	return nil
}

// Merge folds a bundle back into this database in one transaction:
// findings (the inspector's own, and machine findings this database does
// not have), decisions (also those on the previous round's findings the
// bundle carries), notes and review marks by uid, observations this
// database does not have (same round, target, kind and time) and the
// screenshots. Nothing here is overwritten, so merging twice changes
// nothing and bundles merge in any order to the same state; when two
// inspectors decided a finding differently both decisions stay and the
// later one stands (Conflicts lists it).
//
// A bundle of a round this database does not have, with another check
// point, or whose targets this database registers differently (the
// registry fingerprint), is refused.
func (db *DB) Merge(path string, at time.Time) (MergeResult, error) {
	res := MergeResult{File: path}
	name := filepath.Base(path)
	fail := func(err error) (MergeResult, error) { return res, fmt.Errorf("merge %s: %w", name, err) }
	if fi, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fail(errors.New("no such file"))
	} else if err != nil {
		return fail(err)
	} else if fi.IsDir() {
		return fail(errors.New("is a directory"))
	}
	ctx := context.Background()
	err := db.withAttached(ctx, path, "mode=ro", "bundle", func(conn *sql.Conn) error {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := mergeTx(ctx, tx, path, at, &res); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	})
	if err != nil {
		return fail(err)
	}
	c, err := db.Conflicts(res.Round)
	if err != nil {
		return fail(err)
	}
	res.Conflicts = len(c)
	return res, nil
}

func mergeTx(ctx context.Context, tx *sql.Tx, path string, at time.Time, res *MergeResult) error {
	var bv, hv int
	if err := tx.QueryRowContext(ctx, `PRAGMA bundle.user_version`).Scan(&bv); err != nil {
		return fmt.Errorf("not an inspector database: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `PRAGMA main.user_version`).Scan(&hv); err != nil {
		return err
	}
	if bv == 0 {
		return errors.New("not an inspector database")
	}
	if bv > hv {
		return fmt.Errorf("made by a newer inspector (schema %d, this one knows %d)", bv, hv)
	}
	if bv < 2 {
		return errors.New("not a bundle (no origin recorded: make bundles with inspector pack)")
	}
	bm, err := readMeta(tx, "bundle")
	if err != nil {
		return err
	}
	hm, err := readMeta(tx, "main")
	if err != nil {
		return err
	}
	if bm["db_id"] == hm["db_id"] {
		return errors.New("not a bundle: it is this database or a copy of it")
	}
	o, ok, err := originOf(bm)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("not a bundle (no origin recorded: make bundles with inspector pack)")
	}
	res.BundleID, res.Round, res.TargetsOf = o.BundleID, o.Round, o.TargetsOf

	// Same round, same check point.
	var asOf string
	err = tx.QueryRowContext(ctx, `SELECT as_of FROM main.rounds WHERE name = ?`, o.Round).Scan(&asOf)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("round %s is not in this database (the bundle is from another database's round)", o.Round)
	}
	if err != nil {
		return err
	}
	if asOf != fmtDate(o.AsOf) {
		return fmt.Errorf("round %s has check point %s here, %s in the bundle", o.Round, asOf, fmtDate(o.AsOf))
	}

	// Same registry: the bundle's targets are members of the round here,
	// with the addresses they had when packed.
	codes, err := scanStrings(tx.QueryContext(ctx, `SELECT target FROM bundle.round_members WHERE round = ? ORDER BY target`, o.Round))
	if err != nil {
		return err
	}
	for _, c := range codes {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM main.round_members WHERE round = ? AND target = ?`, o.Round, c).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("target %s of the bundle is not in round %s here (another registry or sample)", c, o.Round)
		}
	}
	fp, here, err := fingerprint(tx, "main", codes)
	if err != nil {
		return err
	}
	if fp != o.Fingerprint {
		_, there, err := fingerprint(tx, "bundle", codes)
		if err != nil {
			return err
		}
		for _, c := range codes {
			if here[c] != there[c] {
				return fmt.Errorf("another registry: target %s has url %s here, %s in the bundle (re-imported since packing?)", c, here[c], there[c])
			}
		}
		return fmt.Errorf("another registry: fingerprint %.12s here, %.12s in the bundle", fp, o.Fingerprint)
	}

	var seen int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM main.bundles WHERE id = ?`, o.BundleID).Scan(&seen); err != nil {
		return err
	}
	res.Again = seen > 0

	steps := []struct {
		n   *int
		sql string
	}{
		// Findings: new ones come home. Two copies of one inspector
		// finding (two laptops wrote the same indicator and subject)
		// settle on the earliest, whatever the order of merging.
		{&res.Findings, `INSERT INTO main.findings (uid, round, target, indicator, subject, detail, source, confidence, evidence, count, gone, created)
			SELECT uid, round, target, indicator, subject, detail, source, confidence, evidence, count, gone, created
			FROM bundle.findings WHERE round = ?1 ORDER BY uid
			ON CONFLICT (uid) DO UPDATE SET detail = excluded.detail, confidence = excluded.confidence, evidence = excluded.evidence,
				count = excluded.count, created = excluded.created, gone = excluded.gone
			WHERE findings.source = 'inspector' AND excluded.source = 'inspector'
			  AND (excluded.created, excluded.detail, excluded.evidence, excluded.count, excluded.gone) < (findings.created, findings.detail, findings.evidence, findings.count, findings.gone)`},
		{&res.Decisions, `INSERT OR IGNORE INTO main.decisions (uid, finding, action, note, by, at)
			SELECT d.uid, d.finding, d.action, d.note, d.by, d.at FROM bundle.decisions d JOIN bundle.findings f ON f.uid = d.finding
			WHERE f.round = ?1
			   OR (f.round = (SELECT previous FROM bundle.rounds WHERE name = ?1) AND EXISTS (SELECT 1 FROM main.findings m WHERE m.uid = d.finding))
			ORDER BY d.at, d.uid`},
		{&res.Notes, `INSERT OR IGNORE INTO main.notes (uid, round, target, text, by, at)
			SELECT uid, round, target, text, by, at FROM bundle.notes WHERE round = ?1 ORDER BY at, uid`},
		{&res.Reviews, `INSERT OR IGNORE INTO main.reviews (uid, round, target, by, at)
			SELECT uid, round, target, by, at FROM bundle.reviews WHERE round = ?1 ORDER BY at, uid`},
		{&res.Blobs, `INSERT OR IGNORE INTO main.blobs (hash, mime, data)
			SELECT hash, mime, data FROM bundle.blobs WHERE hash NOT IN (SELECT hash FROM main.blobs) AND ?1 = ?1 ORDER BY hash`},
		{&res.Observation, `INSERT INTO main.observations (round, target, kind, at, data)
			SELECT o.round, o.target, o.kind, o.at, o.data FROM bundle.observations o
			WHERE o.round = ?1 AND NOT EXISTS (SELECT 1 FROM main.observations m
				WHERE m.round = o.round AND m.target = o.target AND m.kind = o.kind AND m.at = o.at)
			ORDER BY o.at, o.target, o.kind, o.id`},
	}
	for _, s := range steps {
		r, err := tx.ExecContext(ctx, s.sql, o.Round)
		if err != nil {
			return err
		}
		n, _ := r.RowsAffected()
		*s.n = int(n)
	}
	_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO main.bundles (id, source, round, fingerprint, targets_of, packed_at, file, merged_at)
		VALUES (?,?,?,?,?,?,?,?)`, o.BundleID, o.Source, o.Round, o.Fingerprint, o.TargetsOf, fmtTime(o.PackedAt), path, fmtTime(at))
	return err
}

// MergedBundle is a bundle this database has merged.
type MergedBundle struct {
	ID, Source, Round, TargetsOf, File string
	PackedAt, MergedAt                 time.Time
}

// MergedBundles lists the bundles merged into this database, first merge
// first.
func (db *DB) MergedBundles() ([]MergedBundle, error) {
	rows, err := db.sql.Query(`SELECT id, source, round, targets_of, file, packed_at, merged_at FROM bundles ORDER BY merged_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MergedBundle
	for rows.Next() {
		var b MergedBundle
		var p, m string
		if err := rows.Scan(&b.ID, &b.Source, &b.Round, &b.TargetsOf, &b.File, &p, &m); err != nil {
			return nil, err
		}
		b.PackedAt, b.MergedAt = parseTime(p), parseTime(m)
		out = append(out, b)
	}
	return out, rows.Err()
}
