// 오늘의 상승종목: ranking rules for KRX stocks, the KRX tick grid and 상한가 (limit-up), and how
// the widget says how old its data is.
//
// Ranking uses the exchange's own 등락률 (fltRt / FLUC_RT, carried in Quote::change_ppm) and never
// recomputes it from the previous close: on ex-rights, dividend and split days the 기준가 is an
// adjusted price, and only the exchange's figure is right.
//
// Classification rules (classify_stock):
//   - ETN: the name contains "ETN" (every KRX ETN's name does, e.g. "신한 인버스 WTI원유 선물
//   ETN").
//   - ETF: the name starts with a listed ETF brand (KODEX, TIGER, RISE, KBSTAR, ACE, SOL, PLUS,
//     HANARO, KOSEF, ARIRANG, TIMEFOLIO, KIWOOM, …) followed by a space.
//   - 우선주: for a 6-character KRX short code, the code decides: common shares end in '0', every
//     class of preferred share in something else (005935 삼성전자우, 00104K CJ4우(전환)). Names
//     alone mislead (006800 미래에셋대우 was a common share whose name ends in 우), so the name
//     rule (ends in 우, 우B, a digit + 우/우B, or 우(전환)) is used only when the code is not a
//     6-character short code.
//   - otherwise a common share.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "market/krx_calendar.hpp"
#include "market/model.hpp"

namespace sinmun::market {

struct GainerRules {
    std::size_t limit = 10;
    // Markets to rank (Instrument::market); empty: every market, merged into one list.
    std::vector<std::string> markets = {"KOSPI", "KOSDAQ"};
    std::int64_t min_trade_value = 0;  // 거래대금 floor in KRW
    bool only_rising = true;           // a gainers list never shows flat or falling names
    bool exclude_first_day = true;     // 신규상장: the day's quote is against the IPO price
    bool exclude_etf_etn = true;
    bool exclude_preferred = true;
    bool exclude_halted = true;
};

// Why a row is left out (nullopt: it may be ranked). For tests and diagnostics.
std::optional<std::string> exclusion_reason(const StockRow& row, const GainerRules& rules);

// Ranks by change_ppm (best first); ties by trade value (larger first), then code. Rows without
// a change rate are never ranked.
std::vector<StockRow> rank_gainers(std::span<const StockRow> universe, const GainerRules& rules);

// The classification rules above. `code` is the 6-character short code.
StockKind classify_stock(std::string_view code, std::string_view name);
bool is_preferred_share(std::string_view code, std::string_view name);
const char* to_wire(StockKind kind);  // "common" | "preferred" | "etf" | "etn"
std::optional<StockKind> parse_stock_kind(std::string_view text);

// KRX 호가가격단위 for a price on trading day `yyyymmdd` (0: today's rules) of `market`.
// From 2023-01-25 KOSPI and KOSDAQ share one table: <2,000: 1; <5,000: 5; <20,000: 10;
// <50,000: 50; <200,000: 100; <500,000: 500; else 1,000. Before that day: KOSPI <1,000: 1;
// <5,000: 5; <10,000: 10; <50,000: 50; <100,000: 100; <500,000: 500; else 1,000, and KOSDAQ the
// same up to 50,000, then 100.
Decimal krx_tick_size(Decimal price, int yyyymmdd = 0, std::string_view market = "KOSPI");

// 상한가 of a 기준가: base × 1.3, truncated down to the tick size of the resulting price level.
Decimal krx_limit_up_price(Decimal base, int yyyymmdd = 0, std::string_view market = "KOSPI");

// 상한가 marking: the 등락률 is at least +29.5 % and the price equals the limit price on the tick
// grid. With a known 기준가 that is checked directly; without one, a whole-won 기준가 is searched
// that is consistent with the 등락률 (as published, to 0.01 %) and whose limit price is `price`.
bool is_limit_up(Decimal price, std::optional<std::int64_t> change_ppm, std::optional<Decimal> base,
                 int yyyymmdd = 0, std::string_view market = "KOSPI");

// YYYYMMDD of the KST calendar day of a unix-ms instant.
int kst_day(std::int64_t unix_ms);

// How old the 상승종목 data is, for the widget's state line:
//   - no stock quotes: the calendar's own marker ("장중" / "MM.DD 장종료");
//   - end-of-day data: "MM.DD 장종료" of the newest quote's trading day (the import may lag the
//     calendar: the public data set is published the next business day);
//   - intraday pushes: during the session and under `live_window_ms` old: "N분 지연" (N ≥ 1) or
//     "장중" (under a minute); after the close of the quote's day: "MM.DD 장종료"; otherwise
//     "HH:MM 기준" (prefixed "MM.DD " when it is not today's).
struct StockDelay {
    KrxState state = KrxState::closed;
    std::string marker;
    bool end_of_day = false;
    std::optional<std::int64_t> as_of_ms;  // newest stock quote
    std::int64_t delay_ms = 0;             // now − as_of (0 without quotes)
};
StockDelay stock_delay(const KrxCalendar& calendar, std::int64_t now_ms,
                       std::span<const StockRow> stocks,
                       std::int64_t live_window_ms = 30 * 60 * 1000);

}  // namespace sinmun::market
