#include "market/feeds/upbit_protocol.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <random>

namespace sinmun::market::upbit {
namespace {

// The documented ticker example (market-data.md §1.2), DEFAULT keys.
constexpr std::string_view kTicker = R"({"type":"ticker","code":"KRW-BTC",
 "opening_price":31883000,"high_price":32310000,"low_price":31855000,
 "trade_price":32287000.00000000,"prev_closing_price":31883000,
 "change":"RISE","change_price":404000,"signed_change_price":404000,
 "change_rate":0.0126713295,"signed_change_rate":0.0126713295,
 "trade_volume":0.031,"acc_trade_volume":2429.58,"acc_trade_price":78039261076.5,
 "acc_trade_price_24h":230112345678.9,"acc_trade_volume_24h":7123.4,
 "ask_bid":"ASK","acc_ask_volume":1146.2,"acc_bid_volume":1283.3,
 "trade_date":"20230221","trade_time":"074102","trade_timestamp":1676965262139,
 "market_state":"ACTIVE","is_trading_suspended":false,"delisting_date":null,
 "market_warning":"NONE","timestamp":1676965262177,"stream_type":"REALTIME",
 "highest_52_week_price":1000,"highest_52_week_date":"2022-03-28"})";

constexpr std::string_view kTrade = R"({"type":"trade","code":"KRW-SAND","timestamp":1676965262177,
 "trade_date":"2023-02-21","trade_time":"07:41:02","trade_timestamp":1676965262139,
 "trade_price":690.5,"trade_volume":12.3,"ask_bid":"BID","prev_closing_price":680,
 "change":"RISE","change_price":10.5,"sequential_id":1676965262139000,
 "best_ask_price":691,"best_ask_size":10,"best_bid_price":690,"best_bid_size":3,
 "stream_type":"SNAPSHOT"})";

TEST(UpbitProtocol, ParsesTicker) {
    auto m = parse_message(kTicker);
    ASSERT_TRUE(m) << m.error().message;
    const auto* t = std::get_if<Ticker>(&*m);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->code, "KRW-BTC");
    EXPECT_EQ(t->trade_price, Decimal::from_integer(32'287'000));
    EXPECT_EQ(t->trade_timestamp, 1676965262139);
    EXPECT_EQ(t->timestamp, 1676965262177);
    EXPECT_EQ(t->stream_type, StreamType::realtime);
    EXPECT_EQ(t->market_state, "ACTIVE");
    EXPECT_FALSE(t->is_trading_suspended);
    ASSERT_TRUE(t->acc_trade_price_24h);
    EXPECT_EQ(t->acc_trade_price_24h->to_string(), "230112345678.9");
}

TEST(UpbitProtocol, ParsesTradeWithExactFraction) {
    auto m = parse_message(kTrade);
    ASSERT_TRUE(m) << m.error().message;
    const auto* t = std::get_if<Trade>(&*m);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->code, "KRW-SAND");
    EXPECT_EQ(t->trade_price.to_string(), "690.5");
    EXPECT_EQ(t->sequential_id, 1676965262139000u);
    EXPECT_EQ(t->stream_type, StreamType::snapshot);
    EXPECT_EQ(t->ask_bid, "BID");
}

TEST(UpbitProtocol, PriceNeverGoesThroughDouble) {
    // 0.1 + 0.2 style digits and a price beyond double's exact integers (2^53 + 1 units).
    auto m = parse_message(R"({"type":"trade","code":"KRW-XRP","trade_price":900719925474.0993,)"
                           R"("trade_timestamp":1,"sequential_id":2})");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(std::get<Trade>(*m).trade_price.to_string(), "900719925474.0993");
}

TEST(UpbitProtocol, ParsesSimpleKeys) {
    auto m = parse_message(R"({"ty":"ticker","cd":"KRW-ETH","tp":4850000.0,"ttms":1700000000000,)"
                           R"("tms":1700000000001,"st":"SNAPSHOT","ms":"ACTIVE","its":true})");
    ASSERT_TRUE(m) << m.error().message;
    const auto& t = std::get<Ticker>(*m);
    EXPECT_EQ(t.code, "KRW-ETH");
    EXPECT_TRUE(t.is_trading_suspended);
    EXPECT_EQ(t.stream_type, StreamType::snapshot);
}

TEST(UpbitProtocol, ParsesStatusAndError) {
    auto s = parse_message(R"({"status":"UP"})");
    ASSERT_TRUE(s);
    EXPECT_EQ(std::get<Status>(*s).status, "UP");
    auto e = parse_message(R"({"error":{"name":"INVALID_PARAM","message":"bad codes"}})");
    ASSERT_TRUE(e);
    EXPECT_EQ(std::get<ErrorMessage>(*e).name, "INVALID_PARAM");
    EXPECT_EQ(std::get<ErrorMessage>(*e).message, "bad codes");
}

TEST(UpbitProtocol, UnknownTypeIsOther) {
    auto m = parse_message(R"({"type":"orderbook","code":"KRW-BTC","orderbook_units":[{"a":1}]})");
    ASSERT_TRUE(m);
    EXPECT_EQ(std::get<Other>(*m).type, "orderbook");
}

TEST(UpbitProtocol, RejectsGarbageAndTruncated) {
    const std::string_view bad[] = {
        "",
        "PING",
        "{",
        "[]",
        "42",
        "\"text\"",
        R"({"type":"ticker"})",
        R"({"type":"ticker","code":"KRW-BTC","trade_price":"32287000","trade_timestamp":1})",
        R"({"type":"ticker","code":"KRW-BTC","trade_price":1e400,"trade_timestamp":1})",
        R"({"type":"ticker","code":"KRW-BTC","trade_price":-5,"trade_timestamp":1})",
        R"({"type":"ticker","code":"krw btc","trade_price":5,"trade_timestamp":1})",
        R"({"type":"trade","code":"KRW-BTC","trade_price":5,"trade_timestamp":1.5,"sequential_id":1})",
        R"({"type":"trade","code":"KRW-BTC","trade_price":5,"trade_timestamp":1})",
        R"({"type":"trade","code":"KRW-BTC","trade_price":99999999999999999999999999,)"
        R"("trade_timestamp":1,"sequential_id":1})",
        R"({"type":"trade","code":"KRW-BTC","trade_price":5,"trade_timestamp":1,)"
        R"("sequential_id":123456789012345678901234567890})",
        R"([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]])",
    };
    for (auto b : bad) EXPECT_FALSE(parse_message(b)) << b;
    // Every prefix of a valid message is rejected, never crashes.
    for (std::size_t n = 0; n < kTicker.size(); ++n)
        EXPECT_FALSE(parse_message(kTicker.substr(0, n)));
    EXPECT_FALSE(parse_message(std::string(kMaxMessageBytes + 1, ' ')));
}

TEST(UpbitProtocol, SurvivesRandomBytes) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 3000; ++i) {
        std::string s(kTrade);
        const int flips = 1 + static_cast<int>(rng() % 6);
        for (int f = 0; f < flips; ++f) s[rng() % s.size()] = static_cast<char>(rng() % 256);
        (void)parse_message(s);  // any outcome but a crash
    }
}

TEST(UpbitProtocol, SubscriptionIsDocumentedShape) {
    const std::vector<std::string> codes = {"KRW-BTC", "krw-eth"};
    const auto text = subscription("sinmun-1", codes);
    const auto v = boost::json::parse(text);
    const auto& a = v.as_array();
    ASSERT_EQ(a.size(), 4u);
    EXPECT_EQ(a[0].at("ticket").as_string(), "sinmun-1");
    EXPECT_EQ(a[1].at("type").as_string(), "ticker");
    EXPECT_EQ(a[1].at("codes").as_array().size(), 2u);
    EXPECT_EQ(a[1].at("codes").as_array()[1].as_string(), "KRW-ETH");
    EXPECT_EQ(a[2].at("type").as_string(), "trade");
    EXPECT_EQ(a[3].at("format").as_string(), "DEFAULT");
}

TEST(UpbitProtocol, ParsesCandles) {
    const std::string body = R"([
      {"market":"KRW-BTC","candle_date_time_utc":"2023-02-21T07:41:00",
       "candle_date_time_kst":"2023-02-21T16:41:00","opening_price":32280000,
       "high_price":32290000,"low_price":32270000,"trade_price":32287000.0,
       "timestamp":1676965262139,"candle_acc_trade_price":1000.5,"candle_acc_trade_volume":0.3,
       "unit":1},
      {"market":"KRW-BTC","candle_date_time_utc":"2023-02-21T07:39:00",
       "candle_date_time_kst":"2023-02-21T16:39:00","opening_price":32280000,
       "high_price":32290000,"low_price":32270000,"trade_price":32270000,
       "timestamp":1676965199000,"candle_acc_trade_price":1000.5,"candle_acc_trade_volume":0.3,
       "unit":1}])";
    auto c = parse_candles(body);
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_EQ(c->size(), 2u);
    EXPECT_EQ((*c)[0].minute, 1676965260000 / 60000);
    EXPECT_EQ((*c)[0].close, Decimal::from_integer(32'287'000));
    EXPECT_EQ((*c)[1].minute, 1676965140000 / 60000);
    auto empty = parse_candles(" [] ");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
    EXPECT_FALSE(parse_candles(R"({"error":{"name":"too_many_requests","message":"slow"}})"));
    EXPECT_FALSE(parse_candles(R"([{"candle_date_time_utc":"yesterday","trade_price":1}])"));
}

TEST(UpbitProtocol, CandleTarget) {
    EXPECT_EQ(candles_target("KRW-BTC", 1676965260000, 200),
              "/v1/candles/minutes/1?market=KRW-BTC&to=2023-02-21T07:41:00Z&count=200");
}

}  // namespace
}  // namespace sinmun::market::upbit
