// UpbitFeed end to end over real sockets: a local WebSocket server (Beast, ws:// on 127.0.0.1,
// port 0) and a local HTTP server for minute candles, both speaking Upbit's documented formats,
// against web::WsClient + web::HttpsClient + market::UpbitFeed + market::Hub. Time for the feed
// and hub is a ManualClock, so 24 hours pass in a line; each test is bounded to seconds.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "market/feeds/upbit_feed.hpp"
#include "market/hub.hpp"
#include "web/https_client.hpp"
#include "web/ws_client.hpp"

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using sinmun::Decimal;

constexpr auto kTok = net::as_tuple(net::use_awaitable);
constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMin;
constexpr std::int64_t kT = 1'764'000'000'000 + 30'000;  // a minute boundary + 30 s

// A scripted exchange: records subscriptions, sends what the test says, drops on request.
class FakeUpbit {
public:
    FakeUpbit()
        : acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
          http_acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
        net::co_spawn(io_, accept_ws(), net::detached);
        net::co_spawn(io_, accept_http(), net::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~FakeUpbit() {
        io_.stop();
        thread_.join();
    }

    std::string ws_url() const {
        return "ws://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) +
               "/websocket/v1";
    }
    std::string rest_url() const {
        return "http://127.0.0.1:" + std::to_string(http_acceptor_.local_endpoint().port());
    }

    void send(std::string text, bool binary = false) {
        net::post(io_, [this, text = std::move(text), binary]() mutable {
            if (!ws_) return;
            auto msg = std::make_shared<std::string>(std::move(text));
            pending_.push_back({msg, binary});
            if (pending_.size() == 1) net::co_spawn(io_, drain(ws_), net::detached);
        });
    }
    void drop() {
        net::post(io_, [this] {
            if (ws_) {
                beast::error_code ec;
                beast::get_lowest_layer(*ws_).socket().close(ec);
                ws_.reset();
                pending_.clear();
            }
        });
    }

    std::vector<std::string> subscriptions() const {
        std::lock_guard lk(mu_);
        return subs_;
    }
    std::vector<std::string> candle_requests() const {
        std::lock_guard lk(mu_);
        return candle_targets_;
    }
    void set_candles(std::string market, std::string body) {
        std::lock_guard lk(mu_);
        candles_[std::move(market)] = std::move(body);
    }

private:
    using Ws = websocket::stream<beast::tcp_stream>;

    net::awaitable<void> drain(std::shared_ptr<Ws> ws) {
        while (!pending_.empty() && ws == ws_) {
            auto [msg, binary] = pending_.front();
            ws->binary(binary);
            auto [ec, n] = co_await ws->async_write(net::buffer(*msg), kTok);
            if (ec) co_return;
            if (!pending_.empty()) pending_.erase(pending_.begin());
        }
    }

    net::awaitable<void> accept_ws() {
        for (;;) {
            auto [ec, sock] = co_await acceptor_.async_accept(kTok);
            if (ec) co_return;
            net::co_spawn(io_, serve_ws(std::move(sock)), net::detached);
        }
    }
    net::awaitable<void> serve_ws(tcp::socket sock) {
        auto ws = std::make_shared<Ws>(std::move(sock));
        auto [aec] = co_await ws->async_accept(kTok);
        if (aec) co_return;
        beast::flat_buffer buf;
        auto [rec, n] = co_await ws->async_read(buf, kTok);
        if (rec) co_return;
        {
            std::lock_guard lk(mu_);
            subs_.push_back(beast::buffers_to_string(buf.data()));
        }
        ws_ = ws;
        for (;;) {  // keep reading (pings are answered by Beast) until the connection ends
            buf.consume(buf.size());
            auto [ec2, n2] = co_await ws->async_read(buf, kTok);
            if (ec2) break;
        }
        if (ws_ == ws) ws_.reset();
    }

    net::awaitable<void> accept_http() {
        for (;;) {
            auto [ec, sock] = co_await http_acceptor_.async_accept(kTok);
            if (ec) co_return;
            net::co_spawn(io_, serve_http(std::move(sock)), net::detached);
        }
    }
    net::awaitable<void> serve_http(tcp::socket sock) {
        beast::flat_buffer buf;
        http::request<http::string_body> req;
        auto [ec, n] = co_await http::async_read(sock, buf, req, kTok);
        if (ec) co_return;
        const std::string target(req.target());
        std::string body = "[]";
        {
            std::lock_guard lk(mu_);
            candle_targets_.push_back(target);
            for (auto& [market, b] : candles_)
                if (target.find("market=" + market + "&") != std::string::npos) body = b;
        }
        http::response<http::string_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "application/json");
        res.set("Remaining-Req", "group=candles; min=600; sec=9");
        res.body() = body;
        res.prepare_payload();
        co_await http::async_write(sock, res, kTok);
        beast::error_code ignored;
        sock.shutdown(tcp::socket::shutdown_both, ignored);
    }

    net::io_context io_;
    tcp::acceptor acceptor_;
    tcp::acceptor http_acceptor_;
    std::thread thread_;
    std::shared_ptr<Ws> ws_;
    std::vector<std::pair<std::shared_ptr<std::string>, bool>> pending_;
    mutable std::mutex mu_;
    std::vector<std::string> subs_;
    std::vector<std::string> candle_targets_;
    std::map<std::string, std::string> candles_;
};

std::string trade(const std::string& code, std::int64_t ts, const std::string& price,
                  std::uint64_t sid, const char* stream = "REALTIME") {
    return R"({"type":"trade","code":")" + code + R"(","timestamp":)" + std::to_string(ts + 3) +
           R"(,"trade_date":"2025-11-24","trade_time":"12:00:00","trade_timestamp":)" +
           std::to_string(ts) + R"(,"trade_price":)" + price +
           R"(,"trade_volume":0.01,"ask_bid":"BID","prev_closing_price":99000000,"change":"RISE",)"
           R"("change_price":1000,"sequential_id":)" +
           std::to_string(sid) + R"(,"stream_type":")" + stream + R"("})";
}

std::string ticker(const std::string& code, std::int64_t ts, const std::string& price,
                   const char* stream = "SNAPSHOT", bool suspended = false) {
    return R"({"type":"ticker","code":")" + code + R"(","trade_price":)" + price +
           R"(,"prev_closing_price":95000000,"change":"RISE","signed_change_rate":0.0526,)"
           R"("trade_timestamp":)" +
           std::to_string(ts) + R"(,"timestamp":)" + std::to_string(ts + 5) +
           R"(,"market_state":"ACTIVE","is_trading_suspended":)" + (suspended ? "true" : "false") +
           R"(,"stream_type":")" + stream + R"("})";
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (pred()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return pred();
}

class UpbitFeedTest : public ::testing::Test {
protected:
    void SetUp() override {
        hub = std::make_unique<sinmun::market::Hub>(clock, sinmun::market::HubOptions{});
        sinmun::market::UpbitFeedOptions o;
        o.ws_url = server.ws_url();
        o.rest_url = server.rest_url();
        o.heartbeat_ms = 20;
        o.backfill_delay_ms = 0;
        o.rest_requests_per_second = 100;
        // Yesterday, persisted: KRW-BTC closed every minute at 100,000,000.
        o.load_minutes = [](std::int64_t) {
            std::vector<sinmun::market::MinuteClose> rows;
            const std::int64_t m = kT / kMin;
            for (std::int64_t k = m - 1441; k <= m - 2; ++k)
                rows.push_back({"KRW-BTC", k, Decimal::from_integer(100'000'000), k * kMin + 10,
                                sinmun::market::SlotState::traded});
            return sinmun::Result<std::vector<sinmun::market::MinuteClose>>(std::move(rows));
        };
        o.save_minutes = [this](std::span<const sinmun::market::MinuteClose> rows) {
            saved += rows.size();
            return sinmun::ok();
        };
        feed = std::make_unique<sinmun::market::UpbitFeed>(
            *hub, clock, o,
            [this](const std::string& url) -> sinmun::Result<sinmun::market::HttpAnswer> {
                auto r = rest.get(url);
                if (!r) return r.error();
                return sinmun::market::HttpAnswer{r->status, r->body};
            });
        feed->start();
        sinmun::web::WsClientOptions wo;
        wo.url = server.ws_url();
        wo.backoff_initial = 200ms;
        wo.backoff_max = 1s;
        wo.ping_interval = 500ms;
        client = std::make_unique<sinmun::web::WsClient>(
            wo,
            sinmun::web::WsHandlers{[this] { return feed->on_connected(); },
                                    [this](std::string_view p, bool b) { feed->on_message(p, b); },
                                    [this](std::string_view r) { feed->on_disconnected(r); }});
        ASSERT_TRUE(client->start());
        ASSERT_TRUE(eventually([&] { return server.subscriptions().size() == 1; }));
    }
    void TearDown() override {
        client->stop();
        feed->stop();
    }

    std::optional<sinmun::market::CryptoRow> row(const std::string& code) {
        const auto snap = hub->snapshot();  // held: the loop must not outlive it
        for (const auto& r : snap->crypto)
            if (r.instrument.code == code) return r;
        return std::nullopt;
    }

    sinmun::ManualClock clock{kT};
    FakeUpbit server;
    sinmun::web::HttpsClient rest;
    std::unique_ptr<sinmun::market::Hub> hub;
    std::unique_ptr<sinmun::market::UpbitFeed> feed;
    std::unique_ptr<sinmun::web::WsClient> client;
    std::atomic<std::size_t> saved{0};
};

TEST_F(UpbitFeedTest, SubscribesWithTheDocumentedMessage) {
    const auto v = boost::json::parse(server.subscriptions().front());
    const auto& a = v.as_array();
    ASSERT_EQ(a.size(), 4u);
    EXPECT_TRUE(a[0].as_object().contains("ticket"));
    EXPECT_EQ(a[1].at("type").as_string(), "ticker");
    EXPECT_EQ(a[2].at("type").as_string(), "trade");
    EXPECT_EQ(a[3].at("format").as_string(), "DEFAULT");
    const auto& codes = a[1].at("codes").as_array();
    ASSERT_EQ(codes.size(), 12u);
    EXPECT_EQ(codes[0].as_string(), "KRW-BTC");
    EXPECT_EQ(codes[11].as_string(), "KRW-SAND");
    EXPECT_EQ(hub->snapshot()->crypto_source, "업비트 KRW 마켓 · 24시간 변동률 기준");
}

TEST_F(UpbitFeedTest, ScriptedTradesGiveTheExact24HourChangeAndGarbageIsSurvived) {
    server.send(ticker("KRW-BTC", kT - 5'000, "101000000.0"), /*binary=*/true);
    server.send("garbage{", false);
    server.send(std::string("\xff\x00\x01{\"type\":", 10), true);
    server.send(R"({"type":"trade","code":"KRW-BTC","trade_price":1e999,"trade_timestamp":1})");
    server.send(trade("KRW-BTC", kT - 1'000, "102130000", 1001));
    server.send(trade("KRW-BTC", kT - 1'000, "102130000", 1001));  // duplicate sequential_id
    server.send(R"({"status":"UP"})");
    ASSERT_TRUE(eventually([&] { return feed->stats().messages >= 7; }));
    const auto r = row("KRW-BTC");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->instrument.name, "비트코인");
    EXPECT_EQ(r->quote.price, Decimal::from_integer(102'130'000));
    // (102,130,000 − 100,000,000) / 100,000,000 = +2.13 % = 21,300 ppm, against the close of
    // the minute 24 h ago (restored from the store), not Upbit's since-09:00 rate (+5.26 %).
    EXPECT_EQ(r->quote.change_ppm, 21'300);
    EXPECT_EQ(r->quote.tick, 1);
    EXPECT_EQ(r->quote.as_of_ms, kT - 1'000);
    const auto s = feed->stats();
    EXPECT_EQ(s.malformed, 3u);
    EXPECT_EQ(s.duplicates, 1u);
    EXPECT_TRUE(s.connected);
    EXPECT_EQ(s.state, "live");
    // A coin with no 24 h history shows no change (신규), never a made-up one.
    server.send(ticker("KRW-ETH", kT - 2'000, "4850000"));
    ASSERT_TRUE(eventually([&] { return row("KRW-ETH") && row("KRW-ETH")->quote.price.units(); }));
    EXPECT_FALSE(row("KRW-ETH")->quote.change_ppm.has_value());
}

TEST_F(UpbitFeedTest, ReconnectsResubscribesAndBackfillsTheGap) {
    server.send(ticker("KRW-BTC", kT - 5'000, "101000000"));
    ASSERT_TRUE(eventually([&] { return row("KRW-BTC") && row("KRW-BTC")->quote.price.units(); }));
    // Candles the exchange reports: the trade before the drop (T − 5 s, 101,000,000) and one
    // during the gap at T + 5 min (103,000,000).
    auto utc = [](std::int64_t ms) {
        const std::time_t secs = ms / 1000;
        std::tm tm{};
        gmtime_r(&secs, &tm);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
        return std::string(buf);
    };
    auto candle = [&](std::int64_t minute_ms, std::int64_t last_ms, const char* price) {
        return R"({"market":"KRW-BTC","candle_date_time_utc":")" + utc(minute_ms) +
               R"(","trade_price":)" + price + R"(,"timestamp":)" + std::to_string(last_ms) +
               R"(,"unit":1})";
    };
    const std::int64_t m0 = (kT / kMin) * kMin;
    server.set_candles("KRW-BTC", "[" + candle(m0 + 5 * kMin, m0 + 5 * kMin + 7'000, "103000000") +
                                      "," + candle(m0, kT - 5'000, "101000000") + "]");
    const auto runs_before = feed->stats().backfill_runs;
    server.drop();
    ASSERT_TRUE(eventually([&] { return !feed->stats().connected; }));
    clock.advance_ms(10 * kMin);  // ten minutes pass while we are away
    ASSERT_TRUE(eventually([&] { return server.subscriptions().size() == 2; }));
    EXPECT_EQ(server.subscriptions()[1], server.subscriptions()[0]);  // the same subscription
    server.send(trade("KRW-BTC", kT + 10 * kMin, "104000000", 2002));
    ASSERT_TRUE(eventually(
        [&] { return row("KRW-BTC")->quote.price == Decimal::from_integer(104'000'000); }));
    EXPECT_GE(feed->stats().reconnects, 1u);
    // The gap is filled from the candle server.
    ASSERT_TRUE(eventually([&] {
        for (auto [a, b] : feed->unknown_runs("KRW-BTC"))
            if (b >= m0 / kMin - 2) return false;  // the gap (and the minutes before) still open
        return true;
    }));
    EXPECT_GT(feed->stats().backfill_runs, runs_before);
    // A day later, in time order: minutes before the gap's candle inherit the close before it.
    clock.set_ms(kT + kDay + 3 * kMin);
    EXPECT_EQ(feed->reference("KRW-BTC"), Decimal::from_integer(101'000'000));
    clock.set_ms(kT + kDay + 6 * kMin);
    EXPECT_EQ(feed->reference("KRW-BTC"), Decimal::from_integer(103'000'000));
    clock.set_ms(kT + kDay + 10 * kMin + 5'000);
    EXPECT_EQ(feed->reference("KRW-BTC"), Decimal::from_integer(104'000'000));
    const auto req = server.candle_requests().front();
    EXPECT_NE(req.find("/v1/candles/minutes/1?market=KRW-BTC&to="), std::string::npos) << req;
    EXPECT_NE(req.find("&count="), std::string::npos) << req;
}

TEST_F(UpbitFeedTest, SilenceMarksInstrumentsStale) {
    server.send(trade("KRW-BTC", kT - 1'000, "102130000", 1001));
    ASSERT_TRUE(eventually([&] { return row("KRW-BTC") && row("KRW-BTC")->quote.price.units(); }));
    EXPECT_FALSE(row("KRW-BTC")->stale);
    clock.advance_ms(40'000);  // the exchange says nothing for 40 s
    ASSERT_TRUE(eventually([&] { return row("KRW-BTC")->stale; }));
    EXPECT_EQ(feed->stats().state, "stale");
    // Life returns: the next frame makes it live again.
    server.send(trade("KRW-BTC", kT + 39'000, "102140000", 1002));
    ASSERT_TRUE(eventually([&] { return !row("KRW-BTC")->stale; }));
}

}  // namespace
