// Market values: instruments, quotes and what the two widgets show.
// Thread-safety: plain values.
#pragma once

#include "core/decimal.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sinmun::market {

enum class AssetClass { crypto, stock };

// What kind of KRX listing a stock instrument is (market/gainers.hpp classifies imported rows;
// the push API may say so explicitly). Spelt as in the database and JSON.
enum class StockKind {
    common,     // 보통주
    preferred,  // 우선주 (우, 우B, 2우B …)
    etf,
    etn,
};

struct Instrument {
    std::string code;  // "KRW-BTC" or "005930"
    std::string name;  // 비트코인 / 삼성전자
    AssetClass asset = AssetClass::crypto;
    std::string market;  // "UPBIT", "KOSPI", "KOSDAQ"
    int position = 0;    // display order in its widget
    // Stocks only:
    StockKind kind = StockKind::common;
    int listing_day = 0;  // first trading day as YYYYMMDD (신규상장); 0: unknown
};

// The latest quote of an instrument. For crypto, change_ppm is the rolling 24-hour change
// computed by market/; for stocks it is the exchange's own 등락률 (fltRt) in ppm.
struct Quote {
    std::string code;
    Decimal price;
    std::optional<std::int64_t> change_ppm;  // nullopt: no reference yet (신규) → shown as "—"
    int tick = 0;                            // direction of the last print: +1, 0, -1
    std::int64_t trade_value = 0;            // 거래대금 in KRW (stocks), informational
    std::int64_t as_of_ms = 0;               // exchange time of the quote (unix ms)
    bool limit_up = false;                   // 상한가
    bool halted = false;                     // 거래정지
    // Stocks only:
    std::optional<Decimal> base_price;  // 기준가 (prior close, adjusted): the 상한가 reference
    bool end_of_day = false;            // an end-of-day figure (import), not an intraday push
};

// The rolling 24-hour window's minute ring (market/rolling_window.hpp, market-data.md §3).
// A slot's state, persisted as its integer value: do not renumber.
enum class SlotState : std::uint8_t { unknown = 0, traded = 1, carried = 2, backfilled = 3 };

// One minute's close, as persisted (MarketStore::save_minutes) and restored.
struct MinuteClose {
    std::string code;         // the market ("KRW-BTC"); empty inside a RollingWindow
    std::int64_t minute = 0;  // unix ms / 60000
    Decimal close;
    std::int64_t last_ms = 0;  // exchange time of the trade that set it (carried: the source's)
    SlotState state = SlotState::unknown;
};

enum class KrxState { pre_open, open, closed, holiday };  // 장전 / 장중 / 장종료 / 휴장

// What the widgets render: rows in display order plus the state line.
struct CryptoRow {
    Instrument instrument;
    Quote quote;
    bool stale = false;
    std::uint64_t seq = 0;  // Snapshot::seq at which this row last changed (value or stale flag)
};

struct StockRow {
    Instrument instrument;
    Quote quote;
    std::uint64_t seq = 0;  // Snapshot::seq at which this row last changed
};

struct Snapshot {
    std::uint64_t seq = 0;  // increases with every applied change
    std::int64_t as_of_ms = 0;
    bool demo = false;              // values come from the demo simulator
    std::vector<CryptoRow> crypto;  // in widget order
    std::vector<StockRow> gainers;  // top gainers, best first
    KrxState krx_state = KrxState::closed;
    std::string krx_marker;     // "11.11 장종료" / "장중" / "장전" / "휴장"
    std::string stock_source;   // "KRX 종가 기준 (데모)" …
    std::string crypto_source;  // "업비트 KRW 마켓 · 24시간 변동률 기준"
    // Consumers that send deltas (SSE) compare these with the seq they last sent:
    std::uint64_t stocks_seq = 0;  // last change of gainers, state, marker or stock source
    std::uint64_t layout_seq = 0;  // last change of the crypto row set, a source or demo
};

}  // namespace sinmun::market
