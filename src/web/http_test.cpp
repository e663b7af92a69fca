#include "web/http.hpp"

#include <gtest/gtest.h>

namespace sinmun::web {
namespace {

TEST(Request, HeaderLookupIsCaseInsensitive) {
    Request r;
    r.headers = {{"Content-Type", "text/html"}, {"X-Thing", "1"}};
    EXPECT_EQ(r.header("content-type"), "text/html");
    EXPECT_EQ(r.header("X-THING"), "1");
    EXPECT_EQ(r.header("missing"), "");
}

TEST(Request, CookieParsesPairsAcrossHeadersAndDecodes) {
    Request r;
    r.headers = {{"Cookie", "a=1; reader=abc%20def;  size=\"3\""}, {"cookie", "late=x"}};
    EXPECT_EQ(r.cookie("reader"), "abc def");
    EXPECT_EQ(r.cookie("size"), "3");
    EXPECT_EQ(r.cookie("late"), "x");
    EXPECT_EQ(r.cookie("a"), "1");
    EXPECT_FALSE(r.cookie("read").has_value());
    EXPECT_FALSE(r.cookie("missing").has_value());
}

TEST(Request, CookieIgnoresMalformedPairs) {
    Request r;
    r.headers = {{"Cookie", ";;junk; =v; ok=1;"}};
    EXPECT_EQ(r.cookie("ok"), "1");
    EXPECT_FALSE(r.cookie("junk").has_value());
}

TEST(Request, QueryParamDecodesPercentAndPlus) {
    Request r;
    r.query = "q=%EC%84%9C%EC%9A%B8+%ED%8A%B9%EA%B5%AC&page=2&empty&q=second&a%20b=c";
    EXPECT_EQ(r.query_param("q"), "서울 특구");
    EXPECT_EQ(r.query_param("page"), "2");
    EXPECT_EQ(r.query_param("empty"), "");
    EXPECT_EQ(r.query_param("a b"), "c");
    EXPECT_FALSE(r.query_param("nope").has_value());
}

TEST(Request, QueryParamKeepsMalformedEscapesLiterally) {
    Request r;
    r.query = "q=100%&x=%zz";
    EXPECT_EQ(r.query_param("q"), "100%");
    EXPECT_EQ(r.query_param("x"), "%zz");
}

TEST(Request, ParamAndHead) {
    Request r;
    r.params = {{"id", "42"}};
    EXPECT_EQ(r.param("id"), "42");
    EXPECT_EQ(r.param("slug"), "");
    r.method = "HEAD";
    EXPECT_TRUE(r.is_head());
}

TEST(Response, HelpersSetTypeAndHeaders) {
    auto r = Response::json(201, "{}");
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    r.set_header("content-type", "text/plain");
    EXPECT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.header("Content-Type"), "text/plain");
    r.add_header("Set-Cookie", "a=1");
    r.add_header("Set-Cookie", "b=2");
    EXPECT_EQ(r.headers.size(), 3u);

    auto redirect = Response::redirect(301, "/article/1/slug");
    EXPECT_EQ(redirect.status, 301);
    EXPECT_EQ(redirect.header("Location"), "/article/1/slug");
    EXPECT_EQ(Response::html(404, "x").header("Content-Type"), "text/html; charset=utf-8");
}

TEST(Response, SyncWrapsAHandler) {
    Handler h = sync([](Request& r) { return Response::text(200, "hi " + r.method); });
    Request req;
    req.method = "GET";
    std::optional<Response> got;
    h(req, [&](Response r) { got = std::move(r); });
    ASSERT_TRUE(got);
    EXPECT_EQ(got->body, "hi GET");
}

TEST(MakeCookie, SafeDefaultsAndEncoding) {
    EXPECT_EQ(make_cookie("rid", "abc", 3600, true),
              "rid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
    EXPECT_EQ(make_cookie("fs", "a b;c", -1, false, true),
              "fs=a%20b%3Bc; Path=/; Secure; SameSite=Lax");
    Request r;
    r.headers = {{"Cookie", "fs=a%20b%3Bc"}};
    EXPECT_EQ(r.cookie("fs"), "a b;c");
}

}  // namespace
}  // namespace sinmun::web
