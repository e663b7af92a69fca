#include "web/router.hpp"

#include <gtest/gtest.h>

namespace sinmun::web {
namespace {

Response call(const Router& router, std::string method, std::string target) {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.path = req.target.substr(0, req.target.find('?'));
    std::optional<Response> got;
    router.dispatch(req, [&](Response r) { got = std::move(r); });
    EXPECT_TRUE(got.has_value());
    return got ? std::move(*got) : Response{};
}

Handler echo(std::string name) {
    return sync([name](Request& r) {
        std::string body = name;
        for (const auto& [k, v] : r.params) body += " " + k + "=" + v;
        return Response::text(200, body);
    });
}

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        set_error_renderer(nullptr);
        router.add("GET", "/", echo("home"));
        router.add("GET", "/article/{id}", echo("article"));
        router.add("GET", "/article/{id}/{slug}", echo("article+slug"));
        router.add("GET", "/article/new", echo("new"));
        router.add("GET", "/section/{slug}", echo("section"));
        router.add("GET", "/assets/{file}", echo("asset"));
        router.add("GET", "/api/v1/articles/{id}/reactions", echo("reactions-get"));
        router.add("POST", "/api/v1/articles/{id}/reactions", echo("reactions-post"));
    }
    void TearDown() override { set_error_renderer(nullptr); }
    Router router;
};

TEST_F(RouterTest, ExtractsPathParams) {
    EXPECT_EQ(call(router, "GET", "/article/42").body, "article id=42");
    EXPECT_EQ(call(router, "GET", "/article/42/some-slug?x=1").body,
              "article+slug id=42 slug=some-slug");
    EXPECT_EQ(call(router, "GET", "/assets/site.css").body, "asset file=site.css");
    EXPECT_EQ(call(router, "POST", "/api/v1/articles/7/reactions").body, "reactions-post id=7");
    EXPECT_EQ(call(router, "GET", "/").body, "home");
}

TEST_F(RouterTest, ParamsArePercentDecodedPerSegment) {
    EXPECT_EQ(call(router, "GET", "/section/%EA%B2%BD%EC%A0%9C").body, "section slug=경제");
    // An encoded slash stays inside its parameter instead of creating a new segment.
    EXPECT_EQ(call(router, "GET", "/section/a%2Fb").body, "section slug=a/b");
}

TEST_F(RouterTest, LiteralSegmentBeatsParameter) {
    EXPECT_EQ(call(router, "GET", "/article/new").body, "new");
}

TEST_F(RouterTest, UnknownPathIs404) {
    auto r = call(router, "GET", "/nope");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(call(router, "GET", "/article").status, 404);
    EXPECT_EQ(call(router, "GET", "/article/1/2/3").status, 404);
    EXPECT_EQ(call(router, "GET", "/article//x").status, 404);
    EXPECT_EQ(call(router, "GET", "/section/").status, 404);
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
    auto r = call(router, "DELETE", "/api/v1/articles/7/reactions");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("Allow"), "GET, HEAD, POST");
    auto r2 = call(router, "POST", "/article/1");
    EXPECT_EQ(r2.status, 405);
    EXPECT_EQ(r2.header("Allow"), "GET, HEAD");
}

TEST_F(RouterTest, HeadIsServedByGet) {
    auto r = call(router, "HEAD", "/article/9");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "article id=9");  // the server, not the router, drops the body
}

TEST_F(RouterTest, ExplicitHeadRouteWins) {
    router.add("HEAD", "/article/{id}", echo("head"));
    EXPECT_EQ(call(router, "HEAD", "/article/9").body, "head id=9");
    EXPECT_EQ(call(router, "GET", "/article/9").body, "article id=9");
}

TEST_F(RouterTest, ApiErrorsAreJson) {
    auto r = call(router, "GET", "/api/v1/nothing");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.body.rfind(R"({"error":{"code":"not_found","message":")", 0), 0u) << r.body;
    auto r2 = call(router, "PUT", "/api/v1/articles/1/reactions");
    EXPECT_NE(r2.body.find("\"code\":\"method_not_allowed\""), std::string::npos) << r2.body;
}

TEST_F(RouterTest, PageErrorsUseTheInstalledRenderer) {
    router.set_error_renderer([](int status, std::string_view message, const Request& req) {
        return Response::html(200, "<h1>" + std::to_string(status) + "</h1>" + req.path);
    });
    auto r = call(router, "GET", "/missing");
    EXPECT_EQ(r.status, 404);  // the status is the error's, whatever the renderer said
    EXPECT_EQ(r.body, "<h1>404</h1>/missing");
    auto r2 = call(router, "POST", "/article/1");
    EXPECT_EQ(r2.status, 405);
    EXPECT_EQ(r2.body, "<h1>405</h1>/article/1");
    EXPECT_EQ(r2.header("Allow"), "GET, HEAD");
}

TEST(Errors, OneMappingOfErrcToStatus) {
    EXPECT_EQ(http_status(Errc::not_found), 404);
    EXPECT_EQ(http_status(Errc::invalid_input), 400);
    EXPECT_EQ(http_status(Errc::conflict), 409);
    EXPECT_EQ(http_status(Errc::unauthorized), 401);
    EXPECT_EQ(http_status(Errc::forbidden), 403);
    EXPECT_EQ(http_status(Errc::too_large), 413);
    EXPECT_EQ(http_status(Errc::rate_limited), 429);
    EXPECT_EQ(http_status(Errc::unavailable), 503);
    EXPECT_EQ(http_status(Errc::internal), 500);
}

TEST(Errors, ErrorResponseJsonEscapesTheMessage) {
    set_error_renderer(nullptr);
    Request req;
    req.path = "/api/v1/articles/1";
    auto r = error_response(make_error(Errc::conflict, "이미 \"좋아요\" 했습니다"), req);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.body, R"({"error":{"code":"conflict","message":"이미 \"좋아요\" 했습니다"}})");
    Request page;
    page.path = "/article/1";
    auto p = error_response(make_error(Errc::unavailable, "잠시 후 다시 시도해 주세요"), page);
    EXPECT_EQ(p.status, 503);
    EXPECT_EQ(p.header("Content-Type"), "text/plain; charset=utf-8");
}

}  // namespace
}  // namespace sinmun::web
