// UpbitFeed: the live crypto adapter. It turns Upbit quotation messages into market::Quotes for
// the Hub, with the honest rolling 24-hour change from a RollingWindow per market.
//
// It owns no socket: the transport (web::WsClient in production, anything in tests) calls
// on_connected / on_message / on_disconnected, and the candle backfill goes through an injected
// HTTP GET (web::HttpsClient). So this class stays free of Asio and testable without sockets.
//
// What it does:
// - on_connected() returns the subscription to send (ticker + trade for every market, DEFAULT
//   format, snapshots on); on_message() parses text or binary frames (upbit_protocol), dedupes
//   trades by sequential_id, feeds the windows and pushes quotes (price, change_ppm from the
//   window, tick from the last print, as_of from the trade timestamp, halted when suspended or
//   not ACTIVE). Malformed messages are counted and logged (at most one log line per 10 s).
// - A worker thread ticks every heartbeat: while the connection is live (a frame within
//   stale_after_ms) it re-sends every quote as the hub's heartbeat (so quiet coins stay fresh and
//   the change follows the moving reference); when it is not, the hub's stale timer marks rows
//   지연. At each minute it carries quiet markets forward and persists the changed slots (one
//   save call, i.e. one transaction, per minute). After a (re)connect it fills unknown minutes
//   from GET {rest_url}/v1/candles/minutes/1, at most rest_requests_per_second.
// - start() reloads the persisted minutes, so a restart keeps the 24 h reference.
//
// Thread-safety: the transport callbacks, tick() and stats() may be called from any thread
// (one mutex guards the windows); start()/stop() from one owner thread. Hub calls happen outside
// the mutex.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "market/hub.hpp"
#include "market/model.hpp"
#include "market/rolling_window.hpp"

namespace sinmun::market {

// The answer of an HTTP GET: status and body (transport errors are an Error instead).
struct HttpAnswer {
    int status = 0;
    std::string body;
};
using HttpGet = std::function<Result<HttpAnswer>(const std::string& url)>;

struct UpbitFeedOptions {
    std::string ws_url = "wss://api.upbit.com/websocket/v1";
    std::string rest_url = "https://api.upbit.com";
    // Markets in widget order with their Korean names; empty: the 12 default KRW markets.
    std::vector<Instrument> markets;
    // No frame for this long: the connection is not live (quotes stop refreshing → 지연).
    std::int64_t stale_after_ms = 30'000;
    std::int64_t heartbeat_ms = 1'000;
    double rest_requests_per_second = 8;  // Upbit allows 10/s for the candle group
    // Wait this long after a connect before backfilling (the snapshots arrive first).
    std::int64_t backfill_delay_ms = 2'000;
    // A run that could not be filled is tried again after this long.
    std::int64_t backfill_retry_ms = 10 * 60'000;
    // Register the markets with the hub (Hub::set_instruments replaces the whole table: set false
    // when the application registers crypto and stocks together) and the crypto source text.
    bool register_instruments = true;
    std::string ticket = "sinmun";
    // Persistence of the minute ring (both optional): load(since_minute) at start, save(rows)
    // once a minute with the slots that changed.
    std::function<Result<std::vector<MinuteClose>>(std::int64_t since_minute)> load_minutes;
    std::function<Status(std::span<const MinuteClose>)> save_minutes;
};

// For /healthz and /metrics.
struct UpbitFeedStats {
    bool connected = false;
    bool live = false;  // connected and a frame within stale_after_ms
    std::uint64_t connects = 0;
    std::uint64_t reconnects = 0;        // connects after the first
    std::uint64_t connect_failures = 0;  // attempts that never opened (refused, TLS, handshake)
    std::uint64_t messages = 0;          // frames received
    std::uint64_t malformed = 0;         // frames that did not parse
    std::uint64_t exchange_errors = 0;   // {"error":…} messages
    std::uint64_t trades = 0;            // prints applied (ticker or trade)
    std::uint64_t duplicates = 0;        // trades dropped by sequential_id
    std::uint64_t backfill_requests = 0;
    std::uint64_t backfill_failures = 0;
    std::uint64_t backfill_runs = 0;   // unknown runs filled from candles
    std::int64_t last_message_ms = 0;  // by our clock; 0: never
    std::string last_error;            // the last malformed/exchange/transport problem
    // "live" | "stale" (connected, silent) | "connecting" | "stopped"
    std::string state;
};

class UpbitFeed {
public:
    static constexpr const char* kCryptoSource = "업비트 KRW 마켓 · 24시간 변동률 기준";

    // hub and clock must outlive the feed.
    UpbitFeed(Hub& hub, const Clock& clock, UpbitFeedOptions options, HttpGet http_get = {});
    ~UpbitFeed();  // stop()
    UpbitFeed(const UpbitFeed&) = delete;
    UpbitFeed& operator=(const UpbitFeed&) = delete;

    // The 12 KRW markets of the widget (DemoMarket's list: one table, not two).
    static std::vector<Instrument> default_markets();

    // Loads persisted minutes, registers with the hub (see options), starts the worker thread.
    void start();
    // Joins the worker. Idempotent.
    void stop();

    // --- transport callbacks ---
    // The connection is open: returns the messages to send (the subscription).
    std::vector<std::string> on_connected();
    // One frame's payload; text and binary frames alike hold UTF-8 JSON.
    void on_message(std::string_view payload, bool binary);
    // The connection is gone, or an attempt failed before it opened (e.g. a certificate that is
    // not trusted); reason for the log and stats.
    void on_disconnected(std::string_view reason);

    // Time-based work (heartbeat, minute carry and persistence, backfill); the worker thread
    // calls it every heartbeat_ms, tests may call it directly instead of start().
    void tick();

    UpbitFeedStats stats() const;
    const UpbitFeedOptions& options() const { return options_; }
    std::string subscription() const;
    // The 24 h change and reference the feed would show now (tests, diagnostics).
    std::optional<std::int64_t> change_ppm(std::string_view code) const;
    std::optional<Decimal> reference(std::string_view code) const;
    // Minutes [first, last] of the market's window nobody can vouch for yet (backfill pending).
    std::vector<std::pair<std::int64_t, std::int64_t>> unknown_runs(std::string_view code) const;

private:
    struct Market {
        Instrument instrument;
        RollingWindow window;
        std::optional<Decimal> print_price;  // last print applied (for the tick)
        std::int64_t print_ms = 0;
        int tick = 0;
        bool halted = false;
        std::int64_t dirty_from = INT64_MAX;  // oldest minute changed since the last save
        std::deque<std::uint64_t> seen_order;
        std::unordered_set<std::uint64_t> seen;
        std::map<std::int64_t, std::int64_t> attempts;  // run end minute → last attempt (ms)
    };

    void apply_print(Market& m, std::int64_t ts, Decimal price, bool snapshot);
    Quote quote_locked(const Market& m, std::int64_t now_ms) const;
    void push_quotes(bool only_live);
    void note_problem(std::string what);
    void minute_work(std::int64_t now_ms);
    bool backfill_one(std::int64_t now_ms);
    Result<std::vector<MinuteCandle>> fetch_candles(const std::string& code, std::int64_t to_ms,
                                                    int count);
    void pace_rest();
    Market* find_locked(std::string_view code);
    const Market* find_locked(std::string_view code) const;

    Hub& hub_;
    const Clock& clock_;
    const UpbitFeedOptions options_;
    const HttpGet http_get_;

    mutable std::mutex mu_;
    std::vector<Market> markets_;
    UpbitFeedStats stats_;
    std::int64_t connected_at_ms_ = 0;
    std::int64_t last_minute_ = 0;
    std::int64_t last_problem_log_ms_ = 0;
    std::uint64_t suppressed_logs_ = 0;
    std::int64_t last_rest_ms_ = 0;

    std::mutex run_mu_;
    std::condition_variable run_cv_;
    bool stopping_ = false;
    bool started_ = false;
    std::thread thread_;
};

}  // namespace sinmun::market
