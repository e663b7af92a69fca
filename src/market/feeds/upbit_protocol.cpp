#include "market/feeds/upbit_protocol.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <charconv>
#include <cstdio>

#include "core/kst.hpp"

namespace sinmun::market::upbit {

namespace {

namespace json = boost::json;

// One scalar of a flat record. Nested objects become dotted keys ("error.name"); arrays inside
// a record are skipped.
struct Field {
    enum class Kind { string, number, boolean, null };
    std::string key;
    Kind kind = Kind::null;
    std::string text;  // the string's value or the number's own text
    bool flag = false;
};
using Record = std::vector<Field>;

// basic_parser handler collecting the records of a document that is an object or an array of
// objects. It keeps every number's text exactly as written.
struct Collector {
    static constexpr std::size_t max_array_size = 2000;
    static constexpr std::size_t max_object_size = 256;
    static constexpr std::size_t max_string_size = 4096;
    static constexpr std::size_t max_key_size = 128;

    struct Frame {
        bool array = false;
        bool in_record = false;
        std::string prefix;
    };

    std::vector<Record> records;
    bool top_array = false;
    std::vector<Frame> frames;
    std::string key;
    std::string text;

    void emit(Field::Kind kind, bool flag = false) {
        if (!frames.empty() && !frames.back().array && frames.back().in_record)
            records.back().push_back(Field{frames.back().prefix + key, kind, text, flag});
        key.clear();
        text.clear();
    }

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_array_begin(json::error_code&) {
        if (frames.empty()) top_array = true;
        frames.push_back(Frame{true, false, {}});
        key.clear();
        return true;
    }
    bool on_array_end(std::size_t, json::error_code&) {
        frames.pop_back();
        key.clear();
        return true;
    }
    bool on_object_begin(json::error_code&) {
        if (frames.empty() || (frames.size() == 1 && frames[0].array)) {
            records.emplace_back();
            frames.push_back(Frame{false, true, {}});
        } else {
            const Frame& p = frames.back();
            if (p.array || !p.in_record)
                frames.push_back(Frame{false, false, {}});
            else
                frames.push_back(Frame{false, true, p.prefix + key + "."});
        }
        key.clear();
        return true;
    }
    bool on_object_end(std::size_t, json::error_code&) {
        frames.pop_back();
        key.clear();
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
        text.append(s.data(), s.size());
        return true;
    }
    bool on_string(json::string_view s, std::size_t, json::error_code&) {
        text.append(s.data(), s.size());
        emit(Field::Kind::string);
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
        key.append(s.data(), s.size());
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code&) {
        key.append(s.data(), s.size());
        return true;
    }
    bool on_number_part(json::string_view s, json::error_code&) {
        text.append(s.data(), s.size());
        return true;
    }
    bool on_int64(std::int64_t, json::string_view s, json::error_code&) {
        text.append(s.data(), s.size());
        emit(Field::Kind::number);
        return true;
    }
    bool on_uint64(std::uint64_t, json::string_view s, json::error_code&) {
        text.append(s.data(), s.size());
        emit(Field::Kind::number);
        return true;
    }
    bool on_double(double, json::string_view s, json::error_code&) {
        text.append(s.data(), s.size());
        emit(Field::Kind::number);
        return true;
    }
    bool on_bool(bool b, json::error_code&) {
        emit(Field::Kind::boolean, b);
        return true;
    }
    bool on_null(json::error_code&) {
        emit(Field::Kind::null);
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
};

Error bad(std::string what) { return make_error(Errc::invalid_input, std::move(what)); }

Result<Collector> collect(std::string_view bytes, std::size_t max_bytes = kMaxMessageBytes) {
    if (bytes.size() > max_bytes)
        return bad("message of " + std::to_string(bytes.size()) + " bytes exceeds the limit");
    try {
        json::parse_options opt;
        opt.max_depth = 8;
        json::basic_parser<Collector> p(opt);
        json::error_code ec;
        const std::size_t n = p.write_some(false, bytes.data(), bytes.size(), ec);
        if (ec) return bad("malformed JSON at byte " + std::to_string(n) + ": " + ec.message());
        if (p.handler().records.empty() && !p.handler().top_array)
            return bad("JSON is not an object");
        return std::move(p.handler());
    } catch (const std::exception& e) {
        return bad(std::string("unparsable message: ") + e.what());
    }
}

const Field* find(const Record& r, std::string_view key, std::string_view alt = {}) {
    for (const auto& f : r)
        if (f.key == key || (!alt.empty() && f.key == alt)) return &f;
    return nullptr;
}

std::optional<std::string> get_string(const Record& r, std::string_view key,
                                      std::string_view alt = {}) {
    const Field* f = find(r, key, alt);
    if (!f || f->kind != Field::Kind::string) return std::nullopt;
    return f->text;
}

std::optional<Decimal> get_decimal(const Record& r, std::string_view key,
                                   std::string_view alt = {}) {
    const Field* f = find(r, key, alt);
    if (!f || f->kind != Field::Kind::number) return std::nullopt;
    return Decimal::parse(f->text);
}

template <class Int>
std::optional<Int> get_int(const Record& r, std::string_view key, std::string_view alt = {}) {
    const Field* f = find(r, key, alt);
    if (!f || f->kind != Field::Kind::number) return std::nullopt;
    Int v{};
    const char* b = f->text.data();
    const char* e = b + f->text.size();
    auto [ptr, ec] = std::from_chars(b, e, v);
    if (ec != std::errc{} || ptr != e) return std::nullopt;
    return v;
}

bool valid_code(std::string_view c) {
    if (c.empty() || c.size() > 32) return false;
    for (char ch : c)
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
            return false;
    return true;
}

StreamType stream_type(const Record& r) {
    const auto s = get_string(r, "stream_type", "st");
    if (!s) return StreamType::unknown;
    if (*s == "SNAPSHOT") return StreamType::snapshot;
    if (*s == "REALTIME") return StreamType::realtime;
    return StreamType::unknown;
}

// Fields common to ticker and trade: code, price, trade time.
struct Common {
    std::string code;
    Decimal price;
    std::int64_t trade_ts = 0;
    std::int64_t ts = 0;
};

Result<Common> common(const Record& r, std::string_view type) {
    Common c;
    const auto code = get_string(r, "code", "cd");
    if (!code || !valid_code(*code)) return bad(std::string(type) + ": missing or invalid code");
    c.code = *code;
    const auto price = get_decimal(r, "trade_price", "tp");
    if (!price || price->units() <= 0)
        return bad(std::string(type) + " " + c.code + ": trade_price missing or not exact");
    c.price = *price;
    const auto tts = get_int<std::int64_t>(r, "trade_timestamp", "ttms");
    if (!tts || *tts <= 0)
        return bad(std::string(type) + " " + c.code + ": trade_timestamp missing or invalid");
    c.trade_ts = *tts;
    c.ts = get_int<std::int64_t>(r, "timestamp", "tms").value_or(0);
    return c;
}

}  // namespace

Result<Message> parse_message(std::string_view bytes) {
    auto doc = collect(bytes);
    if (!doc) return doc.error();
    if (doc->top_array || doc->records.size() != 1) return bad("message is not one JSON object");
    const Record& r = doc->records.front();

    if (find(r, "error.name") || find(r, "error.message")) {
        ErrorMessage e;
        e.name = get_string(r, "error.name").value_or("");
        e.message = get_string(r, "error.message").value_or("");
        return Message{std::move(e)};
    }
    const auto type = get_string(r, "type", "ty");
    if (!type) {
        if (auto s = get_string(r, "status")) return Message{Status{*s}};
        return bad("message without type");
    }
    if (*type == "ticker") {
        auto c = common(r, "ticker");
        if (!c) return c.error();
        Ticker t;
        t.code = std::move(c->code);
        t.trade_price = c->price;
        t.trade_timestamp = c->trade_ts;
        t.timestamp = c->ts;
        t.stream_type = stream_type(r);
        t.market_state = get_string(r, "market_state", "ms").value_or("");
        if (const Field* f = find(r, "is_trading_suspended", "its");
            f && f->kind == Field::Kind::boolean)
            t.is_trading_suspended = f->flag;
        t.acc_trade_price_24h = get_decimal(r, "acc_trade_price_24h", "atp24h");
        return Message{std::move(t)};
    }
    if (*type == "trade") {
        auto c = common(r, "trade");
        if (!c) return c.error();
        Trade t;
        t.code = std::move(c->code);
        t.trade_price = c->price;
        t.trade_timestamp = c->trade_ts;
        t.timestamp = c->ts;
        const auto sid = get_int<std::uint64_t>(r, "sequential_id", "sid");
        if (!sid) return bad("trade " + t.code + ": sequential_id missing or invalid");
        t.sequential_id = *sid;
        t.stream_type = stream_type(r);
        t.ask_bid = get_string(r, "ask_bid", "ab").value_or("");
        return Message{std::move(t)};
    }
    return Message{Other{*type}};
}

std::string subscription(std::string_view ticket, std::span<const std::string> codes) {
    std::string list;
    for (const auto& c : codes) {
        std::string up;
        for (char ch : c) up += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 32) : ch;
        if (!list.empty()) list += ',';
        list += json::serialize(json::string(up));
    }
    std::string out = "[{\"ticket\":" + json::serialize(json::string(ticket)) + "}";
    out += ",{\"type\":\"ticker\",\"codes\":[" + list + "]}";
    out += ",{\"type\":\"trade\",\"codes\":[" + list + "]}";
    out += ",{\"format\":\"DEFAULT\"}]";
    return out;
}

Result<std::vector<MinuteCandle>> parse_candles(std::string_view body) {
    // Up to 200 candles of ~300 bytes each.
    auto doc = collect(body, 16 * kMaxMessageBytes);
    if (!doc) return doc.error();
    if (!doc->top_array) {
        if (doc->records.empty()) return bad("candle answer is not an array");
        const Record& r = doc->records.front();
        if (find(r, "error.name") || find(r, "error.message"))
            return make_error(Errc::unavailable,
                              "candle endpoint error " + get_string(r, "error.name").value_or("") +
                                  ": " + get_string(r, "error.message").value_or(""));
        return bad("candle answer is not an array");
    }
    std::vector<MinuteCandle> out;
    for (const auto& r : doc->records) {
        const auto utc = get_string(r, "candle_date_time_utc");
        if (!utc || utc->size() > 32) return bad("candle without candle_date_time_utc");
        const auto ms = kst::parse(*utc + "Z");
        if (!ms) return bad("candle time not understood: " + *utc);
        const auto price = get_decimal(r, "trade_price");
        if (!price || price->units() <= 0) return bad("candle trade_price missing or not exact");
        MinuteCandle c;
        c.minute = RollingWindow::minute_of(*ms);
        c.close = *price;
        c.last_ms = get_int<std::int64_t>(r, "timestamp").value_or(c.minute * 60'000);
        out.push_back(c);
    }
    return out;
}

std::string iso8601_utc(std::int64_t ms) {
    const auto t = kst::to_kst(ms - kst::kOffsetMs);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour,
                  t.minute, t.second);
    return buf;
}

std::string candles_target(std::string_view market, std::int64_t to_ms, int count) {
    return "/v1/candles/minutes/1?market=" + std::string(market) + "&to=" + iso8601_utc(to_ms) +
           "&count=" + std::to_string(count);
}

}  // namespace sinmun::market::upbit
