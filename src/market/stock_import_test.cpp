#include "market/stock_import.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/kst.hpp"
#include "market/gainers.hpp"
#include "store/stores.hpp"

namespace sinmun::market {
namespace {

namespace fs = std::filesystem;

std::string fixture(const char* name) {
    const char* src = std::getenv("SINMUN_SOURCE_DIR");
    const fs::path p =
        fs::path(src ? src : SINMUN_TEST_SOURCE_DIR) / "tests/fixtures/market" / name;
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_TRUE(in.good() || in.eof()) << p;
    return ss.str();
}

const std::int64_t kNow = kst::from_kst(2026, 11, 26, 12, 0);  // Thursday noon
const std::int64_t kClose25 = kst::from_kst(2026, 11, 25, 15, 30);

ImportOptions opts(std::optional<CivilDate> date = std::nullopt) {
    ImportOptions o;
    o.date = date;
    o.now_ms = kNow;
    return o;
}

const StockRecord* find(const ParsedQuotes& p, std::string_view code) {
    for (const auto& r : p.records)
        if (r.instrument.code == code) return &r;
    return nullptr;
}

std::string problems_text(const ParsedQuotes& p) {
    std::string out;
    for (const auto& pr : p.problems) out += std::to_string(pr.line) + ": " + pr.reason + "\n";
    return out;
}

TEST(StockImport, DataGoKrJson) {
    const KrxCalendar cal;
    auto p = parse_stock_quotes(fixture("datagokr_stocks.json"), cal, opts());
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->format, "data.go.kr 주식시세정보 JSON");
    EXPECT_EQ(p->encoding, "UTF-8");
    EXPECT_TRUE(p->problems.empty()) << problems_text(*p);
    ASSERT_EQ(p->records.size(), 3u);
    const auto* s = find(*p, "005930");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->instrument.name, "삼성전자");
    EXPECT_EQ(s->instrument.market, "KOSPI");
    EXPECT_EQ(s->quote.price, Decimal::from_integer(71'500));
    EXPECT_EQ(*s->quote.change_ppm, 29'900);
    EXPECT_EQ(s->quote.trade_value, 1'082'345'678'900);
    EXPECT_EQ(s->quote.as_of_ms, kClose25);
    EXPECT_EQ(*s->quote.base_price, Decimal::from_integer(69'420));
    EXPECT_TRUE(s->quote.end_of_day);
    EXPECT_FALSE(s->quote.limit_up);
    EXPECT_EQ(s->line, 4);
    const auto* hynix = find(*p, "000660");
    ASSERT_TRUE(hynix);
    EXPECT_TRUE(hynix->quote.limit_up);  // 182,000 × 1.3 on the 500 won grid = 236,500
    EXPECT_EQ(*find(*p, "247540")->quote.change_ppm, -12'300);
}

TEST(StockImport, DataGoKrSingleItemIsAnObjectWithJsonNumbers) {
    const KrxCalendar cal;
    auto p = parse_stock_quotes(fixture("datagokr_single.json"), cal, opts());
    ASSERT_TRUE(p) << p.error().message;
    ASSERT_EQ(p->records.size(), 1u) << problems_text(*p);
    EXPECT_EQ(p->records[0].instrument.code, "035720");
    EXPECT_EQ(p->records[0].quote.price, Decimal::from_integer(41'250));
    EXPECT_EQ(*p->records[0].quote.change_ppm, 31'300);  // 3.13 as a JSON number, exactly
    EXPECT_EQ(p->records[0].line, 3);
}

TEST(StockImport, BareArrayOfItems) {
    const KrxCalendar cal;
    auto p = parse_stock_quotes(
        R"([{"basDt":"20261125","srtnCd":"A005930","itmsNm":"삼성전자","mrktCtg":"KOSPI",)"
        R"("clpr":"71500","fltRt":"2.99"}])",
        cal, opts());
    ASSERT_TRUE(p) << p.error().message;
    ASSERT_EQ(p->records.size(), 1u) << problems_text(*p);
    EXPECT_EQ(p->records[0].instrument.code, "005930");
    EXPECT_FALSE(p->records[0].quote.base_price);
}

TEST(StockImport, KrxOpenApiJson) {
    const KrxCalendar cal;
    auto p = parse_stock_quotes(fixture("krx_openapi_stocks.json"), cal, opts());
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->format, "KRX 일별매매정보 JSON");
    EXPECT_TRUE(p->problems.empty()) << problems_text(*p);
    ASSERT_EQ(p->records.size(), 4u);
    EXPECT_TRUE(find(*p, "005930"));  // from the ISIN KR7005930003
    EXPECT_EQ(find(*p, "005930")->quote.trade_value, 1'082'345'678'900);
    EXPECT_EQ(find(*p, "005935")->instrument.kind, StockKind::preferred);
    EXPECT_TRUE(find(*p, "028300")->quote.halted);  // no trade, no opening price
    EXPECT_FALSE(find(*p, "041510")->quote.halted);
}

TEST(StockImport, KrxSiteCsvWithBomNeedsADate) {
    const KrxCalendar cal;
    const auto bytes = fixture("krx_site_stocks.csv");
    auto without = parse_stock_quotes(bytes, cal, opts());
    ASSERT_TRUE(without) << without.error().message;
    EXPECT_TRUE(without->records.empty());
    ASSERT_EQ(without->problems.size(), 3u);
    EXPECT_NE(without->problems[0].reason.find("--date"), std::string::npos);

    auto p = parse_stock_quotes(bytes, cal, opts(CivilDate{2026, 11, 25}));
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->format, "KRX 전종목 시세 CSV");
    EXPECT_EQ(p->encoding, "UTF-8 (BOM)");
    EXPECT_TRUE(p->problems.empty()) << problems_text(*p);
    ASSERT_EQ(p->records.size(), 3u);
    EXPECT_EQ(find(*p, "005930")->quote.trade_value, 1'082'345'678'900);
    EXPECT_EQ(find(*p, "263750")->instrument.market, "KOSDAQ");  // KOSDAQ GLOBAL
    EXPECT_TRUE(find(*p, "263750")->quote.limit_up);             // 29,600 → 38,450 (50 won grid)
    EXPECT_EQ(*find(*p, "086520")->quote.base_price, Decimal::from_integer(89'000));
}

TEST(StockImport, EucKrCsvFromTheKrxSite) {
    const KrxCalendar cal;
    const auto bytes = fixture("krx_site_stocks_euckr.csv");
    auto p = parse_stock_quotes(bytes, cal, opts(CivilDate{2026, 11, 25}));
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->encoding, "CP949");
    EXPECT_TRUE(p->problems.empty()) << problems_text(*p);
    ASSERT_EQ(p->records.size(), 3u);
    EXPECT_EQ(find(*p, "005930")->instrument.name, "삼성전자");
    EXPECT_EQ(find(*p, "263750")->instrument.name, "펄어비스");
}

TEST(StockImport, DataGoKrCsv) {
    const KrxCalendar cal;
    auto p = parse_stock_quotes(fixture("datagokr_stocks.csv"), cal, opts());
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->format, "data.go.kr 주식시세정보 CSV");
    ASSERT_EQ(p->records.size(), 2u) << problems_text(*p);
    EXPECT_EQ(*find(*p, "373220")->quote.change_ppm, -8'500);
}

TEST(StockImport, BrokenRowsAreReportedByLineAndSkipped) {
    const KrxCalendar cal;
    auto p = parse_stock_quotes(fixture("broken_stocks.csv"), cal, opts(CivilDate{2026, 11, 25}));
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_EQ(p->rows, 8u);
    ASSERT_EQ(p->records.size(), 2u) << problems_text(*p);
    EXPECT_EQ(p->records[0].instrument.code, "005930");
    EXPECT_EQ(p->records[1].instrument.code, "105560");
    EXPECT_EQ(p->records[1].line, 9);  // a quoted field spans lines 9–10
    ASSERT_EQ(p->problems.size(), 6u) << problems_text(*p);
    auto expect = [&](std::size_t i, int line, std::string_view needle) {
        EXPECT_EQ(p->problems[i].line, line) << problems_text(*p);
        EXPECT_NE(p->problems[i].reason.find(needle), std::string::npos) << p->problems[i].reason;
    };
    expect(0, 3, "not a 6-character KRX code");
    expect(1, 4, "종가 'abc' is not a number");
    expect(2, 5, "시장구분 'NYSE'");
    expect(3, 6, "missing 등락률");
    expect(4, 7, "duplicate row for 2026-11-25 (first on line 2)");
    expect(5, 8, "expected 14 columns, found 5");
}

TEST(StockImport, DaysWithoutASessionAreProblems) {
    KrxCalendar cal;
    auto sat =
        parse_stock_quotes(fixture("datagokr_stocks.csv"), cal, opts(CivilDate{2026, 11, 28}));
    ASSERT_TRUE(sat);
    ASSERT_FALSE(sat->problems.empty());
    EXPECT_NE(sat->problems[0].reason.find("differs from --date 2026-11-28"), std::string::npos);
    const std::string holidays[] = {"2026-11-25"};
    ASSERT_TRUE(add_extra_holidays(cal, holidays));
    auto hol = parse_stock_quotes(fixture("datagokr_stocks.csv"), cal, opts());
    ASSERT_TRUE(hol);
    ASSERT_EQ(hol->problems.size(), 2u);
    EXPECT_NE(hol->problems[0].reason.find("2026-11-25 is not a KRX trading day (휴장일 (설정))"),
              std::string::npos)
        << hol->problems[0].reason;
    ImportOptions early = opts();
    early.now_ms = kst::from_kst(2026, 11, 25, 15, 0);
    auto open = parse_stock_quotes(fixture("datagokr_stocks.csv"), KrxCalendar{}, early);
    ASSERT_TRUE(open);
    EXPECT_NE(open->problems[0].reason.find("has not closed yet"), std::string::npos);
}

TEST(StockImport, WholeFileErrors) {
    const KrxCalendar cal;
    EXPECT_FALSE(parse_stock_quotes("", cal, opts()));
    EXPECT_FALSE(parse_stock_quotes("{\"OutBlock_1\": [", cal, opts()));
    auto unknown = parse_stock_quotes("a,b,c\n1,2,3\n", cal, opts());
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("line 1"), std::string::npos);
    EXPECT_FALSE(parse_stock_quotes("{\"foo\":1}", cal, opts()));
    auto api_error = parse_stock_quotes(
        R"({"response":{"header":{"resultCode":"30","resultMsg":"SERVICE KEY IS NOT REGISTERED"}}})",
        cal, opts());
    ASSERT_FALSE(api_error);
    EXPECT_NE(api_error.error().message.find("resultCode 30"), std::string::npos);
    // Bytes that are neither UTF-8 nor CP949.
    EXPECT_FALSE(parse_stock_quotes(std::string("\xff\xff\xff,\n", 5), cal, opts()));
}

TEST(ExtraHolidays, BadDateNamesTheEntry) {
    KrxCalendar cal;
    const std::string dates[] = {"2026-06-03", "2026-13-01"};
    auto s = add_extra_holidays(cal, dates);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().message, "market.holidays[1]: '2026-13-01' is not a date YYYY-MM-DD");
    EXPECT_EQ(parse_civil_date("20260603"), (CivilDate{2026, 6, 3}));
    EXPECT_FALSE(parse_civil_date("2026-02-30"));
}

class StockImportStore : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sinmun-stocks-test-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
        auto db = store::open_sqlite({.path = (dir_ / "m.db").string()});
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
    }
    void TearDown() override {
        db_.reset();
        fs::remove_all(dir_);
    }
    fs::path dir_;
    std::unique_ptr<store::Database> db_;
    KrxCalendar cal_;
};

TEST_F(StockImportStore, ImportsThenLoadsIntoTheHub) {
    auto sum = import_stock_quotes(db_->market(), fixture("datagokr_stocks.json"), cal_, opts());
    ASSERT_TRUE(sum) << sum.error().message;
    EXPECT_EQ(sum->imported, 3u);
    EXPECT_EQ(format_import_report(*sum),
              "data.go.kr 주식시세정보 JSON, UTF-8: 3 rows, 3 imported, 0 with problems; trading "
              "day 2026-11-25\n");

    ManualClock clock(kNow);
    Hub hub(clock);
    ASSERT_TRUE(load_stocks_into(hub, db_->market(), cal_));
    const auto snap = hub.snapshot();
    ASSERT_EQ(snap->gainers.size(), 2u);  // 에코프로비엠 fell
    EXPECT_EQ(snap->gainers[0].instrument.code, "000660");
    EXPECT_TRUE(snap->gainers[0].quote.limit_up);
    EXPECT_EQ(snap->gainers[1].instrument.code, "005930");
    EXPECT_EQ(snap->krx_marker, "11.25 장종료");
    EXPECT_EQ(snap->krx_state, KrxState::open);
    EXPECT_EQ(snap->stock_source, "한국거래소 일별 시세 · 종가 기준");
    // What the store gives back is what was imported.
    auto quotes = db_->market().quotes();
    ASSERT_TRUE(quotes);
    for (const auto& q : *quotes) {
        EXPECT_TRUE(q.end_of_day);
        EXPECT_TRUE(q.base_price);
    }
}

TEST_F(StockImportStore, AnOlderFileDoesNotOverwriteANewerQuote) {
    ASSERT_TRUE(import_stock_quotes(db_->market(), fixture("datagokr_stocks.csv"), cal_, opts()));
    const std::string older =
        "basDt,srtnCd,itmsNm,mrktCtg,clpr,fltRt\n20261124,005930,삼성전자,KOSPI,69420,-1.00\n";
    auto sum = import_stock_quotes(db_->market(), older, cal_, opts());
    ASSERT_TRUE(sum) << sum.error().message;
    EXPECT_EQ(sum->imported, 0u);
    EXPECT_EQ(sum->older_skipped, 1u);
    auto quotes = db_->market().quotes();
    ASSERT_TRUE(quotes);
    for (const auto& q : *quotes) {
        if (q.code == "005930") {
            EXPECT_EQ(q.price, Decimal::from_integer(71'500));
        }
    }
}

TEST_F(StockImportStore, ANewCodeTheDayAfterAStoredDayIsAFirstDayListing) {
    const std::string day1 =
        "basDt,srtnCd,itmsNm,mrktCtg,clpr,fltRt,trPrc\n"
        "20261124,005930,삼성전자,KOSPI,69420,1.00,100\n";
    const std::string day2 =
        "basDt,srtnCd,itmsNm,mrktCtg,clpr,fltRt,trPrc\n"
        "20261125,005930,삼성전자,KOSPI,71500,2.99,100\n"
        "20261125,480000,새내기상장,KOSPI,40000,300.00,100\n";
    auto first = import_stock_quotes(db_->market(), day1, cal_, opts());
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->new_listings, 0u);  // the first import of a market marks nobody
    auto second = import_stock_quotes(db_->market(), day2, cal_, opts());
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->new_listings, 1u);

    ManualClock clock(kNow);
    Hub hub(clock);
    ASSERT_TRUE(load_stocks_into(hub, db_->market(), cal_));
    const auto snap = hub.snapshot();
    ASSERT_EQ(snap->gainers.size(), 1u);
    EXPECT_EQ(snap->gainers[0].instrument.code, "005930");
    // Per-market ranking with the exclusion switched off shows the IPO.
    GainerRules rules;
    rules.exclude_first_day = false;
    const auto all = hub.stocks();
    EXPECT_EQ(rank_gainers(all, rules).front().instrument.code, "480000");
}

}  // namespace
}  // namespace sinmun::market
