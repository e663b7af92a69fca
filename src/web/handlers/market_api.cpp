#include "web/handlers/market_api.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "core/kst.hpp"
#include "core/text.hpp"
#include "market/gainers.hpp"
#include "market/hub.hpp"
#include "market/krx_calendar.hpp"
#include "market/market_stream.hpp"
#include "market/stock_import.hpp"
#include "store/stores.hpp"
#include "web/errors.hpp"
#include "web/router.hpp"

namespace sinmun::web {

namespace {

constexpr std::int64_t kLiveWindowMs = 30 * 60 * 1000;  // as market::stock_delay's default

std::string quoted(std::string_view s) {
    std::string out = "\"";
    out += text::json_escape(s);
    out += '"';
    return out;
}

// `{…}` + `,"k":v…}`: extra members after a shared row encoder's object.
std::string extend(std::string object, const std::string& members) {
    if (!object.empty() && object.back() == '}') {
        object.pop_back();
        object += ',';
        object += members;
        object += '}';
    }
    return object;
}

std::string head_json(const market::Snapshot& snap) {
    return "\"seq\":" + std::to_string(snap.seq) +
           ",\"asof\":" + quoted(kst::format_iso8601(snap.as_of_ms)) +
           ",\"demo\":" + (snap.demo ? "true" : "false");
}

std::string time_or_null(std::int64_t ms) {
    return ms > 0 ? quoted(kst::format_iso8601(ms)) : std::string("null");
}

// ---- push parsing -------------------------------------------------------------------------

// A JSON string or number as exact decimal text (doubles via their shortest round-trip form).
std::optional<std::string> number_text(const boost::json::value& v) {
    if (v.is_string()) return std::string(text::trim(v.get_string()));
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    if (v.is_double()) {
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
        return std::string(buf, r.ptr);
    }
    return std::nullopt;
}

struct PushQuote {
    market::Instrument instrument;  // name/market may be empty: taken from what is known
    bool has_kind = false;
    market::Quote quote;
};

Error bad(std::size_t i, std::string_view field, std::string_view what) {
    return make_error(Errc::invalid_input, "quotes[" + std::to_string(i) + "]." +
                                               std::string(field) + ": " + std::string(what));
}

Result<PushQuote> parse_quote(std::size_t i, const boost::json::value& v, std::int64_t now_ms,
                              std::int64_t max_future_ms) {
    static const std::set<std::string_view> kAllowed = {
        "code",  "name",   "market",     "price", "change_rate",  "trade_value",
        "as_of", "halted", "base_price", "kind",  "listing_date",
    };
    if (!v.is_object())
        return make_error(Errc::invalid_input,
                          "quotes[" + std::to_string(i) + "]: expected an object");
    const auto& o = v.get_object();
    for (const auto& [key, value] : o)
        if (!kAllowed.contains(std::string_view(key))) return bad(i, key, "unknown field");
    auto str = [&](std::string_view key) -> const boost::json::string* {
        auto* p = o.if_contains(key);
        return p && p->is_string() ? &p->get_string() : nullptr;
    };
    PushQuote pq;
    pq.instrument.asset = market::AssetClass::stock;

    const auto* code = str("code");
    if (!code) return bad(i, "code", "expected a 6-character KRX code string");
    const std::string c(text::trim(*code));
    const bool code_ok = c.size() == 6 && std::all_of(c.begin(), c.end(), [](char ch) {
                             return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z');
                         });
    if (!code_ok) return bad(i, "code", "expected a 6-character KRX code, got '" + c + "'");
    pq.instrument.code = c;
    pq.quote.code = c;

    if (auto* p = o.if_contains("name")) {
        if (!p->is_string() || text::trim(p->get_string()).empty() ||
            !text::is_valid_utf8(p->get_string()))
            return bad(i, "name", "expected a non-empty UTF-8 string");
        pq.instrument.name = text::nfc(text::trim(p->get_string()));
    }
    if (auto* p = o.if_contains("market")) {
        const std::string m = p->is_string() ? std::string(p->get_string()) : "";
        if (m != "KOSPI" && m != "KOSDAQ" && m != "KONEX")
            return bad(i, "market", "expected \"KOSPI\", \"KOSDAQ\" or \"KONEX\"");
        pq.instrument.market = m;
    }

    auto decimal = [&](std::string_view key) -> std::optional<Decimal> {
        auto* p = o.if_contains(key);
        if (!p) return std::nullopt;
        auto t = number_text(*p);
        if (!t) return std::nullopt;
        return Decimal::parse(*t);
    };
    const auto price = decimal("price");
    if (!price || price->units() <= 0)
        return bad(i, "price", "expected a positive decimal (string or number)");
    pq.quote.price = *price;

    const auto rate = decimal("change_rate");
    if (!rate || rate->units() <= -1'000'000 || rate->units() > 10'000'000)
        return bad(i, "change_rate",
                   "expected the exchange's 등락률 in percent, above -100 (string or number)");
    pq.quote.change_ppm = rate->units();  // percent in 1/10,000 units == parts per million
    pq.quote.tick = 0;

    if (auto* p = o.if_contains("trade_value")) {
        auto t = number_text(*p);
        std::int64_t v64 = -1;
        if (t) {
            const auto r = std::from_chars(t->data(), t->data() + t->size(), v64);
            if (r.ec != std::errc{} || r.ptr != t->data() + t->size()) v64 = -1;
        }
        if (v64 < 0) return bad(i, "trade_value", "expected a whole number of KRW, 0 or more");
        pq.quote.trade_value = v64;
    }

    const auto* as_of = str("as_of");
    if (!as_of) return bad(i, "as_of", "expected an ISO 8601 time with offset");
    const auto at = kst::parse(*as_of);
    if (!at) return bad(i, "as_of", "expected an ISO 8601 time, e.g. 2026-11-26T10:15:00+09:00");
    if (*at > now_ms + max_future_ms) return bad(i, "as_of", "is in the future");
    pq.quote.as_of_ms = *at;

    if (auto* p = o.if_contains("halted")) {
        if (!p->is_bool()) return bad(i, "halted", "expected true or false");
        pq.quote.halted = p->get_bool();
    }
    if (o.contains("base_price")) {
        const auto base = decimal("base_price");
        if (!base || base->units() <= 0)
            return bad(i, "base_price", "expected a positive decimal (기준가)");
        pq.quote.base_price = *base;
    }
    if (auto* p = o.if_contains("kind")) {
        auto k = p->is_string() ? market::parse_stock_kind(p->get_string()) : std::nullopt;
        if (!k) return bad(i, "kind", "expected \"common\", \"preferred\", \"etf\" or \"etn\"");
        pq.instrument.kind = *k;
        pq.has_kind = true;
    }
    if (auto* p = o.if_contains("listing_date")) {
        auto d = p->is_string() ? market::parse_civil_date(p->get_string()) : std::nullopt;
        if (!d) return bad(i, "listing_date", "expected YYYY-MM-DD");
        pq.instrument.listing_day = d->year * 10000 + d->month * 100 + d->day;
    }
    return pq;
}

}  // namespace

Response market_crypto(MarketApiServices& s, const Request& req) {
    const auto snap = s.hub->snapshot();
    const std::int64_t now = s.clock->now_ms();
    std::string out = "{" + head_json(*snap);
    out += ",\"basis\":\"24시간 변동률 기준\",\"source\":" + quoted(snap->crypto_source);
    out += ",\"stale_after_s\":" + std::to_string(s.hub->options().stale_after_ms / 1000);
    out += ",\"rows\":[";
    for (std::size_t i = 0; i < snap->crypto.size(); ++i) {
        const auto& row = snap->crypto[i];
        if (i) out += ',';
        const std::int64_t age =
            row.quote.as_of_ms > 0 ? std::max<std::int64_t>(0, now - row.quote.as_of_ms) : 0;
        out +=
            extend(market::crypto_row_json(row), "\"as_of\":" + time_or_null(row.quote.as_of_ms) +
                                                     ",\"age_s\":" + std::to_string(age / 1000));
    }
    out += "]}";
    Response r = Response::json(200, std::move(out));
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response market_gainers(MarketApiServices& s, const Request& req) {
    const auto snap = s.hub->snapshot();
    const std::int64_t now = s.clock->now_ms();
    std::vector<market::StockRow> rows = snap->gainers;
    std::string market_param = "widget";
    auto rules = s.hub->options().gainer_rules();
    const auto market = req.query_param("market");
    const auto limit = req.query_param("limit");
    if (limit) {
        int n = 0;
        const auto r = std::from_chars(limit->data(), limit->data() + limit->size(), n);
        if (r.ec != std::errc{} || r.ptr != limit->data() + limit->size() || n < 1 || n > 100)
            return error_response(400, "limit must be a whole number 1-100", req);
        rules.limit = static_cast<std::size_t>(n);
    }
    if (market || limit) {
        const std::string m = market.value_or("widget");
        if (m == "all") {
            rules.markets = {};
        } else if (m == "KOSPI" || m == "KOSDAQ") {
            rules.markets = {m};
        } else if (m != "widget") {
            return error_response(400, "market must be KOSPI, KOSDAQ or all", req);
        }
        market_param = m;
        const auto universe = s.hub->stocks();
        rows = market::rank_gainers(universe, rules);
    }
    const auto all = s.hub->stocks();
    const auto delay = market::stock_delay(*s.calendar, now, all);
    const std::int64_t expected_close = s.calendar->close_ms(s.calendar->last_close_day(now));

    std::string out = "{" + head_json(*snap);
    out += ",\"state\":" + quoted(market::to_wire(snap->krx_state));
    out += ",\"marker\":" + quoted(snap->krx_marker);
    out += ",\"source\":" + quoted(snap->stock_source);
    out += ",\"market\":" + quoted(market_param);
    out += ",\"delay\":{\"end_of_day\":";
    out += delay.end_of_day ? "true" : "false";
    out += ",\"as_of\":" + time_or_null(delay.as_of_ms.value_or(0));
    out += ",\"seconds\":" + std::to_string(delay.delay_ms / 1000);
    out += ",\"marker\":" + quoted(delay.marker) + "}";
    out += ",\"rows\":[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i];
        if (i) out += ',';
        const std::int64_t age = std::max<std::int64_t>(0, now - row.quote.as_of_ms);
        // A closing figure (end-of-day, or pushed at/after its session's close) is stale when
        // a later session has closed since; an intraday figure when it is no longer live.
        const auto t = kst::to_kst(row.quote.as_of_ms);
        const market::CivilDate day{t.year, t.month, t.day};
        const bool closing =
            row.quote.end_of_day ||
            (s.calendar->is_trading_day(day) && row.quote.as_of_ms >= s.calendar->close_ms(day));
        const bool live = delay.state == market::KrxState::open && age < kLiveWindowMs;
        const bool stale = closing ? row.quote.as_of_ms < expected_close : !live;
        out += extend(market::stock_row_json(row),
                      "\"as_of\":" + time_or_null(row.quote.as_of_ms) + ",\"age_s\":" +
                          std::to_string(age / 1000) + ",\"stale\":" + (stale ? "true" : "false") +
                          ",\"halted\":" + (row.quote.halted ? "true" : "false") +
                          ",\"kind\":" + quoted(market::to_wire(row.instrument.kind)));
    }
    out += "]}";
    Response r = Response::json(200, std::move(out));
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response market_push_quotes(MarketApiServices& s, const Request& req) {
    const std::string_view authorization = req.header("Authorization");
    if (authorization.size() < 8 || authorization.substr(0, 7) != "Bearer ") {
        Response r = error_response(401, "Authorization: Bearer <API token> is required", req);
        r.set_header("WWW-Authenticate", "Bearer");
        return r;
    }
    if (!s.authenticate) return error_response(503, "quote push is not configured", req);
    auto who = s.authenticate(authorization);
    if (!who) {
        Response r = error_response(401, who.error().message, req);
        r.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return r;
    }
    const auto ctype = req.header("Content-Type");
    if (ctype.substr(0, 16) != "application/json")
        return error_response(415, "Content-Type must be application/json", req);

    boost::system::error_code ec;
    const boost::json::value doc = boost::json::parse(req.body, ec);
    if (ec) return error_response(400, "malformed JSON: " + ec.message(), req);
    const boost::json::value* list =
        doc.is_object() ? doc.get_object().if_contains("quotes") : nullptr;
    if (!list || !list->is_array()) return error_response(400, "expected {\"quotes\":[…]}", req);
    const auto& arr = list->get_array();
    if (arr.size() > s.max_batch)
        return error_response(413,
                              "at most " + std::to_string(s.max_batch) +
                                  " quotes per request, got " + std::to_string(arr.size()),
                              req);

    const std::int64_t now = s.clock->now_ms();
    std::vector<PushQuote> parsed;
    parsed.reserve(arr.size());
    std::set<std::string> seen;
    for (std::size_t i = 0; i < arr.size(); ++i) {
        auto pq = parse_quote(i, arr[i], now, s.max_future_ms);
        if (!pq) return error_response(pq.error(), req);
        if (!seen.insert(pq->quote.code).second)
            return error_response(bad(i, "code", "appears twice in the batch"), req);
        parsed.push_back(std::move(*pq));
    }

    // What is known of each code: the hub's current quote (for tick and ordering) and the
    // stored instrument (name, market, kind, listing day).
    std::map<std::string, market::Quote> current;
    for (auto& row : s.hub->stocks()) current.emplace(row.instrument.code, row.quote);
    auto known = s.store->instruments();
    if (!known) return error_response(known.error(), req);
    std::map<std::string, market::Instrument> instruments;
    for (auto& i : *known)
        if (i.asset == market::AssetClass::stock) instruments.emplace(i.code, std::move(i));

    std::vector<market::Instrument> ins;
    std::vector<market::Quote> quotes;
    std::size_t ignored = 0;
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        auto& pq = parsed[i];
        const auto it = instruments.find(pq.quote.code);
        if (it == instruments.end() && (pq.instrument.name.empty() || pq.instrument.market.empty()))
            return error_response(bad(i, pq.instrument.name.empty() ? "name" : "market",
                                      "required for a code this site has not seen yet"),
                                  req);
        market::Instrument merged = it != instruments.end() ? it->second : pq.instrument;
        if (!pq.instrument.name.empty()) merged.name = pq.instrument.name;
        if (!pq.instrument.market.empty()) merged.market = pq.instrument.market;
        if (pq.has_kind) {
            merged.kind = pq.instrument.kind;
        } else if (it == instruments.end()) {
            merged.kind = market::classify_stock(merged.code, merged.name);
        }
        if (pq.instrument.listing_day) merged.listing_day = pq.instrument.listing_day;
        merged.asset = market::AssetClass::stock;

        if (auto cur = current.find(pq.quote.code);
            cur != current.end() && cur->second.as_of_ms > pq.quote.as_of_ms) {
            ++ignored;
            continue;
        } else if (cur != current.end()) {
            pq.quote.tick = pq.quote.price > cur->second.price   ? 1
                            : pq.quote.price < cur->second.price ? -1
                                                                 : 0;
        }
        pq.quote.end_of_day = false;
        pq.quote.limit_up =
            market::is_limit_up(pq.quote.price, pq.quote.change_ppm, pq.quote.base_price,
                                market::kst_day(pq.quote.as_of_ms), merged.market);
        ins.push_back(std::move(merged));
        quotes.push_back(pq.quote);
    }
    if (!quotes.empty()) {
        if (auto saved = s.store->save_instruments_and_quotes(ins, quotes); !saved)
            return error_response(saved.error(), req);
        s.hub->upsert_stocks(ins);
        s.hub->update(quotes);
        if (s.refresh_state) market::refresh_stock_state(*s.hub, *s.calendar);
    }
    spdlog::info("market: {} pushed {} stock quotes ({} older ignored)", *who, quotes.size(),
                 ignored);
    return Response::json(200, "{\"accepted\":" + std::to_string(quotes.size()) +
                                   ",\"ignored\":" + std::to_string(ignored) + "}");
}

void add_market_routes(Router& router, MarketApiServices& services) {
    MarketApiServices* s = &services;
    router.add("GET", "/api/v1/market/crypto",
               sync([s](Request& req) { return market_crypto(*s, req); }));
    router.add("GET", "/api/v1/market/stocks/gainers",
               sync([s](Request& req) { return market_gainers(*s, req); }));
    router.add("POST", "/api/v1/market/quotes",
               sync([s](Request& req) { return market_push_quotes(*s, req); }));
}

}  // namespace sinmun::web
