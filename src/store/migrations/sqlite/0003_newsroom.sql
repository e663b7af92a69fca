-- 0003: the newsroom. Scheduling, imports' external ids, correction notices and revisions.

ALTER TABLE articles ADD COLUMN scheduled_at INTEGER NOT NULL DEFAULT 0;  -- 0: not scheduled
ALTER TABLE articles ADD COLUMN external_id TEXT NOT NULL DEFAULT '';     -- '' : not imported

-- The scheduler's "what is due next".
CREATE INDEX articles_scheduled ON articles(scheduled_at) WHERE status = 'scheduled';
-- Re-imports are deduplicated by the source's id.
CREATE UNIQUE INDEX articles_external_id ON articles(external_id) WHERE external_id <> '';

-- Correction notices (정정/반론/추후보도), append-only in practice, oldest first.
CREATE TABLE article_corrections (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('correction','rebuttal','follow_up')),
    text       TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;

-- The history of each article. The newest revision's payload is the full encoded content
-- (news::encode_content); every older one is a reverse delta against the next (news/revision.hpp),
-- so a long history of small edits stays small. encoding: 'full' | 'delta', either optionally
-- zlib-compressed ('full.z', 'delta.z').
CREATE TABLE article_revisions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    user_id    INTEGER NOT NULL DEFAULT 0,
    actor      TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    changed    TEXT NOT NULL DEFAULT '',   -- comma-separated field names
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    encoding   TEXT NOT NULL,
    payload    BLOB NOT NULL,
    PRIMARY KEY (article_id, number)
) WITHOUT ROWID;
