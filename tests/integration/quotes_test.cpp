// `sinmun import-quotes` through the real binary: good files of each encoding are imported and
// stored, broken rows are reported by line on the way. (The HTTP push test through the binary
// waits for the integrator to wire add_market_routes into the server; the push endpoint itself
// is tested in src/web/handlers/market_api_test.cpp.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/clock.hpp"
#include "core/kst.hpp"
#include "http_client.hpp"
#include "sinmun_process.hpp"
#include "store/stores.hpp"

namespace sinmun::testing {
namespace {

std::string fixture(const char* name) {
    const char* src = std::getenv("SINMUN_SOURCE_DIR");
    return std::string(src ? src : ".") + "/tests/fixtures/market/" + name;
}

int run(const std::vector<std::string>& args, std::string& output) {
    SinmunProcess p;
    EXPECT_TRUE(p.start(args, ".", /*wait_listening=*/false));
    const auto code = p.wait_exit(60'000);
    output = p.output();
    return code.value_or(-1);
}

TEST(ImportQuotes, ReportsBrokenRowsByLineAndStoresTheRest) {
    TempDir dir;
    const std::string db = dir.file("q.db");
    std::string out;
    EXPECT_EQ(
        run({"import-quotes", fixture("broken_stocks.csv"), "--db", db, "--date", "2026-11-25"},
            out),
        0)
        << out;
    EXPECT_NE(out.find("broken_stocks.csv:4: 000660: 종가 'abc' is not a number (skipped)"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("8 rows, 2 imported, 6 with problems"), std::string::npos) << out;

    EXPECT_EQ(run({"import-quotes", fixture("krx_site_stocks_euckr.csv"), "--db", db, "--date",
                   "2026-11-25"},
                  out),
              0)
        << out;
    EXPECT_NE(out.find("KRX 전종목 시세 CSV, CP949: 3 rows, 3 imported"), std::string::npos) << out;

    auto opened = store::open_sqlite({.path = db});
    ASSERT_TRUE(opened) << opened.error().message;
    auto instruments = (*opened)->market().instruments();
    ASSERT_TRUE(instruments);
    bool found = false;
    for (const auto& i : *instruments)
        if (i.code == "263750") found = i.name == "펄어비스" && i.market == "KOSDAQ";
    EXPECT_TRUE(found);
}

TEST(ImportQuotes, UnreadableFilesAndBadDatesFail) {
    TempDir dir;
    std::string out;
    EXPECT_NE(run({"import-quotes", fixture("datagokr_stocks.json"), "--db", dir.file("q.db"),
                   "--date", "2026-13-01"},
                  out),
              0);
    EXPECT_NE(out.find("--date: expected YYYY-MM-DD"), std::string::npos) << out;
}

}  // namespace
}  // namespace sinmun::testing

// The push API for a licensed real-time source, through the real binary: a bearer token made by
// the CLI, quotes in, 오늘의 상승종목 and the SSE stream out; bad input refused with messages.
TEST(PushQuotes, TokenHoldersPushQuotesThatReachTheGainersAndTheStream) {
    using sinmun::testing::HttpClient;
    sinmun::testing::TempDir dir;
    const std::string db = dir.file("push.db");
    ASSERT_EQ(sinmun::testing::run_sinmun({"migrate", "--db", db}).exit_code, 0);
    auto add = sinmun::testing::run_sinmun({"user", "add", "--email", "wire@sinmun.test", "--name",
                                            "시세담당", "--role", "editor", "--db", db},
                                           "a-long-enough-password\n");
    ASSERT_EQ(add.exit_code, 0) << add.err;
    auto tok =
        sinmun::testing::run_sinmun({"token", "create", "--email", "wire@sinmun.test", "--db", db});
    ASSERT_EQ(tok.exit_code, 0) << tok.err;
    std::string token = tok.out;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();

    sinmun::testing::SinmunProcess p;
    ASSERT_TRUE(p.start({"serve", "--listen", "127.0.0.1:0", "--db", db}, dir.path()))
        << p.output();
    HttpClient c("127.0.0.1", p.port());
    const std::string as_of = sinmun::kst::format_iso8601(sinmun::SystemClock::instance().now_ms());
    const std::string body =
        R"({"quotes":[{"code":"005930","name":"삼성전자","market":"KOSPI","price":"71500","change_rate":"2.99",)"
        R"("trade_value":"900000000000","as_of":")" +
        as_of +
        R"("},{"code":"247540","name":"에코프로비엠","market":"KOSDAQ",)"
        R"("price":"202000","change_rate":"17.03","trade_value":"500000000000","as_of":")" +
        as_of + R"("}]})";
    const std::vector<std::pair<std::string, std::string>> json = {
        {"Content-Type", "application/json"}};

    auto anonymous = c.request("POST", "/api/v1/market/quotes", json, body);
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401);

    auto auth = json;
    auth.emplace_back("Authorization", "Bearer " + token);
    auto pushed = c.request("POST", "/api/v1/market/quotes", auth, body);
    ASSERT_TRUE(pushed);
    ASSERT_EQ(pushed->status, 200) << pushed->body;
    EXPECT_NE(pushed->body.find("\"accepted\":2"), std::string::npos) << pushed->body;

    auto gainers = c.get("/api/v1/market/stocks/gainers");
    ASSERT_TRUE(gainers);
    ASSERT_EQ(gainers->status, 200);
    const auto eco = gainers->body.find("247540"), samsung = gainers->body.find("005930");
    ASSERT_NE(eco, std::string::npos) << gainers->body;
    ASSERT_NE(samsung, std::string::npos);
    EXPECT_LT(eco, samsung) << "ranked by the exchange's 등락률, best first";

    auto stream = c.stream_for("/stream/market", 1500);
    ASSERT_TRUE(stream);
    EXPECT_NE(stream->body.find("에코프로비엠"), std::string::npos)
        << "the snapshot carries pushed quotes";

    auto bad = c.request(
        "POST", "/api/v1/market/quotes", auth,
        R"({"quotes":[{"code":"005930","name":"삼성전자","market":"KOSPI","price":"abc","as_of":")" +
            as_of + R"("}]})");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(bad->body.find("price"), std::string::npos) << bad->body;
    auto home = c.get("/");
    EXPECT_NE(home->body.find("에코프로비엠"), std::string::npos)
        << "the widget shows pushed quotes";
}
