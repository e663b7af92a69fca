// Upbit quotation protocol: the subscription we send and the messages we receive, as documented
// (market-data.md §1.2) — pure functions, no sockets, so every exchange message can be tested.
//
// Untrusted input: parse_message() and parse_candles() never throw and never crash on any bytes;
// a malformed, truncated or oversized message is an Error (invalid_input) the caller counts.
// Prices are exact Decimals read from the JSON number's own text (boost::json::basic_parser hands
// the handler the text of every number), never round-tripped through double.
// Both DEFAULT and SIMPLE key spellings are accepted (we subscribe with DEFAULT).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decimal.hpp"
#include "core/result.hpp"
#include "market/rolling_window.hpp"

namespace sinmun::market::upbit {

constexpr std::size_t kMaxMessageBytes = 64 * 1024;

enum class StreamType { unknown, snapshot, realtime };

// A `ticker` message (the fields Sinmun uses).
struct Ticker {
    std::string code;  // "KRW-BTC"
    Decimal trade_price;
    std::int64_t trade_timestamp = 0;  // ms, exchange time of the last trade
    std::int64_t timestamp = 0;        // ms, when the message was made
    StreamType stream_type = StreamType::unknown;
    std::string market_state;  // ACTIVE | PREVIEW | DELISTED (empty if absent)
    bool is_trading_suspended = false;
    std::optional<Decimal> acc_trade_price_24h;
};

// A `trade` message.
struct Trade {
    std::string code;
    Decimal trade_price;
    std::int64_t trade_timestamp = 0;
    std::int64_t timestamp = 0;
    std::uint64_t sequential_id = 0;  // unique; order not guaranteed
    StreamType stream_type = StreamType::unknown;
    std::string ask_bid;  // ASK | BID
};

// `{"status":"UP"}`, the server's keepalive.
struct Status {
    std::string status;
};

// `{"error":{"name":…,"message":…}}`.
struct ErrorMessage {
    std::string name;
    std::string message;
};

// Well-formed JSON of a type we do not use (orderbook, candle…).
struct Other {
    std::string type;
};

using Message = std::variant<Ticker, Trade, Status, ErrorMessage, Other>;

// Parses one frame's payload (text or binary frame: both hold UTF-8 JSON).
Result<Message> parse_message(std::string_view bytes);

// The subscription: [{"ticket":…},{"type":"ticker","codes":[…]},{"type":"trade","codes":[…]},
// {"format":"DEFAULT"}]. Codes are upper-cased; snapshots are on (we want P_now at once).
std::string subscription(std::string_view ticket, std::span<const std::string> codes);

// Parses a `GET /v1/candles/minutes/1` answer: an array of candles (newest first on the wire;
// returned in wire order). The minute comes from candle_date_time_utc.
Result<std::vector<MinuteCandle>> parse_candles(std::string_view body);

// "/v1/candles/minutes/1?market=KRW-BTC&to=2025-11-24T12:34:00Z&count=200" (path and query only).
std::string candles_target(std::string_view market, std::int64_t to_ms, int count);

// "2025-11-24T12:34:00Z".
std::string iso8601_utc(std::int64_t ms);

}  // namespace sinmun::market::upbit
