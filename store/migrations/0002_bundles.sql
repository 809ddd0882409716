-- Facts about this database file itself. db_id is drawn once, when the
-- file is created (or first migrated), and names it as a bundle's source.
-- A bundle made by `inspector pack` also records its origin here:
-- bundle_id, bundle_source, bundle_round, bundle_as_of,
-- bundle_fingerprint, bundle_targets_of, bundle_packed_at.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('db_id', lower(hex(randomblob(16))));

-- Bundles merged into this database (first merge of each; merging again
-- changes nothing).
CREATE TABLE bundles (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    round       TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    targets_of  TEXT NOT NULL DEFAULT '',
    packed_at   TEXT NOT NULL,
    file        TEXT NOT NULL,
    merged_at   TEXT NOT NULL
);

-- Merging looks observations up by what they are, not by id.
CREATE INDEX observations_identity ON observations(round, target, kind, at);
