-- 0005: the crypto feed's rolling 24-hour minute ring (market-data.md §3), so a restart keeps the
-- 24 h reference. One row per market and minute (unix ms / 60000); the feed upserts the changed
-- minutes once a minute and prunes rows older than the window in the same transaction (about
-- 17k rows for 12 markets). Unknown minutes are not stored.

CREATE TABLE market_minutes (
    code    TEXT    NOT NULL,
    minute  INTEGER NOT NULL,
    close   INTEGER NOT NULL,  -- Decimal units (1/10,000)
    last_ms INTEGER NOT NULL,  -- exchange time of the trade that set the close
    state   INTEGER NOT NULL CHECK (state IN (1, 2, 3)),  -- SlotState: traded/carried/backfilled
    PRIMARY KEY (code, minute)
) WITHOUT ROWID;
