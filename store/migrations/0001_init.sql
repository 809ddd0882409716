-- Targets as the registry lists them; code is the registry's identity.
CREATE TABLE targets (
    code        TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('site', 'account')),
    name        TEXT NOT NULL,
    sponsor     TEXT NOT NULL DEFAULT '',
    url         TEXT NOT NULL DEFAULT '',
    platform    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    no_services INTEGER NOT NULL DEFAULT 0,
    portal      INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL
);

-- What each re-import changed, field by field (the registry-mismatch
-- checks read the URL history from here).
CREATE TABLE target_changes (
    id        INTEGER PRIMARY KEY,
    target    TEXT NOT NULL REFERENCES targets(code),
    field     TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    source    TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX target_changes_target ON target_changes(target);

CREATE TABLE rounds (
    name     TEXT PRIMARY KEY,
    as_of    TEXT NOT NULL,
    seed     INTEGER NOT NULL,
    deadline TEXT NOT NULL DEFAULT '',
    previous TEXT NOT NULL DEFAULT '',
    created  TEXT NOT NULL
);

-- The round's sample, and who checks what.
CREATE TABLE round_members (
    round     TEXT NOT NULL REFERENCES rounds(name),
    target    TEXT NOT NULL REFERENCES targets(code),
    inspector TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round, target)
);

-- Observations: what the probe saw (facts). data is compressed JSON.
CREATE TABLE observations (
    id     INTEGER PRIMARY KEY,
    round  TEXT NOT NULL REFERENCES rounds(name),
    target TEXT NOT NULL REFERENCES targets(code),
    kind   TEXT NOT NULL,
    at     TEXT NOT NULL,
    data   BLOB NOT NULL
);
CREATE INDEX observations_round_target ON observations(round, target, kind);

-- Screenshots, once per content hash.
CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    data BLOB NOT NULL
);

-- Findings: interpretations. uid is stable across re-analysis and
-- databases. gone marks a machine finding that the latest analysis no
-- longer produces (kept so decisions on it keep their referent).
CREATE TABLE findings (
    uid        TEXT PRIMARY KEY,
    round      TEXT NOT NULL REFERENCES rounds(name),
    target     TEXT NOT NULL REFERENCES targets(code),
    indicator  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('probe', 'inspector')),
    confidence TEXT NOT NULL DEFAULT '',
    evidence   TEXT NOT NULL DEFAULT '[]',
    count      INTEGER NOT NULL DEFAULT 1,
    gone       INTEGER NOT NULL DEFAULT 0,
    created    TEXT NOT NULL
);
CREATE INDEX findings_round_target ON findings(round, target);

-- Decisions: append-only. uid is unique across laptops for merging.
CREATE TABLE decisions (
    uid     TEXT PRIMARY KEY,
    finding TEXT NOT NULL REFERENCES findings(uid),
    action  TEXT NOT NULL CHECK (action IN ('confirm', 'dismiss', 'reopen')),
    note    TEXT NOT NULL DEFAULT '',
    by      TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX decisions_finding ON decisions(finding, at);

CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_append_only_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

-- Notes on a target in a round (the inspector's, append-only too).
CREATE TABLE notes (
    uid    TEXT PRIMARY KEY,
    round  TEXT NOT NULL REFERENCES rounds(name),
    target TEXT NOT NULL REFERENCES targets(code),
    text   TEXT NOT NULL,
    by     TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX notes_round_target ON notes(round, target);

-- A target marked as reviewed in a round (accept-all, or the inspector
-- finished it). Append-only; the latest mark counts.
CREATE TABLE reviews (
    uid    TEXT PRIMARY KEY,
    round  TEXT NOT NULL REFERENCES rounds(name),
    target TEXT NOT NULL REFERENCES targets(code),
    by     TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX reviews_round_target ON reviews(round, target);
