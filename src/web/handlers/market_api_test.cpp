#include "web/handlers/market_api.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <filesystem>
#include <random>

#include "auth/auth_service.hpp"
#include "core/kst.hpp"
#include "market/hub.hpp"
#include "market/krx_calendar.hpp"
#include "store/stores.hpp"
#include "web/router.hpp"

namespace sinmun::web {
namespace {

// Cheap argon2id (256 KiB, one pass) for the many users these tests make: behaviour, not cost,
// is under test here (crypto_test checks the production cost).
const auth::AuthOptions kCheapHashes{.password_cost = {.time_cost = 1, .memory_kib = 256}};

namespace fs = std::filesystem;
namespace json = boost::json;

class MarketApi : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sinmun-market-api-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
        auto db = store::open_sqlite({.path = (dir_ / "m.db").string()});
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        auth_ = std::make_unique<auth::AuthService>(*db_, clock_, kCheapHashes);
        ASSERT_TRUE(auth_->create_user("desk@example.kr", "시세 데스크", auth::Role::editor,
                                       "correct horse battery"));
        auto token = auth_->create_token("desk@example.kr", "quote feed");
        ASSERT_TRUE(token) << token.error().message;
        token_ = token->second;
        hub_ = std::make_unique<market::Hub>(clock_);
        s_.clock = &clock_;
        s_.hub = hub_.get();
        s_.store = &db_->market();
        s_.calendar = &calendar_;
        s_.authenticate = token_checker(*auth_);
        s_.max_batch = 3;
    }
    void TearDown() override {
        hub_.reset();
        auth_.reset();
        db_.reset();
        fs::remove_all(dir_);
    }

    Request push(std::string body, std::string auth = "") {
        Request r;
        r.method = "POST";
        r.path = r.target = "/api/v1/market/quotes";
        r.headers.push_back({"Content-Type", "application/json"});
        r.headers.push_back({"Authorization", auth.empty() ? "Bearer " + token_ : auth});
        r.body = std::move(body);
        return r;
    }
    Request get(std::string path, std::string query = "") {
        Request r;
        r.method = "GET";
        r.path = path;
        r.query = query;
        r.target = path + (query.empty() ? "" : "?" + query);
        return r;
    }

    ManualClock clock_{kst::from_kst(2026, 11, 26, 10, 20)};  // Thursday, session open
    market::KrxCalendar calendar_;
    fs::path dir_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<auth::AuthService> auth_;
    std::unique_ptr<market::Hub> hub_;
    std::string token_;
    MarketApiServices s_;
};

constexpr const char* kGood =
    R"({"quotes":[{"code":"005930","name":"삼성전자","market":"KOSPI","price":"71500",)"
    R"("change_rate":"2.99","trade_value":"123456789","as_of":"2026-11-26T10:15:00+09:00",)"
    R"("halted":false},)"
    R"({"code":"000660","name":"SK하이닉스","market":"KOSPI","price":236500,"change_rate":29.95,)"
    R"("trade_value":987654321,"as_of":"2026-11-26T10:15:00+09:00","base_price":"182000"}]})";

TEST_F(MarketApi, PushAppliesToTheHubAndPersists) {
    const Response r = market_push_quotes(s_, push(kGood));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, R"({"accepted":2,"ignored":0})");
    const auto snap = hub_->snapshot();
    ASSERT_EQ(snap->gainers.size(), 2u);
    EXPECT_EQ(snap->gainers[0].instrument.code, "000660");
    EXPECT_TRUE(snap->gainers[0].quote.limit_up);
    EXPECT_EQ(snap->gainers[1].quote.price, Decimal::from_integer(71'500));
    EXPECT_EQ(*snap->gainers[1].quote.change_ppm, 29'900);
    EXPECT_EQ(snap->krx_marker, "5분 지연");
    auto stored = db_->market().quotes();
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->size(), 2u);
    EXPECT_FALSE((*stored)[0].end_of_day);

    // A later push for a known code may omit name and market; an older one is ignored.
    const Response again = market_push_quotes(
        s_, push(R"({"quotes":[{"code":"005930","price":"72000","change_rate":"3.69",)"
                 R"("as_of":"2026-11-26T10:16:00+09:00"},{"code":"000660","price":"1",)"
                 R"("change_rate":"0","as_of":"2026-11-26T09:00:00+09:00"}]})"));
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.body, R"({"accepted":1,"ignored":1})");
}

TEST_F(MarketApi, PushNeedsAValidBearerToken) {
    Request none = push(kGood);
    none.headers.pop_back();
    EXPECT_EQ(market_push_quotes(s_, none).status, 401);
    EXPECT_EQ(market_push_quotes(s_, push(kGood, "Bearer snm_" + std::string(40, '0'))).status,
              401);
    EXPECT_EQ(market_push_quotes(s_, push(kGood, "Basic dXNlcjpwYXNz")).status, 401);
    ASSERT_TRUE(auth_->set_disabled("desk@example.kr", true));
    EXPECT_EQ(market_push_quotes(s_, push(kGood)).status, 401);
    EXPECT_TRUE(hub_->stocks().empty());
}

TEST_F(MarketApi, PushNamesTheFirstBadQuoteAndField) {
    auto status_and_message = [&](const std::string& body) {
        const Response r = market_push_quotes(s_, push(body));
        std::string msg;
        if (auto v = json::parse(r.body); v.is_object())
            msg = std::string(v.at("error").at("message").as_string());
        return std::make_pair(r.status, msg);
    };
    const std::string ok_quote =
        R"({"code":"005930","name":"삼성전자","market":"KOSPI","price":"71500",)"
        R"("change_rate":"2.99","as_of":"2026-11-26T10:15:00+09:00"})";
    auto [s1, m1] = status_and_message(
        R"({"quotes":[)" + ok_quote +
        R"(,{"code":"000660","name":"SK하이닉스","market":"KOSPI",)"
        R"("price":"-5","change_rate":"1","as_of":"2026-11-26T10:15:00+09:00"}]})");
    EXPECT_EQ(s1, 400);
    EXPECT_EQ(m1.rfind("quotes[1].price:", 0), 0u) << m1;
    auto [s2, m2] = status_and_message(R"({"quotes":[{"code":"5930","price":"1"}]})");
    EXPECT_EQ(s2, 400);
    EXPECT_EQ(m2.rfind("quotes[0].code:", 0), 0u) << m2;
    auto [s3, m3] = status_and_message(
        R"({"quotes":[{"code":"123450","price":"1000","change_rate":"1","as_of":"2026-11-26T10:15:00+09:00"}]})");
    EXPECT_EQ(s3, 400);
    EXPECT_EQ(m3, "quotes[0].name: required for a code this site has not seen yet");
    auto [s4, m4] = status_and_message(R"({"quotes":[)" + ok_quote.substr(0, ok_quote.size() - 1) +
                                       R"(,"colour":"red"}]})");
    EXPECT_EQ(m4, "quotes[0].colour: unknown field");
    auto [s5, m5] = status_and_message(
        R"({"quotes":[{"code":"005930","name":"삼성전자","market":"KOSPI","price":"1",)"
        R"("change_rate":"1","as_of":"2026-11-27T10:15:00+09:00"}]})");
    EXPECT_EQ(m5, "quotes[0].as_of: is in the future");
    auto [s6, m6] = status_and_message("{\"quotes\":");
    EXPECT_EQ(s6, 400);
    auto [s7, m7] = status_and_message(R"({"quotes":[)" + ok_quote + "," + ok_quote + "]}");
    EXPECT_EQ(m7, "quotes[1].code: appears twice in the batch");
    EXPECT_TRUE(hub_->stocks().empty());  // nothing of a rejected batch is applied
}

TEST_F(MarketApi, PushOverTheBatchLimitIs413AndWrongTypeIs415) {
    std::string body = R"({"quotes":[)";
    for (int i = 0; i < 4; ++i) body += std::string(i ? "," : "") + "{}";
    body += "]}";
    EXPECT_EQ(market_push_quotes(s_, push(body)).status, 413);
    Request form = push(kGood);
    form.headers[0].value = "text/plain";
    EXPECT_EQ(market_push_quotes(s_, form).status, 415);
}

TEST_F(MarketApi, GainersJsonCarriesStateDelayAndStaleness) {
    ASSERT_EQ(market_push_quotes(s_, push(kGood)).status, 200);
    const Response r = market_gainers(s_, get("/api/v1/market/stocks/gainers"));
    ASSERT_EQ(r.status, 200);
    const auto v = json::parse(r.body);
    EXPECT_EQ(v.at("state").as_string(), "open");
    EXPECT_EQ(v.at("marker").as_string(), "5분 지연");
    EXPECT_EQ(v.at("delay").at("seconds").as_int64(), 300);
    EXPECT_FALSE(v.at("delay").at("end_of_day").as_bool());
    const auto& rows = v.at("rows").as_array();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].at("code").as_string(), "000660");
    EXPECT_TRUE(rows[0].at("limit_up").as_bool());
    EXPECT_EQ(rows[0].at("chg_text").as_string(), "+29.95%");
    EXPECT_FALSE(rows[0].at("stale").as_bool());
    EXPECT_EQ(rows[0].at("as_of").as_string(), "2026-11-26T10:15:00+09:00");
    EXPECT_EQ(rows[0].at("kind").as_string(), "common");

    const Response kosdaq =
        market_gainers(s_, get("/api/v1/market/stocks/gainers", "market=KOSDAQ"));
    ASSERT_EQ(kosdaq.status, 200);
    EXPECT_TRUE(json::parse(kosdaq.body).at("rows").as_array().empty());
    const Response one =
        market_gainers(s_, get("/api/v1/market/stocks/gainers", "market=all&limit=1"));
    EXPECT_EQ(json::parse(one.body).at("rows").as_array().size(), 1u);
    EXPECT_EQ(market_gainers(s_, get("/api/v1/market/stocks/gainers", "market=NYSE")).status, 400);
    EXPECT_EQ(market_gainers(s_, get("/api/v1/market/stocks/gainers", "limit=0")).status, 400);

    // An hour later without pushes the rows are stale and the marker says when they were from.
    clock_.advance_ms(60 * 60 * 1000);
    const auto later = json::parse(market_gainers(s_, get("/api/v1/market/stocks/gainers")).body);
    EXPECT_TRUE(later.at("rows").as_array()[0].at("stale").as_bool());
    EXPECT_EQ(later.at("delay").at("marker").as_string(), "10:15 기준");
}

TEST_F(MarketApi, CryptoJsonUsesTheStreamRowEncoder) {
    hub_->set_instruments(
        {market::Instrument{"KRW-BTC", "비트코인", market::AssetClass::crypto, "UPBIT", 0}});
    market::Quote q;
    q.code = "KRW-BTC";
    q.price = Decimal::from_integer(131'250'000);
    q.change_ppm = 21'300;
    q.as_of_ms = clock_.now_ms() - 2'000;
    const std::vector<market::Quote> quotes = {q};
    hub_->update(quotes);
    const Response r = market_crypto(s_, get("/api/v1/market/crypto"));
    ASSERT_EQ(r.status, 200);
    const auto v = json::parse(r.body);
    EXPECT_EQ(v.at("basis").as_string(), "24시간 변동률 기준");
    EXPECT_EQ(v.at("stale_after_s").as_int64(), 30);
    const auto& row = v.at("rows").as_array().at(0);
    EXPECT_EQ(row.at("price_text").as_string(), "131,250,000");
    EXPECT_EQ(row.at("chg_text").as_string(), "+2.13%");
    EXPECT_FALSE(row.at("stale").as_bool());
    EXPECT_EQ(row.at("age_s").as_int64(), 2);
    clock_.advance_ms(31'000);
    hub_->tick();
    const auto stale = json::parse(market_crypto(s_, get("/api/v1/market/crypto")).body);
    EXPECT_TRUE(stale.at("rows").as_array().at(0).at("stale").as_bool());
}

TEST_F(MarketApi, RoutesAreRegistered) {
    Router router;
    add_market_routes(router, s_);
    Request a = get("/api/v1/market/crypto");
    Request b = get("/api/v1/market/stocks/gainers");
    Request c = push(kGood);
    EXPECT_TRUE(router.route(a));
    EXPECT_TRUE(router.route(b));
    EXPECT_TRUE(router.route(c));
}

}  // namespace
}  // namespace sinmun::web
