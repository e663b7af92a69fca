-- 0004: what 오늘의 상승종목 needs to survive a restart: the kind of listing (ETF/ETN/우선주 are
-- excluded from the ranking), the first trading day (신규상장), the 기준가 behind 상한가, and
-- whether a quote is an end-of-day figure (the widget then says "MM.DD 장종료").

ALTER TABLE market_instruments ADD COLUMN kind TEXT NOT NULL DEFAULT 'common'
    CHECK (kind IN ('common','preferred','etf','etn'));
ALTER TABLE market_instruments ADD COLUMN listing_day INTEGER NOT NULL DEFAULT 0;  -- YYYYMMDD

ALTER TABLE market_quotes ADD COLUMN base_price INTEGER;                     -- Decimal units
ALTER TABLE market_quotes ADD COLUMN end_of_day INTEGER NOT NULL DEFAULT 0;
