#include "market/hub.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace sinmun::market {
namespace {

Instrument coin(const char* code, const char* name, int pos) {
    return Instrument{code, name, AssetClass::crypto, "UPBIT", pos};
}
Instrument stock(const char* code, const char* name, const char* market = "KOSPI") {
    return Instrument{code, name, AssetClass::stock, market, 0};
}

Quote crypto_quote(const char* code, std::int64_t krw,
                   std::optional<std::int64_t> ppm = std::nullopt, int tick = 0) {
    Quote q;
    q.code = code;
    q.price = Decimal::from_integer(krw);
    q.change_ppm = ppm;
    q.tick = tick;
    return q;
}

Quote stock_quote(const char* code, std::int64_t krw, std::int64_t ppm, std::int64_t trade_value,
                  bool limit_up = false, bool halted = false) {
    Quote q;
    q.code = code;
    q.price = Decimal::from_integer(krw);
    q.change_ppm = ppm;
    q.trade_value = trade_value;
    q.limit_up = limit_up;
    q.halted = halted;
    return q;
}

void update_one(Hub& hub, const Quote& q) { hub.update(std::span<const Quote>(&q, 1)); }

class HubTest : public ::testing::Test {
protected:
    ManualClock clock_{1'764'000'000'000};
    Hub hub_{clock_};
    void SetUp() override {
        hub_.set_instruments({coin("KRW-ETH", "이더리움", 1), coin("KRW-BTC", "비트코인", 0),
                              coin("KRW-XRP", "리플", 2)});
    }
};

TEST_F(HubTest, CryptoRowsFollowPositionOnceQuoted) {
    std::vector<Quote> qs{crypto_quote("KRW-XRP", 3200), crypto_quote("KRW-BTC", 131'250'000),
                          crypto_quote("KRW-ETH", 4'850'000)};
    hub_.update(qs);
    auto snap = hub_.snapshot();
    ASSERT_EQ(snap->crypto.size(), 3u);
    EXPECT_EQ(snap->crypto[0].instrument.code, "KRW-BTC");
    EXPECT_EQ(snap->crypto[1].instrument.code, "KRW-ETH");
    EXPECT_EQ(snap->crypto[2].instrument.code, "KRW-XRP");
    EXPECT_EQ(snap->crypto[0].instrument.name, "비트코인");
}

TEST_F(HubTest, UnknownCodesAreIgnored) {
    const auto before = hub_.snapshot()->seq;
    update_one(hub_, crypto_quote("KRW-DOGE", 100));
    EXPECT_EQ(hub_.snapshot()->seq, before);
    EXPECT_TRUE(hub_.snapshot()->crypto.empty());
}

TEST_F(HubTest, PerRowSeqMarksOnlyChangedRows) {
    std::vector<Quote> qs{crypto_quote("KRW-BTC", 100'000'000), crypto_quote("KRW-ETH", 4'000'000),
                          crypto_quote("KRW-XRP", 3000)};
    hub_.update(qs);
    const auto s1 = hub_.snapshot();
    update_one(hub_, crypto_quote("KRW-ETH", 4'001'000, 1000, 1));
    const auto s2 = hub_.snapshot();
    EXPECT_GT(s2->seq, s1->seq);
    std::vector<std::string> changed;
    for (const auto& r : s2->crypto)
        if (r.seq > s1->seq) changed.push_back(r.instrument.code);
    EXPECT_EQ(changed, std::vector<std::string>{"KRW-ETH"});
    // The old snapshot is immutable: still the old price.
    EXPECT_EQ(s1->crypto[1].quote.price, Decimal::from_integer(4'000'000));
}

TEST_F(HubTest, ConsumerReadingAfterManyUpdatesGetsEachRowOnceWithLatestValue) {
    std::vector<Quote> qs{crypto_quote("KRW-BTC", 100'000'000), crypto_quote("KRW-ETH", 4'000'000),
                          crypto_quote("KRW-XRP", 3000)};
    hub_.update(qs);
    const std::uint64_t last_sent = hub_.snapshot()->seq;
    for (int i = 1; i <= 100; ++i) {
        update_one(hub_, crypto_quote("KRW-BTC", 100'000'000 + i * 1000, i, 1));
        update_one(hub_, crypto_quote("KRW-XRP", 3000 + i, i, 1));
    }
    const auto snap = hub_.snapshot();
    EXPECT_EQ(snap->seq, last_sent + 200);
    std::vector<CryptoRow> delta;
    for (const auto& r : snap->crypto)
        if (r.seq > last_sent) delta.push_back(r);
    ASSERT_EQ(delta.size(), 2u);
    EXPECT_EQ(delta[0].instrument.code, "KRW-BTC");
    EXPECT_EQ(delta[0].quote.price, Decimal::from_integer(100'100'000));
    EXPECT_EQ(delta[1].instrument.code, "KRW-XRP");
    EXPECT_EQ(delta[1].quote.price, Decimal::from_integer(3100));
}

TEST_F(HubTest, IdenticalQuoteIsAHeartbeatNotAChange) {
    update_one(hub_, crypto_quote("KRW-BTC", 100'000'000));
    const auto seq = hub_.snapshot()->seq;
    int calls = 0;
    auto sub = hub_.subscribe([&] { ++calls; });
    Quote q = crypto_quote("KRW-BTC", 100'000'000);
    q.as_of_ms = 42;
    update_one(hub_, q);
    EXPECT_EQ(hub_.snapshot()->seq, seq);
    EXPECT_EQ(calls, 0);
}

TEST_F(HubTest, SubscriptionFiresOnChangeAndStopsWhenDestroyed) {
    int a = 0, b = 0;
    auto sub_a = hub_.subscribe([&] { ++a; });
    {
        auto sub_b = hub_.subscribe([&] { ++b; });
        update_one(hub_, crypto_quote("KRW-BTC", 1'000'000));
        EXPECT_EQ(a, 1);
        EXPECT_EQ(b, 1);
    }
    update_one(hub_, crypto_quote("KRW-BTC", 1'001'000));
    EXPECT_EQ(a, 2);
    EXPECT_EQ(b, 1);

    Subscription moved = std::move(sub_a);
    EXPECT_FALSE(sub_a.active());
    EXPECT_TRUE(moved.active());
    update_one(hub_, crypto_quote("KRW-BTC", 1'002'000));
    EXPECT_EQ(a, 3);
    moved.reset();
    update_one(hub_, crypto_quote("KRW-BTC", 1'003'000));
    EXPECT_EQ(a, 3);
}

TEST_F(HubTest, CallbackMayUnsubscribeItself) {
    int calls = 0;
    Subscription sub;
    sub = hub_.subscribe([&] {
        ++calls;
        sub.reset();
    });
    update_one(hub_, crypto_quote("KRW-BTC", 1'000'000));
    update_one(hub_, crypto_quote("KRW-BTC", 1'001'000));
    EXPECT_EQ(calls, 1);
}

TEST_F(HubTest, SubscriptionMayOutliveHub) {
    Subscription sub;
    {
        Hub local(clock_);
        sub = local.subscribe([] {});
    }
    sub.reset();  // must not touch the destroyed hub
    SUCCEED();
}

TEST_F(HubTest, ResetWaitsForARunningCallback) {
    std::atomic<bool> in_callback{false};
    std::atomic<bool> release{false};
    std::atomic<bool> finished{false};
    auto sub = hub_.subscribe([&] {
        in_callback = true;
        while (!release) std::this_thread::yield();
        finished = true;
    });
    std::thread writer([&] { update_one(hub_, crypto_quote("KRW-BTC", 1'000'000)); });
    while (!in_callback) std::this_thread::yield();
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        release = true;
    });
    sub.reset();
    EXPECT_TRUE(finished.load());  // reset() returned only after the callback completed
    writer.join();
    releaser.join();
}

TEST_F(HubTest, RowTurnsStaleAfterThirtySecondsAndRecovers) {
    update_one(hub_, crypto_quote("KRW-BTC", 1'000'000));
    update_one(hub_, crypto_quote("KRW-ETH", 2'000'000));
    int calls = 0;
    auto sub = hub_.subscribe([&] { ++calls; });

    clock_.advance_ms(20'000);
    update_one(hub_, crypto_quote("KRW-ETH", 2'000'000));  // heartbeat keeps ETH fresh
    clock_.advance_ms(9'999);
    hub_.tick();
    EXPECT_EQ(calls, 0);
    EXPECT_FALSE(hub_.snapshot()->crypto[0].stale);

    clock_.advance_ms(1);  // BTC: 30 s since its last quote
    const auto before = hub_.snapshot()->seq;
    hub_.tick();
    EXPECT_EQ(calls, 1);
    auto snap = hub_.snapshot();
    EXPECT_TRUE(snap->crypto[0].stale);
    EXPECT_GT(snap->crypto[0].seq, before);
    EXPECT_FALSE(snap->crypto[1].stale);

    hub_.tick();  // nothing flipped: no new publication
    EXPECT_EQ(calls, 1);

    update_one(hub_, crypto_quote("KRW-BTC", 1'000'000));  // same price, but fresh again
    EXPECT_EQ(calls, 2);
    EXPECT_FALSE(hub_.snapshot()->crypto[0].stale);
}

TEST(HubGainers, RankedByChangeWithExclusionsAndLimitUp) {
    ManualClock clock(0);
    HubOptions opt;
    opt.gainers_limit = 3;
    opt.gainers_min_trade_value = 1'000'000'000;
    Hub hub(clock, opt);
    hub.set_instruments({stock("005930", "삼성전자"), stock("000660", "SK하이닉스"),
                         stock("035720", "카카오"), stock("247540", "에코프로비엠", "KOSDAQ"),
                         stock("028300", "HLB", "KOSDAQ"), stock("015760", "한국전력"),
                         stock("041510", "에스엠", "KOSDAQ")});
    std::vector<Quote> qs{
        stock_quote("005930", 71'500, 29'900, 5'000'000'000),
        stock_quote("000660", 236'500, 299'450, 9'000'000'000, /*limit_up=*/true),
        stock_quote("035720", 45'000, 150'000, 999'999'999),  // too thin
        stock_quote("247540", 170'000, 250'000, 8'000'000'000, false, /*halted=*/true),
        stock_quote("028300", 64'300, 80'000, 2'000'000'000),
        stock_quote("015760", 23'450, -12'000, 7'000'000'000),  // falling: not a gainer
        stock_quote("041510", 78'900, 10'000, 3'000'000'000),
    };
    hub.update(qs);
    const auto snap = hub.snapshot();
    ASSERT_EQ(snap->gainers.size(), 3u);
    EXPECT_EQ(snap->gainers[0].instrument.code, "000660");
    EXPECT_TRUE(snap->gainers[0].quote.limit_up);
    EXPECT_EQ(snap->gainers[1].instrument.code, "028300");
    EXPECT_EQ(snap->gainers[2].instrument.code, "005930");
    EXPECT_FALSE(snap->gainers[2].quote.limit_up);
    EXPECT_EQ(snap->gainers[1].instrument.market, "KOSDAQ");
}

TEST(HubGainers, StocksSeqMovesOnlyWhenTheListOrMarkerChanges) {
    ManualClock clock(0);
    HubOptions opt;
    opt.gainers_limit = 1;
    Hub hub(clock, opt);
    hub.set_instruments({stock("005930", "삼성전자"), stock("000660", "SK하이닉스"),
                         coin("KRW-BTC", "비트코인", 0)});
    std::vector<Quote> qs{stock_quote("005930", 71'500, 29'900, 1),
                          stock_quote("000660", 200'000, 10'000, 1)};
    hub.update(qs);
    const auto s1 = hub.snapshot()->stocks_seq;
    // A change below the cut-off leaves the visible list alone.
    update_one(hub, stock_quote("000660", 200'500, 12'500, 1));
    EXPECT_EQ(hub.snapshot()->stocks_seq, s1);
    update_one(hub, crypto_quote("KRW-BTC", 1'000'000));
    EXPECT_EQ(hub.snapshot()->stocks_seq, s1);
    hub.set_krx_state(KrxState::closed, "11.13 장종료");
    const auto s2 = hub.snapshot()->stocks_seq;
    EXPECT_GT(s2, s1);
    hub.set_krx_state(KrxState::closed, "11.13 장종료");  // same again: nothing
    EXPECT_EQ(hub.snapshot()->stocks_seq, s2);
    EXPECT_EQ(hub.snapshot()->krx_marker, "11.13 장종료");
}

TEST(HubMeta, SourcesAndDemoFlagReachTheSnapshot) {
    ManualClock clock(0);
    Hub hub(clock);
    hub.set_sources("데모 시세 (실제 시세 아님)", "데모 데이터 · KRX 종가 기준");
    hub.set_demo(true);
    const auto snap = hub.snapshot();
    EXPECT_TRUE(snap->demo);
    EXPECT_EQ(snap->crypto_source, "데모 시세 (실제 시세 아님)");
    EXPECT_EQ(snap->stock_source, "데모 데이터 · KRX 종가 기준");
    EXPECT_EQ(snap->layout_seq, snap->seq);
}

TEST(HubConcurrency, ReadersSeeWholeSnapshotsWhileWritersUpdate) {
    ManualClock clock(0);
    Hub hub(clock);
    hub.set_instruments({coin("KRW-BTC", "비트코인", 0), coin("KRW-ETH", "이더리움", 1)});
    std::atomic<bool> done{false};
    std::atomic<int> wakes{0};
    auto sub = hub.subscribe([&] { ++wakes; });
    std::thread writer([&] {
        for (int i = 1; i <= 2000; ++i) {
            // Both rows always carry the same i: a torn snapshot would show them differ.
            std::vector<Quote> qs{crypto_quote("KRW-BTC", i), crypto_quote("KRW-ETH", i)};
            hub.update(qs);
        }
        done = true;
    });
    std::uint64_t last_seq = 0;
    while (!done) {
        auto s = hub.snapshot();
        ASSERT_GE(s->seq, last_seq);
        last_seq = s->seq;
        if (s->crypto.size() == 2) {
            ASSERT_EQ(s->crypto[0].quote.price, s->crypto[1].quote.price);
        }
    }
    writer.join();
    EXPECT_EQ(wakes.load(), 2000);
}

}  // namespace
}  // namespace sinmun::market
