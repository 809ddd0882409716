package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"
)

// Observation kinds.
const (
	ObsCapture = "capture" // one probe run over a target (probe.Capture as JSON)
	ObsVisit   = "visit"   // one availability visit (watch)
)

// Observation is a stored fact; Data is the caller's JSON, uncompressed.
type Observation struct {
	ID     int64
	Round  string
	Target string
	Kind   string
	At     time.Time
	Data   []byte
}

// Blob is a stored binary (a screenshot), addressed by content hash.
type Blob struct {
	Hash string
	Mime string
	Data []byte
}

// HashOf is the content address used for blobs.
func HashOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decompress(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// SaveObservation stores one observation and its blobs (each once by
// hash) in one transaction. It returns the observation's id.
func (db *DB) SaveObservation(o Observation, blobs []Blob) (int64, error) {
	z, err := compress(o.Data)
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.tx(context.Background(), func(tx *sql.Tx) error {
		for _, b := range blobs {
			if b.Hash == "" {
				b.Hash = HashOf(b.Data)
			}
			if _, err := tx.Exec(`INSERT OR IGNORE INTO blobs (hash, mime, data) VALUES (?,?,?)`, b.Hash, b.Mime, b.Data); err != nil {
				return err
			}
		}
		res, err := tx.Exec(`INSERT INTO observations (round, target, kind, at, data) VALUES (?,?,?,?,?)`,
			o.Round, o.Target, o.Kind, fmtTime(o.At), z)
		if err != nil {
			return fmt.Errorf("observation of %s: %w", o.Target, err)
		}
		id, err = res.LastInsertId()
		return err
	})
	return id, err
}

// Observations lists a round's observations of one kind, for one target
// or (target "") all, oldest first.
func (db *DB) Observations(round, target, kind string) ([]Observation, error) {
	rows, err := db.sql.Query(`SELECT id, round, target, kind, at, data FROM observations
		WHERE round = ? AND (? = '' OR target = ?) AND kind = ? ORDER BY id`, round, target, target, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Observation
	for rows.Next() {
		var o Observation
		var at string
		var z []byte
		if err := rows.Scan(&o.ID, &o.Round, &o.Target, &o.Kind, &at, &z); err != nil {
			return nil, err
		}
		o.At = parseTime(at)
		if o.Data, err = decompress(z); err != nil {
			return nil, fmt.Errorf("observation %d: %w", o.ID, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// LatestCaptures returns, per target, the newest capture of the round.
func (db *DB) LatestCaptures(round string) (map[string]Observation, error) {
	all, err := db.Observations(round, "", ObsCapture)
	if err != nil {
		return nil, err
	}
	out := map[string]Observation{}
	for _, o := range all {
		out[o.Target] = o
	}
	return out, nil
}

// Probed maps each target of the round that has a capture to the time of
// its newest one.
func (db *DB) Probed(round string) (map[string]time.Time, error) {
	return latestByTarget(db.sql.Query(`SELECT target, max(at) FROM observations WHERE round = ? AND kind = ? GROUP BY target`, round, ObsCapture))
}

// BlobData returns a stored blob by hash.
func (db *DB) BlobData(hash string) (Blob, error) {
	b := Blob{Hash: hash}
	err := db.sql.QueryRow(`SELECT mime, data FROM blobs WHERE hash = ?`, hash).Scan(&b.Mime, &b.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return b, fmt.Errorf("blob %s: %w", hash, ErrNotFound)
	}
	return b, err
}
