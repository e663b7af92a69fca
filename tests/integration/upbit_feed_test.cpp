// UpbitFeed end to end over real sockets: a local WebSocket server (ws:// on 127.0.0.1, port 0)
// and a local HTTP server for minute candles (tests/support/fake_upbit.hpp), both speaking Upbit's
// documented formats, against web::WsClient + web::HttpsClient + market::UpbitFeed + market::Hub.
// Time for the feed and hub is a ManualClock, so 24 hours pass in a line; each test is bounded to
// seconds.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "fake_upbit.hpp"
#include "market/feeds/upbit_feed.hpp"
#include "market/hub.hpp"
#include "upbit_frames.hpp"
#include "web/https_client.hpp"
#include "web/ws_client.hpp"

namespace {

using namespace std::chrono_literals;
using sinmun::Decimal;
using sinmun::testing::FakeUpbit;
using sinmun::testing::upbit_candle;
using sinmun::testing::upbit_trade;

constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMin;
constexpr std::int64_t kT = 1'764'000'000'000 + 30'000;  // a minute boundary + 30 s

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
            return sinmun::Result<std::vector<sinmun::market::MinuteClose>>(
                sinmun::testing::persisted_btc_day(kT));
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
    server.send(upbit_trade("KRW-BTC", kT - 1'000, "102130000", 1001));
    server.send(upbit_trade("KRW-BTC", kT - 1'000, "102130000", 1001));  // duplicate sequential_id
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
    const std::int64_t m0 = (kT / kMin) * kMin;
    server.set_candles(
        "KRW-BTC", "[" +
                       upbit_candle("KRW-BTC", m0 + 5 * kMin, m0 + 5 * kMin + 7'000, "103000000") +
                       "," + upbit_candle("KRW-BTC", m0, kT - 5'000, "101000000") + "]");
    const auto runs_before = feed->stats().backfill_runs;
    server.drop();
    ASSERT_TRUE(eventually([&] { return !feed->stats().connected; }));
    clock.advance_ms(10 * kMin);  // ten minutes pass while we are away
    ASSERT_TRUE(eventually([&] { return server.subscriptions().size() == 2; }));
    EXPECT_EQ(server.subscriptions()[1], server.subscriptions()[0]);  // the same subscription
    server.send(upbit_trade("KRW-BTC", kT + 10 * kMin, "104000000", 2002));
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
    server.send(upbit_trade("KRW-BTC", kT - 1'000, "102130000", 1001));
    ASSERT_TRUE(eventually([&] { return row("KRW-BTC") && row("KRW-BTC")->quote.price.units(); }));
    EXPECT_FALSE(row("KRW-BTC")->stale);
    clock.advance_ms(40'000);  // the exchange says nothing for 40 s
    ASSERT_TRUE(eventually([&] { return row("KRW-BTC")->stale; }));
    EXPECT_EQ(feed->stats().state, "stale");
    // Life returns: the next frame makes it live again.
    server.send(upbit_trade("KRW-BTC", kT + 39'000, "102140000", 1002));
    ASSERT_TRUE(eventually([&] { return !row("KRW-BTC")->stale; }));
}

}  // namespace
