#include "market/gainers.hpp"

#include <algorithm>
#include <cstdio>

#include "core/kst.hpp"

namespace sinmun::market {

namespace {

constexpr int kUnifiedTickTableDay = 20230125;  // KOSPI/KOSDAQ 호가가격단위 unified

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

bool is_short_code(std::string_view code) {
    if (code.size() != 6) return false;
    for (char c : code)
        if (!is_ascii_digit(c) && !(c >= 'A' && c <= 'Z')) return false;
    return true;
}

bool preferred_name(std::string_view name) {
    if (ends_with(name, "우(전환)")) return true;
    if (ends_with(name, "우B")) return true;
    return ends_with(name, "우");
}

// Whole-won truncation down to a multiple of `step` (both in Decimal units).
Decimal floor_to(Decimal v, Decimal step) {
    if (step.units() <= 0) return v;
    const std::int64_t u = v.units();
    std::int64_t q = u / step.units();
    if (u < 0 && q * step.units() != u) --q;
    return Decimal::from_units(q * step.units());
}

std::string two(int v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", v);
    return buf;
}

}  // namespace

const char* to_wire(StockKind kind) {
    switch (kind) {
        case StockKind::common:
            return "common";
        case StockKind::preferred:
            return "preferred";
        case StockKind::etf:
            return "etf";
        case StockKind::etn:
            return "etn";
    }
    return "common";
}

std::optional<StockKind> parse_stock_kind(std::string_view text) {
    for (StockKind k : {StockKind::common, StockKind::preferred, StockKind::etf, StockKind::etn})
        if (text == to_wire(k)) return k;
    return std::nullopt;
}

bool is_preferred_share(std::string_view code, std::string_view name) {
    if (is_short_code(code)) return code.back() != '0';
    return preferred_name(name);
}

StockKind classify_stock(std::string_view code, std::string_view name) {
    if (name.find("ETN") != std::string_view::npos) return StockKind::etn;
    static constexpr std::string_view kEtfBrands[] = {
        "KODEX", "TIGER",   "RISE",     "KBSTAR",     "ACE",        "SOL",
        "PLUS",  "HANARO",  "KOSEF",    "ARIRANG",    "TIMEFOLIO",  "KIWOOM",
        "WON",   "BNK",     "UNICORN",  "FOCUS",      "TREX",       "1Q",
        "KoAct", "TRUSTON", "마이다스", "에셋플러스", "DAISHIN343", "히어로즈"};
    for (std::string_view brand : kEtfBrands) {
        if (name.size() > brand.size() && name.substr(0, brand.size()) == brand &&
            name[brand.size()] == ' ')
            return StockKind::etf;
    }
    if (is_preferred_share(code, name)) return StockKind::preferred;
    return StockKind::common;
}

Decimal krx_tick_size(Decimal price, int yyyymmdd, std::string_view market) {
    const std::int64_t won = price.units() / Decimal::kScale;
    auto d = [](std::int64_t v) { return Decimal::from_integer(v); };
    if (yyyymmdd == 0 || yyyymmdd >= kUnifiedTickTableDay) {
        if (won < 2'000) return d(1);
        if (won < 5'000) return d(5);
        if (won < 20'000) return d(10);
        if (won < 50'000) return d(50);
        if (won < 200'000) return d(100);
        if (won < 500'000) return d(500);
        return d(1'000);
    }
    if (won < 1'000) return d(1);
    if (won < 5'000) return d(5);
    if (won < 10'000) return d(10);
    if (won < 50'000) return d(50);
    if (market == "KOSDAQ") return d(100);
    if (won < 100'000) return d(100);
    if (won < 500'000) return d(500);
    return d(1'000);
}

Decimal krx_limit_up_price(Decimal base, int yyyymmdd, std::string_view market) {
    // base × 1.3 exactly in units (base has at most 4 places; ×13/10 may need one more: truncate,
    // which is what the tick truncation below does anyway).
    const Decimal raw = Decimal::from_units(base.units() * 13 / 10);
    return floor_to(raw, krx_tick_size(raw, yyyymmdd, market));
}

bool is_limit_up(Decimal price, std::optional<std::int64_t> change_ppm, std::optional<Decimal> base,
                 int yyyymmdd, std::string_view market) {
    constexpr std::int64_t kThresholdPpm = 295'000;  // +29.5 %
    if (!change_ppm || *change_ppm < kThresholdPpm || price.units() <= 0) return false;
    if (base) return base->units() > 0 && krx_limit_up_price(*base, yyyymmdd, market) == price;
    // The published rate is rounded to 0.01 % (100 ppm): the true rate lies within ±50 ppm.
    // base = price / (1 + rate); search whole-won bases in that interval.
    const long double p = static_cast<long double>(price.units()) / Decimal::kScale;
    const long double lo_rate = (*change_ppm + 50) / 1e6L;
    const long double hi_rate = (*change_ppm - 50) / 1e6L;
    const auto lo = static_cast<std::int64_t>(p / (1 + lo_rate)) - 1;
    const auto hi = static_cast<std::int64_t>(p / (1 + hi_rate)) + 1;
    if (hi - lo > 100'000) return false;  // absurd inputs: do not search forever
    for (std::int64_t b = std::max<std::int64_t>(lo, 1); b <= hi; ++b) {
        const Decimal base_won = Decimal::from_integer(b);
        const auto ppm = sinmun::change_ppm(price, base_won);
        if (!ppm || *ppm < *change_ppm - 50 || *ppm > *change_ppm + 50) continue;
        if (krx_limit_up_price(base_won, yyyymmdd, market) == price) return true;
    }
    return false;
}

int kst_day(std::int64_t unix_ms) {
    const auto t = kst::to_kst(unix_ms);
    return t.year * 10000 + t.month * 100 + t.day;
}

std::optional<std::string> exclusion_reason(const StockRow& row, const GainerRules& rules) {
    const auto& ins = row.instrument;
    const auto& q = row.quote;
    if (!q.change_ppm) return "no change rate";
    if (!rules.markets.empty() &&
        std::find(rules.markets.begin(), rules.markets.end(), ins.market) == rules.markets.end())
        return "market " + ins.market + " not ranked";
    if (rules.exclude_halted && q.halted) return "halted (거래정지)";
    if (rules.exclude_etf_etn && (ins.kind == StockKind::etf || ins.kind == StockKind::etn))
        return std::string(to_wire(ins.kind));
    if (rules.exclude_preferred && ins.kind == StockKind::preferred) return "preferred (우선주)";
    if (rules.exclude_first_day && ins.listing_day != 0 && ins.listing_day == kst_day(q.as_of_ms))
        return "first trading day (신규상장)";
    if (q.trade_value < rules.min_trade_value) return "trade value below the minimum";
    if (rules.only_rising && *q.change_ppm <= 0) return "not rising";
    return std::nullopt;
}

std::vector<StockRow> rank_gainers(std::span<const StockRow> universe, const GainerRules& rules) {
    std::vector<StockRow> rows;
    for (const auto& row : universe)
        if (!exclusion_reason(row, rules)) rows.push_back(row);
    std::sort(rows.begin(), rows.end(), [](const StockRow& a, const StockRow& b) {
        if (*a.quote.change_ppm != *b.quote.change_ppm)
            return *a.quote.change_ppm > *b.quote.change_ppm;
        if (a.quote.trade_value != b.quote.trade_value)
            return a.quote.trade_value > b.quote.trade_value;
        return a.instrument.code < b.instrument.code;
    });
    if (rows.size() > rules.limit) rows.resize(rules.limit);
    return rows;
}

StockDelay stock_delay(const KrxCalendar& calendar, std::int64_t now_ms,
                       std::span<const StockRow> stocks, std::int64_t live_window_ms) {
    StockDelay out;
    out.state = calendar.state_at(now_ms);
    const StockRow* newest = nullptr;
    for (const auto& row : stocks)
        if (!newest || row.quote.as_of_ms > newest->quote.as_of_ms) newest = &row;
    if (!newest || newest->quote.as_of_ms <= 0) {
        out.marker = calendar.marker(now_ms);
        return out;
    }
    const std::int64_t as_of = newest->quote.as_of_ms;
    out.as_of_ms = as_of;
    out.delay_ms = std::max<std::int64_t>(0, now_ms - as_of);
    out.end_of_day = newest->quote.end_of_day;
    const auto t = kst::to_kst(as_of);
    const CivilDate day{t.year, t.month, t.day};
    const std::string md = two(t.month) + "." + two(t.day);
    if (out.end_of_day) {
        out.marker = md + " 장종료";
        return out;
    }
    const bool same_day = kst_day(now_ms) == kst_day(as_of);
    if (out.state == KrxState::open && same_day && out.delay_ms < live_window_ms) {
        const std::int64_t minutes = out.delay_ms / 60'000;
        out.marker = minutes >= 1 ? std::to_string(minutes) + "분 지연" : "장중";
        return out;
    }
    if (calendar.is_trading_day(day) && as_of >= calendar.close_ms(day)) {
        out.marker = md + " 장종료";
        return out;
    }
    out.marker =
        (same_day ? std::string() : md + " ") + two(t.hour) + ":" + two(t.minute) + " 기준";
    return out;
}

}  // namespace sinmun::market
