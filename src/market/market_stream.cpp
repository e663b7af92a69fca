#include "market/market_stream.hpp"

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/kst.hpp"
#include "core/text.hpp"

namespace sinmun::market {

namespace {

constexpr const char* kCryptoBasis = "24시간 변동률 기준";

// Feed-supplied names are untrusted: invalid UTF-8 would make the whole frame unparseable, so each
// bad byte becomes U+FFFD before escaping.
void append_string(std::string& out, std::string_view s) {
    out += '"';
    if (text::is_valid_utf8(s)) {
        out += text::json_escape(s);
    } else {
        std::string clean;
        for (char ch : s) {
            if (static_cast<unsigned char>(ch) < 0x80) {
                clean += ch;
            } else {
                clean += "\xEF\xBF\xBD";
            }
        }
        out += text::json_escape(clean);
    }
    out += '"';
}

void append_key(std::string& out, const char* key) {
    out += '"';
    out += key;
    out += "\":";
}

const char* dir_of(const std::optional<std::int64_t>& ppm) {
    if (!ppm) return "none";
    if (*ppm > 0) return "up";
    if (*ppm < 0) return "down";
    return "flat";
}

const char* tick_of(int tick) { return tick > 0 ? "up" : tick < 0 ? "down" : "flat"; }

void append_change(std::string& out, const std::optional<std::int64_t>& ppm) {
    append_key(out, "chg_ppm");
    out += ppm ? std::to_string(*ppm) : "null";
    out += ',';
    append_key(out, "chg_text");
    append_string(out, ppm ? format_percent_ppm(*ppm, 2) : "—");
    out += ',';
    append_key(out, "dir");
    append_string(out, dir_of(ppm));
}

void append_price(std::string& out, Decimal price) {
    append_key(out, "price");
    append_string(out, price.to_string());
    out += ',';
    append_key(out, "price_text");
    append_string(out, price.to_display());
    out += ',';
}

void append_crypto_row(std::string& out, const CryptoRow& row) {
    out += '{';
    append_key(out, "code");
    append_string(out, row.instrument.code);
    out += ',';
    append_key(out, "name");
    append_string(out, row.instrument.name);
    out += ',';
    append_price(out, row.quote.price);
    append_change(out, row.quote.change_ppm);
    out += ',';
    append_key(out, "tick");
    append_string(out, tick_of(row.quote.tick));
    out += ',';
    append_key(out, "stale");
    out += row.stale ? "true" : "false";
    out += '}';
}

void append_stock_row(std::string& out, const StockRow& row) {
    out += '{';
    append_key(out, "code");
    append_string(out, row.instrument.code);
    out += ',';
    append_key(out, "name");
    append_string(out, row.instrument.name);
    out += ',';
    append_key(out, "market");
    append_string(out, row.instrument.market);
    out += ',';
    append_price(out, row.quote.price);
    append_change(out, row.quote.change_ppm);
    out += ',';
    append_key(out, "limit_up");
    out += row.quote.limit_up ? "true" : "false";
    out += '}';
}

void append_head(std::string& out, const Snapshot& snap) {
    append_key(out, "seq");
    out += std::to_string(snap.seq);
    out += ',';
    append_key(out, "asof");
    append_string(out, kst::format_iso8601(snap.as_of_ms));
}

// "marker","state","source"?,"rows": the stocks object body shared by snapshot and stocks events.
void append_stocks_fields(std::string& out, const Snapshot& snap, bool with_source) {
    append_key(out, "marker");
    append_string(out, snap.krx_marker);
    out += ',';
    append_key(out, "state");
    append_string(out, to_wire(snap.krx_state));
    out += ',';
    if (with_source) {
        append_key(out, "source");
        append_string(out, snap.stock_source);
        out += ',';
    }
    append_key(out, "rows");
    out += '[';
    for (std::size_t i = 0; i < snap.gainers.size(); ++i) {
        if (i) out += ',';
        append_stock_row(out, snap.gainers[i]);
    }
    out += ']';
}

std::string crypto_json(const Snapshot& snap, std::uint64_t since_seq) {
    std::string out = "{";
    append_head(out, snap);
    out += ',';
    append_key(out, "rows");
    out += '[';
    bool first = true;
    for (const auto& row : snap.crypto) {
        if (row.seq <= since_seq) continue;
        if (!first) out += ',';
        first = false;
        append_crypto_row(out, row);
    }
    out += "]}";
    return out;
}

std::string stocks_json(const Snapshot& snap) {
    std::string out = "{";
    append_head(out, snap);
    out += ',';
    append_stocks_fields(out, snap, false);
    out += '}';
    return out;
}

}  // namespace

const char* to_wire(KrxState state) {
    switch (state) {
        case KrxState::pre_open:
            return "pre_open";
        case KrxState::open:
            return "open";
        case KrxState::closed:
            return "closed";
        case KrxState::holiday:
            return "holiday";
    }
    return "closed";
}

std::string sse_event(std::uint64_t id, const char* event, const std::string& data) {
    std::string out;
    out.reserve(data.size() + 48);
    out += "id: ";
    out += std::to_string(id);
    out += "\nevent: ";
    out += event;
    out += "\ndata: ";
    out += data;
    out += "\n\n";
    return out;
}

std::string crypto_row_json(const CryptoRow& row) {
    std::string out;
    append_crypto_row(out, row);
    return out;
}

std::string stock_row_json(const StockRow& row) {
    std::string out;
    append_stock_row(out, row);
    return out;
}

std::string snapshot_json(const Snapshot& snap) {
    std::string out;
    out.reserve(256 + 220 * (snap.crypto.size() + snap.gainers.size()));
    out += '{';
    append_head(out, snap);
    out += ',';
    append_key(out, "demo");
    out += snap.demo ? "true" : "false";
    out += ',';
    append_key(out, "crypto");
    out += '{';
    append_key(out, "basis");
    append_string(out, kCryptoBasis);
    out += ',';
    append_key(out, "source");
    append_string(out, snap.crypto_source);
    out += ',';
    append_key(out, "rows");
    out += '[';
    for (std::size_t i = 0; i < snap.crypto.size(); ++i) {
        if (i) out += ',';
        append_crypto_row(out, snap.crypto[i]);
    }
    out += "]},";
    append_key(out, "stocks");
    out += '{';
    append_stocks_fields(out, snap, true);
    out += "}}";
    return out;
}

MarketStream::MarketStream(Hub& hub) : hub_(hub) {}

MarketStream::~MarketStream() { sub_.reset(); }

void MarketStream::start(std::function<void()> wake) { sub_ = hub_.subscribe(std::move(wake)); }

namespace {

// The frames built from the newest snapshot, by what the client had been sent. With many clients
// nearly all are in one position (up to date with the previous snapshot), so a broadcast to N
// clients encodes a handful of frames instead of N. Keyed by the snapshot's identity: a newer
// snapshot (or another hub's, in tests) starts afresh. Clients share the immutable bytes
// (next_shared), so a broadcast allocates one buffer per position, not one per client.
struct FrameMemo {
    struct Entry {
        bool snapshot = false;
        std::uint64_t sent_seq = 0;
        std::uint64_t sent_stocks_seq = 0;
        std::shared_ptr<const std::string> frame;
    };
    static constexpr std::size_t kMaxEntries = 8;
    std::mutex mu;
    std::weak_ptr<const Snapshot> snap;
    std::vector<Entry> entries;
};

FrameMemo& frame_memo() {
    static FrameMemo memo;
    return memo;
}

std::string build_frame(const Snapshot& snap, bool snapshot, std::uint64_t sent_seq,
                        std::uint64_t sent_stocks_seq) {
    if (snapshot) return sse_event(snap.seq, "snapshot", snapshot_json(snap));
    std::string out;
    bool any_crypto = false;
    for (const auto& row : snap.crypto) {
        if (row.seq > sent_seq) {
            any_crypto = true;
            break;
        }
    }
    if (any_crypto) out += sse_event(snap.seq, "crypto", crypto_json(snap, sent_seq));
    if (snap.stocks_seq > sent_stocks_seq) out += sse_event(snap.seq, "stocks", stocks_json(snap));
    return out;
}

std::shared_ptr<const std::string> memo_frame(const std::shared_ptr<const Snapshot>& snap,
                                              bool snapshot, std::uint64_t sent_seq,
                                              std::uint64_t sent_stocks_seq) {
    FrameMemo& memo = frame_memo();
    std::lock_guard lk(memo.mu);
    if (memo.snap.lock() != snap) {
        memo.snap = snap;
        memo.entries.clear();
    }
    for (const auto& e : memo.entries) {
        if (e.snapshot != snapshot) continue;
        if (snapshot || (e.sent_seq == sent_seq && e.sent_stocks_seq == sent_stocks_seq))
            return e.frame;
    }
    std::string built = build_frame(*snap, snapshot, sent_seq, sent_stocks_seq);
    if (built.empty()) return nullptr;
    auto frame = std::make_shared<const std::string>(std::move(built));
    if (memo.entries.size() < FrameMemo::kMaxEntries)
        memo.entries.push_back({snapshot, sent_seq, sent_stocks_seq, frame});
    return frame;
}

}  // namespace

std::string MarketStream::next() {
    auto frame = next_shared();
    return frame ? *frame : std::string();
}

std::shared_ptr<const std::string> MarketStream::next_shared() {
    const auto snap = hub_.snapshot();
    if (!sent_snapshot_ || snap->layout_seq > sent_layout_seq_) {
        sent_snapshot_ = true;
        sent_seq_ = snap->seq;
        sent_stocks_seq_ = snap->stocks_seq;
        sent_layout_seq_ = snap->layout_seq;
        return memo_frame(snap, true, 0, 0);
    }
    if (snap->seq <= sent_seq_) return nullptr;
    auto out = memo_frame(snap, false, sent_seq_, sent_stocks_seq_);
    sent_seq_ = snap->seq;
    sent_stocks_seq_ = snap->stocks_seq;
    return out;
}

void MarketStream::stop() { sub_.reset(); }

}  // namespace sinmun::market
