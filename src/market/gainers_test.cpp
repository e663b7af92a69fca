#include "market/gainers.hpp"

#include <gtest/gtest.h>

#include "core/kst.hpp"
#include "market/hub.hpp"

namespace sinmun::market {
namespace {

const std::int64_t kClose = kst::from_kst(2026, 11, 25, 15, 30);

StockRow row(const char* code, const char* name, std::int64_t ppm, std::int64_t value,
             const char* market = "KOSPI") {
    StockRow r;
    r.instrument.code = code;
    r.instrument.name = name;
    r.instrument.asset = AssetClass::stock;
    r.instrument.market = market;
    r.instrument.kind = classify_stock(code, name);
    r.quote.code = code;
    r.quote.price = Decimal::from_integer(10'000);
    r.quote.change_ppm = ppm;
    r.quote.trade_value = value;
    r.quote.as_of_ms = kClose;
    r.quote.end_of_day = true;
    return r;
}

std::vector<std::string> codes(const std::vector<StockRow>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.instrument.code);
    return out;
}

TEST(Gainers, TiesGoToTradeValueThenCode) {
    std::vector<StockRow> u = {row("000300", "C", 50'000, 100), row("000100", "A", 50'000, 100),
                               row("000200", "B", 50'000, 900), row("000400", "D", 60'000, 1)};
    EXPECT_EQ(codes(rank_gainers(u, GainerRules{})),
              (std::vector<std::string>{"000400", "000200", "000100", "000300"}));
}

TEST(Gainers, EachExclusionCanBeSwitched) {
    std::vector<StockRow> u = {
        row("005930", "삼성전자", 10'000, 1'000),
        row("005935", "삼성전자우", 90'000, 1'000),                    // 우선주 (code)
        row("069500", "KODEX 200", 80'000, 1'000),                     // ETF
        row("500001", "신한 인버스 WTI원유 선물 ETN", 70'000, 1'000),  // ETN
        row("000660", "SK하이닉스", 60'000, 1'000),
        row("123450", "새상장", 3'000'000, 1'000, "KOSDAQ"),
        row("222220", "얇은종목", 50'000, 10),
        row("333330", "코넥스종목", 40'000, 1'000, "KONEX"),
    };
    u[4].quote.halted = true;
    u[5].instrument.listing_day = 20261125;
    GainerRules rules;
    rules.min_trade_value = 100;
    EXPECT_EQ(codes(rank_gainers(u, rules)), (std::vector<std::string>{"005930"}));
    EXPECT_EQ(*exclusion_reason(u[1], rules), "preferred (우선주)");
    EXPECT_EQ(*exclusion_reason(u[2], rules), "etf");
    EXPECT_EQ(*exclusion_reason(u[3], rules), "etn");
    EXPECT_EQ(*exclusion_reason(u[4], rules), "halted (거래정지)");
    EXPECT_EQ(*exclusion_reason(u[5], rules), "first trading day (신규상장)");
    EXPECT_EQ(*exclusion_reason(u[6], rules), "trade value below the minimum");

    rules.exclude_preferred = false;
    rules.exclude_etf_etn = false;
    rules.exclude_halted = false;
    rules.exclude_first_day = false;
    rules.min_trade_value = 0;
    rules.markets = {};  // merged, every market
    EXPECT_EQ(codes(rank_gainers(u, rules)),
              (std::vector<std::string>{"123450", "005935", "069500", "500001", "000660", "222220",
                                        "333330", "005930"}));
    rules.markets = {"KOSDAQ"};
    EXPECT_EQ(codes(rank_gainers(u, rules)), (std::vector<std::string>{"123450"}));
}

TEST(Gainers, FirstDayOnlyOnTheListingDay) {
    auto r = row("123450", "새상장", 300'000, 1'000);
    r.instrument.listing_day = 20261124;  // listed yesterday: today it ranks
    EXPECT_FALSE(exclusion_reason(r, GainerRules{}));
}

TEST(Gainers, OnlyRisingNamesByDefault) {
    std::vector<StockRow> u = {row("000100", "A", 0, 1), row("000200", "B", -10'000, 1)};
    EXPECT_TRUE(rank_gainers(u, GainerRules{}).empty());
}

TEST(Gainers, PreferredRuleUsesCodeThenName) {
    EXPECT_TRUE(is_preferred_share("005935", "삼성전자우"));
    EXPECT_TRUE(is_preferred_share("00104K", "CJ4우(전환)"));
    EXPECT_TRUE(is_preferred_share("000547", "흥국화재2우B"));
    EXPECT_FALSE(is_preferred_share("006800", "미래에셋대우"));  // common share, name ends in 우
    EXPECT_TRUE(is_preferred_share("", "어떤회사우B"));          // no short code: the name decides
    EXPECT_FALSE(is_preferred_share("", "어떤회사"));
    EXPECT_EQ(classify_stock("005930", "삼성전자"), StockKind::common);
    EXPECT_EQ(classify_stock("102110", "TIGER 200"), StockKind::etf);
    EXPECT_EQ(classify_stock("000100", "SOLUM"), StockKind::common);  // a brand needs a space
}

TEST(KrxTick, CurrentTableAndThePre2023One) {
    auto tick = [](std::int64_t won, int day = 0, const char* m = "KOSPI") {
        return krx_tick_size(Decimal::from_integer(won), day, m).units() / Decimal::kScale;
    };
    EXPECT_EQ(tick(1'999), 1);
    EXPECT_EQ(tick(2'000), 5);
    EXPECT_EQ(tick(19'990), 10);
    EXPECT_EQ(tick(20'000), 50);
    EXPECT_EQ(tick(199'900), 100);
    EXPECT_EQ(tick(200'000), 500);
    EXPECT_EQ(tick(500'000), 1'000);
    EXPECT_EQ(tick(999, 20220103), 1);
    EXPECT_EQ(tick(1'000, 20220103), 5);
    EXPECT_EQ(tick(9'990, 20220103), 10);
    EXPECT_EQ(tick(10'000, 20220103), 50);
    EXPECT_EQ(tick(50'000, 20220103), 100);
    EXPECT_EQ(tick(100'000, 20220103), 500);
    EXPECT_EQ(tick(100'000, 20220103, "KOSDAQ"), 100);
    EXPECT_EQ(tick(600'000, 20220103), 1'000);
}

TEST(KrxLimitUp, PriceIsTruncatedToTheTickGrid) {
    auto limit = [](std::int64_t base, int day = 0) {
        return krx_limit_up_price(Decimal::from_integer(base), day).units() / Decimal::kScale;
    };
    EXPECT_EQ(limit(10'000), 13'000);
    EXPECT_EQ(limit(7'770), 10'100);            // 10,101 → 10 won grid
    EXPECT_EQ(limit(1'999), 2'595);             // 2,598.7 → 5 won grid
    EXPECT_EQ(limit(15'390), 20'000);           // 20,007 → 50 won grid
    EXPECT_EQ(limit(182'000), 236'500);         // 236,600 → 500 won grid
    EXPECT_EQ(limit(7'770, 20220103), 10'100);  // old table: 50 won grid above 10,000
    EXPECT_EQ(limit(8'000, 20220103), 10'400);
}

TEST(KrxLimitUp, MarkedOnlyAtTheLimitPrice) {
    const Decimal base = Decimal::from_integer(182'000);
    const Decimal limit = Decimal::from_integer(236'500);
    EXPECT_TRUE(is_limit_up(limit, 299'450, base));
    // A price under the limit is not 상한가 even with a +29.5 % or more rate.
    EXPECT_FALSE(is_limit_up(Decimal::from_integer(236'000), 296'700, base));
    // Under the +29.5 % threshold nothing is marked.
    EXPECT_FALSE(is_limit_up(limit, 294'000, base));
    // Without a 기준가 it is inferred from the published rate (to 0.01 %).
    EXPECT_TRUE(is_limit_up(limit, 299'500, std::nullopt));
    EXPECT_TRUE(is_limit_up(Decimal::from_integer(10'100), 299'900, std::nullopt));
    EXPECT_FALSE(is_limit_up(Decimal::from_integer(10'110), 299'900, std::nullopt));
    EXPECT_FALSE(is_limit_up(limit, std::nullopt, base));
}

TEST(StockDelay, EndOfDayShowsTheDataDay) {
    const KrxCalendar cal;
    const auto now = kst::from_kst(2026, 11, 26, 10, 0);  // Thursday, session open
    std::vector<StockRow> rows = {row("005930", "삼성전자", 10'000, 1)};
    const auto d = stock_delay(cal, now, rows);
    EXPECT_EQ(d.marker, "11.25 장종료");
    EXPECT_TRUE(d.end_of_day);
    EXPECT_EQ(d.state, KrxState::open);
    EXPECT_EQ(stock_delay(cal, now, {}).marker, "장중");
}

TEST(StockDelay, IntradayPushesShowMinutesOrTime) {
    const KrxCalendar cal;
    auto r = row("005930", "삼성전자", 10'000, 1);
    r.quote.end_of_day = false;
    r.quote.as_of_ms = kst::from_kst(2026, 11, 26, 10, 0);
    std::vector<StockRow> rows = {r};
    EXPECT_EQ(stock_delay(cal, kst::from_kst(2026, 11, 26, 10, 0, 30), rows).marker, "장중");
    EXPECT_EQ(stock_delay(cal, kst::from_kst(2026, 11, 26, 10, 20, 5), rows).marker, "20분 지연");
    EXPECT_EQ(stock_delay(cal, kst::from_kst(2026, 11, 26, 11, 0), rows).marker, "10:00 기준");
    EXPECT_EQ(stock_delay(cal, kst::from_kst(2026, 11, 27, 9, 5), rows).marker, "11.26 10:00 기준");
    rows[0].quote.as_of_ms = kst::from_kst(2026, 11, 26, 15, 30);
    EXPECT_EQ(stock_delay(cal, kst::from_kst(2026, 11, 26, 18, 0), rows).marker, "11.26 장종료");
}

TEST(HubGainers, HubAppliesTheConfiguredRules) {
    ManualClock clock(kClose);
    HubOptions opt;
    opt.gainers_markets = {"KOSDAQ"};
    Hub hub(clock, opt);
    auto a = row("005930", "삼성전자", 90'000, 1);
    auto b = row("247540", "에코프로비엠", 10'000, 1, "KOSDAQ");
    hub.upsert_stocks({a.instrument, b.instrument});
    const std::vector<Quote> q = {a.quote, b.quote};
    hub.update(q);
    const auto snap = hub.snapshot();
    ASSERT_EQ(snap->gainers.size(), 1u);
    EXPECT_EQ(snap->gainers[0].instrument.code, "247540");
    EXPECT_EQ(hub.stocks().size(), 2u);
}

}  // namespace
}  // namespace sinmun::market
