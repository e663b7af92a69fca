#include "market/market_stream.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "core/kst.hpp"

namespace sinmun::market {
namespace {

namespace json = boost::json;

struct Event {
    std::string id;
    std::string name;
    json::object data;
};

// Splits framed SSE text into events and parses each data line with a real JSON parser.
std::vector<Event> parse_events(const std::string& text) {
    std::vector<Event> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = text.find("\n\n", pos);
        EXPECT_NE(end, std::string::npos) << "unterminated event";
        if (end == std::string::npos) break;
        const std::string block = text.substr(pos, end - pos);
        pos = end + 2;
        Event ev;
        std::size_t lp = 0;
        int data_lines = 0;
        while (lp <= block.size()) {
            auto le = block.find('\n', lp);
            if (le == std::string::npos) le = block.size();
            const std::string line = block.substr(lp, le - lp);
            lp = le + 1;
            if (line.rfind("id: ", 0) == 0)
                ev.id = line.substr(4);
            else if (line.rfind("event: ", 0) == 0)
                ev.name = line.substr(7);
            else if (line.rfind("data: ", 0) == 0) {
                ++data_lines;
                boost::system::error_code ec;
                auto v = json::parse(line.substr(6), ec);
                EXPECT_FALSE(ec) << line;
                if (!ec) ev.data = v.as_object();
            } else {
                ADD_FAILURE() << "unexpected line: " << line;
            }
        }
        EXPECT_EQ(data_lines, 1);
        out.push_back(std::move(ev));
    }
    return out;
}

Quote q(const char* code, const char* price, std::optional<std::int64_t> ppm, int tick = 0) {
    Quote out;
    out.code = code;
    out.price = *Decimal::parse(price);
    out.change_ppm = ppm;
    out.tick = tick;
    return out;
}

class MarketStreamTest : public ::testing::Test {
protected:
    ManualClock clock_{kst::from_kst(2026, 11, 25, 14, 3, 7)};
    Hub hub_{clock_};
    void SetUp() override {
        hub_.set_instruments({{"KRW-BTC", "비트코인", AssetClass::crypto, "UPBIT", 0},
                              {"KRW-ETH", "이더리움", AssetClass::crypto, "UPBIT", 1},
                              {"KRW-SAND", "샌드박스", AssetClass::crypto, "UPBIT", 2},
                              {"005930", "삼성전자", AssetClass::stock, "KOSPI", 0},
                              {"000660", "SK하이닉스", AssetClass::stock, "KOSPI", 0}});
        hub_.set_sources("데모 시세 (실제 시세 아님)", "데모 데이터 · KRX 종가 기준");
        hub_.set_demo(true);
        hub_.set_krx_state(KrxState::closed, "11.25 장종료");
        std::vector<Quote> qs{q("KRW-BTC", "131250000", 21300, 1),
                              q("KRW-ETH", "4850000", -5000, -1),
                              q("KRW-SAND", "690.5", std::nullopt, 0)};
        Quote s = q("005930", "71500", 29900);
        s.trade_value = 1'000'000'000'000;
        qs.push_back(s);
        hub_.update(qs);
    }
};

TEST_F(MarketStreamTest, FirstFrameIsTheSnapshotWithTheDocumentedFields) {
    MarketStream stream(hub_);
    stream.start([] {});
    const auto events = parse_events(stream.next());
    ASSERT_EQ(events.size(), 1u);
    const auto& ev = events[0];
    EXPECT_EQ(ev.name, "snapshot");
    const auto& d = ev.data;
    EXPECT_EQ(ev.id, std::to_string(d.at("seq").as_int64()));
    EXPECT_EQ(d.at("asof").as_string(), "2026-11-25T14:03:07+09:00");
    EXPECT_TRUE(d.at("demo").as_bool());

    const auto& crypto = d.at("crypto").as_object();
    EXPECT_EQ(crypto.at("basis").as_string(), "24시간 변동률 기준");
    EXPECT_EQ(crypto.at("source").as_string(), "데모 시세 (실제 시세 아님)");
    const auto& rows = crypto.at("rows").as_array();
    ASSERT_EQ(rows.size(), 3u);
    const auto& btc = rows[0].as_object();
    EXPECT_EQ(btc.at("code").as_string(), "KRW-BTC");
    EXPECT_EQ(btc.at("name").as_string(), "비트코인");
    EXPECT_EQ(btc.at("price").as_string(), "131250000");
    EXPECT_EQ(btc.at("price_text").as_string(), "131,250,000");
    EXPECT_EQ(btc.at("chg_ppm").as_int64(), 21300);
    EXPECT_EQ(btc.at("chg_text").as_string(), "+2.13%");
    EXPECT_EQ(btc.at("dir").as_string(), "up");
    EXPECT_EQ(btc.at("tick").as_string(), "up");
    EXPECT_FALSE(btc.at("stale").as_bool());
    const auto& eth = rows[1].as_object();
    EXPECT_EQ(eth.at("chg_text").as_string(), "-0.50%");
    EXPECT_EQ(eth.at("dir").as_string(), "down");
    EXPECT_EQ(eth.at("tick").as_string(), "down");
    const auto& sand = rows[2].as_object();
    EXPECT_TRUE(sand.at("chg_ppm").is_null());
    EXPECT_EQ(sand.at("chg_text").as_string(), "—");
    EXPECT_EQ(sand.at("dir").as_string(), "none");
    EXPECT_EQ(sand.at("tick").as_string(), "flat");
    EXPECT_EQ(sand.at("price").as_string(), "690.5");
    EXPECT_EQ(sand.at("price_text").as_string(), "690.5");

    const auto& stocks = d.at("stocks").as_object();
    EXPECT_EQ(stocks.at("marker").as_string(), "11.25 장종료");
    EXPECT_EQ(stocks.at("state").as_string(), "closed");
    EXPECT_EQ(stocks.at("source").as_string(), "데모 데이터 · KRX 종가 기준");
    const auto& srows = stocks.at("rows").as_array();
    ASSERT_EQ(srows.size(), 1u);
    const auto& sam = srows[0].as_object();
    EXPECT_EQ(sam.at("code").as_string(), "005930");
    EXPECT_EQ(sam.at("name").as_string(), "삼성전자");
    EXPECT_EQ(sam.at("market").as_string(), "KOSPI");
    EXPECT_EQ(sam.at("price").as_string(), "71500");
    EXPECT_EQ(sam.at("price_text").as_string(), "71,500");
    EXPECT_EQ(sam.at("chg_ppm").as_int64(), 29900);
    EXPECT_EQ(sam.at("chg_text").as_string(), "+2.99%");
    EXPECT_EQ(sam.at("dir").as_string(), "up");
    EXPECT_FALSE(sam.at("limit_up").as_bool());

    // Same object as the REST snapshot.
    EXPECT_EQ(json::serialize(d), json::serialize(json::parse(snapshot_json(*hub_.snapshot()))));
    stream.stop();
}

TEST_F(MarketStreamTest, LaterFramesCarryOnlyChangedRowsWithTheLatestValue) {
    MarketStream stream(hub_);
    int wakes = 0;
    stream.start([&] { ++wakes; });
    ASSERT_EQ(parse_events(stream.next())[0].name, "snapshot");
    EXPECT_EQ(stream.next(), "");  // nothing changed

    for (int i = 0; i < 50; ++i) {
        std::vector<Quote> qs{q("KRW-ETH", i % 2 ? "4851000" : "4852000", -4000 + i, 1)};
        hub_.update(qs);
    }
    EXPECT_EQ(wakes, 50);
    auto events = parse_events(stream.next());
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].name, "crypto");
    const auto& rows = events[0].data.at("rows").as_array();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("code").as_string(), "KRW-ETH");
    EXPECT_EQ(rows[0].at("price").as_string(), "4851000");  // i = 49
    EXPECT_EQ(rows[0].at("chg_ppm").as_int64(), -4000 + 49);
    EXPECT_EQ(events[0].id, std::to_string(hub_.snapshot()->seq));
    EXPECT_TRUE(events[0].data.contains("asof"));
    EXPECT_EQ(stream.next(), "");

    // A stocks change sends the whole list with the marker.
    Quote s = q("000660", "236500", 299450);
    s.limit_up = true;
    hub_.update(std::span<const Quote>(&s, 1));
    events = parse_events(stream.next());
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].name, "stocks");
    EXPECT_EQ(events[0].data.at("marker").as_string(), "11.25 장종료");
    EXPECT_EQ(events[0].data.at("state").as_string(), "closed");
    const auto& srows = events[0].data.at("rows").as_array();
    ASSERT_EQ(srows.size(), 2u);
    EXPECT_EQ(srows[0].at("code").as_string(), "000660");
    EXPECT_TRUE(srows[0].at("limit_up").as_bool());
    EXPECT_EQ(srows[0].at("chg_text").as_string(), "+29.95%");

    // Stale flips travel as crypto rows.
    clock_.advance_ms(31'000);
    hub_.tick();
    events = parse_events(stream.next());
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].name, "crypto");
    EXPECT_EQ(events[0].data.at("rows").as_array().size(), 3u);
    EXPECT_TRUE(events[0].data.at("rows").as_array()[0].at("stale").as_bool());

    stream.stop();
    hub_.set_krx_state(KrxState::pre_open, "11.25 장종료");
    EXPECT_EQ(wakes, 52);  // no wake after stop()
}

TEST_F(MarketStreamTest, ClientsAtDifferentPositionsGetTheirOwnFramesFromOneSnapshot) {
    // Frames are built once per snapshot and position and shared: a lagging client must still
    // get every row changed since ITS last frame, not the up-to-date clients' smaller frame.
    MarketStream up_to_date(hub_), lagging(hub_), also_up_to_date(hub_);
    for (auto* s : {&up_to_date, &lagging, &also_up_to_date}) {
        s->start([] {});
        ASSERT_EQ(parse_events(s->next())[0].name, "snapshot");
    }
    std::vector<Quote> btc{q("KRW-BTC", "131000000", 1000, 1)};
    hub_.update(btc);
    EXPECT_EQ(parse_events(up_to_date.next())[0].data.at("rows").as_array().size(), 1u);
    EXPECT_EQ(parse_events(also_up_to_date.next())[0].data.at("rows").as_array().size(), 1u);
    std::vector<Quote> eth{q("KRW-ETH", "4853000", -3000, -1)};
    hub_.update(eth);
    const std::string a = up_to_date.next();
    const std::string b = also_up_to_date.next();
    EXPECT_EQ(a, b);  // same position, same bytes
    ASSERT_EQ(parse_events(a)[0].data.at("rows").as_array().size(), 1u);
    EXPECT_EQ(parse_events(a)[0].data.at("rows").as_array()[0].at("code").as_string(), "KRW-ETH");
    const auto behind = parse_events(lagging.next());  // missed the BTC frame: gets both rows
    ASSERT_EQ(behind.size(), 1u);
    const auto& rows = behind[0].data.at("rows").as_array();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].at("code").as_string(), "KRW-BTC");
    EXPECT_EQ(rows[1].at("code").as_string(), "KRW-ETH");
    EXPECT_EQ(behind[0].id, parse_events(a)[0].id);
    // A new client on the same snapshot gets the whole snapshot, not a delta.
    MarketStream late(hub_);
    late.start([] {});
    const auto first = parse_events(late.next());
    ASSERT_EQ(first[0].name, "snapshot");
    EXPECT_EQ(first[0].data.at("crypto").at("rows").as_array().size(), 3u);
    for (auto* s : {&up_to_date, &lagging, &also_up_to_date, &late}) s->stop();
}

TEST_F(MarketStreamTest, NewSourceSendsAFreshSnapshot) {
    MarketStream stream(hub_);
    stream.start([] {});
    stream.next();
    hub_.set_sources("업비트 KRW 마켓", "KRX 종가 기준");
    const auto events = parse_events(stream.next());
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].name, "snapshot");
    EXPECT_EQ(events[0].data.at("crypto").at("source").as_string(), "업비트 KRW 마켓");
}

TEST(MarketStreamJson, EscapesHostileNamesAndStaysValid) {
    ManualClock clock(0);
    Hub hub(clock);
    hub.set_instruments(
        {{"KRW-X\"Y", "이름 \"따옴표\" \\ <script>\n\x01", AssetClass::crypto, "UPBIT", 0},
         {"KRW-BAD", std::string("bad \xff\xfe utf8"), AssetClass::crypto, "UPBIT", 1}});
    hub.set_krx_state(KrxState::holiday, "마커 \"x\"");
    std::vector<Quote> qs{q("KRW-X\"Y", "1", 0), q("KRW-BAD", "0.0001", 0)};
    hub.update(qs);
    const std::string body = snapshot_json(*hub.snapshot());
    EXPECT_EQ(body.find('\n'), std::string::npos);
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    ASSERT_FALSE(ec) << body;
    const auto& rows = v.at("crypto").at("rows").as_array();
    EXPECT_EQ(rows[0].at("name").as_string(), "이름 \"따옴표\" \\ <script>\n\x01");
    EXPECT_EQ(rows[0].at("chg_text").as_string(), "0.00%");
    EXPECT_EQ(rows[0].at("dir").as_string(), "flat");
    EXPECT_EQ(rows[1].at("name").as_string(), "bad \xEF\xBF\xBD\xEF\xBF\xBD utf8");
    EXPECT_EQ(rows[1].at("price").as_string(), "0.0001");
    EXPECT_EQ(v.at("stocks").at("state").as_string(), "holiday");
    EXPECT_EQ(v.at("stocks").at("marker").as_string(), "마커 \"x\"");
}

}  // namespace
}  // namespace sinmun::market
