-- 0001: the initial schema. Times are unix milliseconds (UTC); text is stored as given (NFC).
-- Prices are integer units of core/decimal.hpp's Decimal (1/10,000); rates are ppm.

CREATE TABLE sections (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE authors (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT ''
);

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    section_id   INTEGER NOT NULL REFERENCES sections(id),
    headline     TEXT NOT NULL,
    subtitle     TEXT NOT NULL DEFAULT '',
    label        TEXT NOT NULL DEFAULT '',
    body_md      TEXT NOT NULL DEFAULT '',
    excerpt      TEXT NOT NULL DEFAULT '',   -- plain text derived from body_md on save
    status       TEXT NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft','review','scheduled','published','unpublished')),
    created_at   INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    views        INTEGER NOT NULL DEFAULT 0,
    pin_rank     INTEGER                     -- NULL: not pinned in 주요 뉴스
);

-- The published list, newest first, overall and per section; pinned articles for 주요 뉴스.
CREATE INDEX articles_published ON articles(status, published_at DESC, id DESC);
CREATE INDEX articles_section_published ON articles(section_id, status, published_at DESC, id DESC);
CREATE INDEX articles_pinned ON articles(pin_rank) WHERE pin_rank IS NOT NULL;

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES authors(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX article_authors_author ON article_authors(author_id);

CREATE TABLE photos (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    src        TEXT NOT NULL,
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    alt        TEXT NOT NULL DEFAULT '',
    caption    TEXT NOT NULL DEFAULT '',
    credit     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX photos_article ON photos(article_id, position);

-- One row per vote that is on; kind is reactions::ReactionKind's integer value.
CREATE TABLE reactions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    reader_id  TEXT NOT NULL,
    kind       INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, reader_id, kind)
) WITHOUT ROWID;

-- Maintained in the same transaction as the votes, so counts are O(1) reads.
CREATE TABLE reaction_counts (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind       INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 3),
    n          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, kind)
) WITHOUT ROWID;

CREATE TABLE market_instruments (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    asset    TEXT NOT NULL CHECK (asset IN ('crypto','stock')),
    market   TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE market_quotes (
    code        TEXT PRIMARY KEY,
    price       INTEGER NOT NULL,       -- Decimal units (1/10,000)
    change_ppm  INTEGER,                -- NULL: no reference yet
    as_of       INTEGER NOT NULL DEFAULT 0,
    tick        INTEGER NOT NULL DEFAULT 0,
    trade_value INTEGER NOT NULL DEFAULT 0,
    limit_up    INTEGER NOT NULL DEFAULT 0,
    halted      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
