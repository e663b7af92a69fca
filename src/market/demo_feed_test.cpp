#include "market/demo_feed.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/kst.hpp"

namespace sinmun::market {
namespace {

bool on_crypto_grid(Decimal p) {
    return p.units() > 0 && p.units() % DemoMarket::crypto_tick_size(p).units() == 0;
}
bool on_krx_grid(Decimal p) {
    return p.units() > 0 && p.units() % DemoMarket::krx_tick_size(p).units() == 0;
}

TEST(DemoMarket, CryptoTickTable) {
    const auto t = [](const char* s) {
        return DemoMarket::crypto_tick_size(*Decimal::parse(s)).to_string();
    };
    EXPECT_EQ(t("131250000"), "1000");
    EXPECT_EQ(t("2000000"), "1000");
    EXPECT_EQ(t("1999999"), "500");
    EXPECT_EQ(t("650000"), "100");
    EXPECT_EQ(t("280000"), "50");
    EXPECT_EQ(t("30000"), "10");
    EXPECT_EQ(t("3200"), "1");
    EXPECT_EQ(t("690"), "0.1");
    EXPECT_EQ(t("55"), "0.01");
    EXPECT_EQ(t("1.5"), "0.001");
    EXPECT_EQ(t("0.5"), "0.0001");
    const auto k = [](const char* s) {
        return DemoMarket::krx_tick_size(*Decimal::parse(s)).to_string();
    };
    EXPECT_EQ(k("1999"), "1");
    EXPECT_EQ(k("4995"), "5");
    EXPECT_EQ(k("17820"), "10");
    EXPECT_EQ(k("41250"), "50");
    EXPECT_EQ(k("71500"), "100");
    EXPECT_EQ(k("352000"), "500");
    EXPECT_EQ(k("985000"), "1000");
}

TEST(DemoMarket, InstrumentsInWidgetOrderWithRealCodes) {
    const auto all = DemoMarket::instruments();
    const std::vector<std::pair<std::string, std::string>> want = {
        {"KRW-BTC", "비트코인"},     {"KRW-ETH", "이더리움"},
        {"KRW-BCH", "비트코인캐시"}, {"KRW-XRP", "리플"},
        {"KRW-SOL", "솔라나"},       {"KRW-ADA", "에이다"},
        {"KRW-EOS", "이오스"},       {"KRW-TRX", "트론"},
        {"KRW-XLM", "스텔라루멘"},   {"KRW-BSV", "비트코인에스브이"},
        {"KRW-LINK", "체인링크"},    {"KRW-SAND", "샌드박스"}};
    ASSERT_GE(all.size(), 12u + 30u);
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(all[i].code, want[i].first);
        EXPECT_EQ(all[i].name, want[i].second);
        EXPECT_EQ(all[i].asset, AssetClass::crypto);
        EXPECT_EQ(all[i].position, static_cast<int>(i));
    }
    std::set<std::string> codes;
    for (std::size_t i = 12; i < all.size(); ++i) {
        EXPECT_EQ(all[i].asset, AssetClass::stock);
        EXPECT_EQ(all[i].code.size(), 6u);
        EXPECT_TRUE(all[i].market == "KOSPI" || all[i].market == "KOSDAQ");
        EXPECT_TRUE(codes.insert(all[i].code).second) << "duplicate " << all[i].code;
    }
    EXPECT_TRUE(codes.contains("005930"));
    EXPECT_TRUE(codes.contains("000660"));
}

TEST(DemoMarket, FirstStepHasHonestLabelledPicture) {
    const std::int64_t t0 = kst::from_kst(2026, 11, 14, 11, 0, 30);  // Saturday
    ManualClock clock(t0);
    Hub hub(clock);
    KrxCalendar cal;
    DemoMarket demo(hub, clock, cal);
    demo.step(t0);
    const auto snap = hub.snapshot();
    EXPECT_TRUE(snap->demo);
    EXPECT_EQ(snap->crypto_source, "데모 시세 (실제 시세 아님)");
    EXPECT_EQ(snap->stock_source, "데모 데이터 · KRX 종가 기준");
    ASSERT_EQ(snap->crypto.size(), 12u);
    EXPECT_EQ(snap->krx_state, KrxState::holiday);
    EXPECT_EQ(snap->krx_marker, "11.13 장종료");
    for (const auto& row : snap->crypto) {
        EXPECT_TRUE(on_crypto_grid(row.quote.price))
            << row.instrument.code << " " << row.quote.price.to_string();
        const auto ref = demo.reference_price(row.instrument.code, t0);
        ASSERT_TRUE(ref.has_value()) << row.instrument.code;
        EXPECT_TRUE(on_crypto_grid(*ref));
        ASSERT_TRUE(row.quote.change_ppm.has_value());
        EXPECT_EQ(*row.quote.change_ppm, *change_ppm(row.quote.price, *ref));
        EXPECT_FALSE(row.stale);
    }
    // Stocks: demo close of Friday 11-13, gainers ranked and within the ±30 % band.
    ASSERT_FALSE(snap->gainers.empty());
    EXPECT_LE(snap->gainers.size(), 10u);
    int limit_ups = 0;
    for (std::size_t i = 0; i < snap->gainers.size(); ++i) {
        const auto& g = snap->gainers[i];
        EXPECT_TRUE(on_krx_grid(g.quote.price)) << g.instrument.code;
        ASSERT_TRUE(g.quote.change_ppm.has_value());
        EXPECT_GT(*g.quote.change_ppm, 0);
        EXPECT_LE(*g.quote.change_ppm, 300'000);
        if (i) {
            EXPECT_LE(*g.quote.change_ppm, *snap->gainers[i - 1].quote.change_ppm);
        }
        if (g.quote.limit_up) {
            ++limit_ups;
            EXPECT_GE(*g.quote.change_ppm, 295'000);
        }
        EXPECT_EQ(g.quote.as_of_ms, kst::from_kst(2026, 11, 13, 15, 30));
    }
    EXPECT_GE(limit_ups, 1);
    EXPECT_LE(limit_ups, 2);
    EXPECT_TRUE(snap->gainers[0].quote.limit_up);
}

TEST(DemoMarket, SameSeedSamePrices) {
    const std::int64_t t0 = kst::from_kst(2026, 3, 10, 10, 0, 0);
    ManualClock clock(t0);
    KrxCalendar cal;
    Hub a(clock), b(clock);
    DemoMarket da(a, clock, cal), db(b, clock, cal);
    for (int i = 0; i < 30; ++i) {
        da.step(t0 + i * 1000);
        db.step(t0 + i * 1000);
    }
    for (const auto& ins : DemoMarket::instruments()) {
        if (ins.asset != AssetClass::crypto) continue;
        EXPECT_EQ(da.last_price(ins.code), db.last_price(ins.code));
    }
    EXPECT_EQ(a.snapshot()->gainers.size(), b.snapshot()->gainers.size());
    EXPECT_EQ(a.snapshot()->gainers[0].instrument.code, b.snapshot()->gainers[0].instrument.code);
}

// Over 25 simulated hours the test keeps its own record of every price the demo printed and
// checks each reported change against the printed price at the minute boundary ≥24 h earlier.
TEST(DemoMarket, ChangeEqualsChangePpmAgainstPriceTwentyFourHoursAgo) {
    const std::int64_t t0 = kst::from_kst(2026, 11, 16, 9, 0, 0);
    ManualClock clock(t0);
    Hub hub(clock);
    KrxCalendar cal;
    DemoMarket demo(hub, clock, cal, DemoOptions{7, 1000});
    std::map<std::string, std::map<std::int64_t, Decimal>> printed;  // code → minute → price
    std::set<std::string> moved, sat_still;
    std::map<std::string, Decimal> prev;
    std::size_t checked = 0;
    constexpr std::int64_t kStep = 20'000;  // 20 s steps keep the test quick
    for (std::int64_t t = t0; t <= t0 + 25LL * 3600 * 1000; t += kStep) {
        clock.set_ms(t);
        demo.step(t);
        const auto snap = hub.snapshot();
        ASSERT_EQ(snap->crypto.size(), 12u);
        for (const auto& row : snap->crypto) {
            const auto& code = row.instrument.code;
            ASSERT_TRUE(on_crypto_grid(row.quote.price))
                << code << " " << row.quote.price.to_string();
            if (auto it = prev.find(code); it != prev.end()) {
                (it->second == row.quote.price ? sat_still : moved).insert(code);
                EXPECT_EQ(row.quote.tick, row.quote.price > it->second   ? 1
                                          : row.quote.price < it->second ? -1
                                                                         : 0);
            }
            prev[code] = row.quote.price;
            if (t % 60'000 == 0) printed[code][t] = row.quote.price;
            EXPECT_FALSE(row.stale);
            if (t >= t0 + 24LL * 3600 * 1000) {
                const std::int64_t ref_minute = (t - 24LL * 3600 * 1000) / 60'000 * 60'000;
                const Decimal ref = printed[code].at(ref_minute);
                ASSERT_TRUE(row.quote.change_ppm.has_value());
                ASSERT_EQ(*row.quote.change_ppm, *change_ppm(row.quote.price, ref))
                    << code << " at " << t;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 12u * 150);
    EXPECT_EQ(moved.size(), 12u);      // every coin moves sometimes
    EXPECT_EQ(sat_still.size(), 12u);  // and every coin sometimes prints flat
    // Prices stay plausible: within a factor of two of where they started.
    for (const auto& [code, minutes] : printed) {
        const Decimal first = minutes.begin()->second, last = minutes.rbegin()->second;
        EXPECT_LT(last.units(), first.units() * 2) << code;
        EXPECT_GT(last.units() * 2, first.units()) << code;
    }
}

TEST(DemoMarket, StocksRollToTheNextCloseAfterFifteenThirty) {
    const std::int64_t t0 = kst::from_kst(2026, 11, 13, 15, 29, 0);  // Friday, session open
    ManualClock clock(t0);
    Hub hub(clock);
    KrxCalendar cal;
    DemoMarket demo(hub, clock, cal);
    demo.step(t0);
    auto snap = hub.snapshot();
    EXPECT_EQ(snap->krx_state, KrxState::open);
    EXPECT_EQ(snap->krx_marker, "11.12 장종료");  // EOD data is Thursday's: never "장중"
    EXPECT_EQ(snap->gainers[0].quote.as_of_ms, kst::from_kst(2026, 11, 12, 15, 30));
    demo.step(t0 + 2 * 60'000);
    snap = hub.snapshot();
    EXPECT_EQ(snap->krx_state, KrxState::closed);
    EXPECT_EQ(snap->krx_marker, "11.13 장종료");
    EXPECT_EQ(snap->gainers[0].quote.as_of_ms, kst::from_kst(2026, 11, 13, 15, 30));
}

TEST(DemoMarket, ThreadRunsAndStopsIdempotently) {
    ManualClock clock(kst::from_kst(2026, 11, 16, 10, 0, 0));
    Hub hub(clock);
    KrxCalendar cal;
    DemoMarket demo(hub, clock, cal, DemoOptions{1, 5});
    std::atomic<int> changes{0};
    auto sub = hub.subscribe([&] { ++changes; });
    demo.start();
    demo.start();
    for (int i = 0; i < 400 && changes.load() < 3; ++i) {
        clock.advance_ms(1000);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    demo.stop();
    demo.stop();
    EXPECT_GE(changes.load(), 3);
    const int after = changes.load();
    clock.advance_ms(60'000);
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    EXPECT_EQ(changes.load(), after);
    EXPECT_EQ(hub.snapshot()->crypto.size(), 12u);
}

}  // namespace
}  // namespace sinmun::market
