// `sinmun import-quotes` through the real binary: good files of each encoding are imported and
// stored, broken rows are reported by line on the way. (The HTTP push test through the binary
// waits for the integrator to wire add_market_routes into the server; the push endpoint itself
// is tested in src/web/handlers/market_api_test.cpp.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

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
