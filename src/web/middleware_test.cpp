#include "web/middleware.hpp"

#include "core/compress.hpp"

#include <gtest/gtest.h>

namespace sinmun::web {
namespace {

std::shared_ptr<const render::Representation> sample_rep() {
    auto rep = std::make_shared<render::Representation>();
    rep->content_type = "text/html; charset=utf-8";
    rep->etag = "\"abc123\"";
    rep->cache_control = "no-cache";
    rep->identity = std::string(3000, 'x');
    rep->gzip = gzip_compress(rep->identity);
    rep->br = brotli_compress(rep->identity);
    rep->last_modified_ms = 784111777000;  // Sun, 06 Nov 1994 08:49:37 GMT
    return rep;
}

Request get(std::vector<Header> headers = {}) {
    Request r;
    r.method = "GET";
    r.target = r.path = "/";
    r.headers = std::move(headers);
    r.request_id = "rid-1";
    return r;
}

TEST(NegotiateEncoding, PrefersBrotliThenGzip) {
    EXPECT_EQ(negotiate_encoding("gzip, deflate, br", true, true), Encoding::br);
    EXPECT_EQ(negotiate_encoding("gzip, deflate", true, true), Encoding::gzip);
    EXPECT_EQ(negotiate_encoding("gzip, br", true, false), Encoding::gzip);
    EXPECT_EQ(negotiate_encoding("", true, true), Encoding::identity);
    EXPECT_EQ(negotiate_encoding("identity", true, true), Encoding::identity);
}

TEST(NegotiateEncoding, RespectsQValuesAndQZero) {
    EXPECT_EQ(negotiate_encoding("br;q=0, gzip", true, true), Encoding::gzip);
    EXPECT_EQ(negotiate_encoding("br;q=0.5, gzip;q=0.8", true, true), Encoding::gzip);
    EXPECT_EQ(negotiate_encoding("br; q=0.000, gzip;q=0", true, true), Encoding::identity);
    EXPECT_EQ(negotiate_encoding("*", true, true), Encoding::br);
    EXPECT_EQ(negotiate_encoding("*;q=0", true, true), Encoding::identity);
    EXPECT_EQ(negotiate_encoding("gzip;q=0, *", true, true), Encoding::br);
    EXPECT_EQ(negotiate_encoding("GZIP", true, true), Encoding::gzip);
}

TEST(EtagMatches, ListsWeakAndStar) {
    EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches("\"x\", \"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches("\"x\",W/\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches("*", "\"abc\""));
    EXPECT_FALSE(etag_matches("\"abcd\"", "\"abc\""));
    EXPECT_FALSE(etag_matches("abc", "\"abc\""));
    EXPECT_FALSE(etag_matches("\"abc", "\"abc\""));
    EXPECT_TRUE(etag_matches("\"a,b\", \"abc\"", "\"abc\""));
}

TEST(HttpDate, FormatsImfFixdate) {
    EXPECT_EQ(http_date(784111777000), "Sun, 06 Nov 1994 08:49:37 GMT");
}

TEST(Finalize, AddsSecurityHeadersEverywhere) {
    auto out = finalize(get(), Response::text(200, "hi"));
    EXPECT_EQ(out.header("X-Request-Id"), "rid-1");
    EXPECT_EQ(out.header("Content-Security-Policy"), kContentSecurityPolicy);
    EXPECT_EQ(out.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(out.header("Referrer-Policy"), "strict-origin-when-cross-origin");
    EXPECT_EQ(out.header("X-Frame-Options"), "DENY");
    EXPECT_EQ(out.header("Server"), "sinmun");
    EXPECT_EQ(out.wire_body(), "hi");
}

TEST(Finalize, HandlerHeadersAreNotOverridden) {
    auto res = Response::text(200, "hi");
    res.set_header("Content-Security-Policy", "default-src 'none'");
    auto out = finalize(get(), std::move(res));
    EXPECT_EQ(out.header("Content-Security-Policy"), "default-src 'none'");
}

TEST(Finalize, RepresentationPicksEncodingWithoutCopying) {
    auto rep = sample_rep();
    auto out = finalize(get({{"Accept-Encoding", "gzip, br"}}), Response::of(rep));
    EXPECT_EQ(out.status, 200);
    EXPECT_EQ(out.header("Content-Encoding"), "br");
    EXPECT_EQ(out.header("Vary"), "Accept-Encoding");
    EXPECT_EQ(out.header("ETag"), "\"abc123\"");
    EXPECT_EQ(out.header("Cache-Control"), "no-cache");
    EXPECT_EQ(out.header("Last-Modified"), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(out.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(out.wire_body().data(), rep->br.data());  // a view into the shared bytes

    auto gz = finalize(get({{"Accept-Encoding", "gzip, br;q=0"}}), Response::of(rep));
    EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
    EXPECT_EQ(gz.wire_body().data(), rep->gzip.data());

    auto plain = finalize(get(), Response::of(rep));
    EXPECT_EQ(plain.header("Content-Encoding"), "");
    EXPECT_EQ(plain.wire_body().data(), rep->identity.data());
}

TEST(Finalize, MatchingIfNoneMatchGives304WithoutBody) {
    auto rep = sample_rep();
    auto out = finalize(get({{"If-None-Match", "\"zzz\", W/\"abc123\""}}), Response::of(rep));
    EXPECT_EQ(out.status, 304);
    EXPECT_TRUE(out.wire_body().empty());
    EXPECT_FALSE(out.has_length());
    EXPECT_EQ(out.header("ETag"), "\"abc123\"");

    auto miss = finalize(get({{"If-None-Match", "\"zzz\""}}), Response::of(rep));
    EXPECT_EQ(miss.status, 200);
    EXPECT_EQ(miss.wire_body().size(), rep->identity.size());

    Request post = get({{"If-None-Match", "\"abc123\""}});
    post.method = "POST";
    EXPECT_EQ(finalize(post, Response::of(rep)).status, 200);
}

TEST(HttpDate, ParsesImfFixdateAndRejectsOtherForms) {
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777000);
    EXPECT_EQ(parse_http_date(http_date(1'795'000'000'000)), 1'795'000'000'000);
    EXPECT_FALSE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"));
    EXPECT_FALSE(parse_http_date(""));
}

TEST(Finalize, IfModifiedSinceGives304WhenNotNewer) {
    auto base = sample_rep();
    auto rep = std::make_shared<render::Representation>(*base);
    rep->last_modified_ms = 784111777500;  // .5 s: HTTP dates have whole seconds
    auto same =
        finalize(get({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}), Response::of(rep));
    EXPECT_EQ(same.status, 304);
    EXPECT_EQ(same.header("Last-Modified"), "Sun, 06 Nov 1994 08:49:37 GMT");
    auto older =
        finalize(get({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:36 GMT"}}), Response::of(rep));
    EXPECT_EQ(older.status, 200);
    auto garbage = finalize(get({{"If-Modified-Since", "yesterday"}}), Response::of(rep));
    EXPECT_EQ(garbage.status, 200);
    // If-None-Match wins: a non-matching tag means 200 whatever the date says.
    auto both = finalize(
        get({{"If-None-Match", "\"zzz\""}, {"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}),
        Response::of(rep));
    EXPECT_EQ(both.status, 200);
}

TEST(Finalize, HeadKeepsLengthButSendsNoBody) {
    auto rep = sample_rep();
    Request head = get({{"Accept-Encoding", "gzip"}});
    head.method = "HEAD";
    auto out = finalize(head, Response::of(rep));
    EXPECT_EQ(out.status, 200);
    EXPECT_TRUE(out.wire_body().empty());
    EXPECT_EQ(out.selected_body().size(), rep->gzip.size());
    EXPECT_TRUE(out.has_length());
    EXPECT_EQ(out.header("Content-Encoding"), "gzip");
}

TEST(Finalize, CompressesLargeTextBodiesOnTheFly) {
    std::string body(5000, 'a');
    auto out = finalize(get({{"Accept-Encoding", "gzip"}}), Response::json(200, body));
    EXPECT_EQ(out.header("Content-Encoding"), "gzip");
    EXPECT_EQ(out.header("Vary"), "Accept-Encoding");
    std::string back;
    ASSERT_TRUE(gzip_decompress(out.wire_body(), back));
    EXPECT_EQ(back, body);

    auto br = finalize(get({{"Accept-Encoding", "br"}}), Response::html(200, body));
    EXPECT_EQ(br.header("Content-Encoding"), "br");
    ASSERT_TRUE(brotli_decompress(br.wire_body(), back));
    EXPECT_EQ(back, body);
}

TEST(Finalize, LeavesSmallBinaryOrRefusedBodiesAlone) {
    std::string body(5000, 'a');
    EXPECT_EQ(finalize(get({{"Accept-Encoding", "gzip"}}), Response::text(200, "short"))
                  .header("Content-Encoding"),
              "");
    EXPECT_EQ(finalize(get({{"Accept-Encoding", "gzip"}}), Response::text(200, body, "image/webp"))
                  .header("Content-Encoding"),
              "");
    auto refused = finalize(get({{"Accept-Encoding", "gzip;q=0"}}), Response::text(200, body));
    EXPECT_EQ(refused.header("Content-Encoding"), "");
    EXPECT_EQ(refused.header("Vary"), "Accept-Encoding");
    EXPECT_EQ(refused.wire_body(), body);
}

TEST(Finalize, StreamGetsEventStreamHeaders) {
    struct Nop : StreamSource {
        void start(std::function<void()>) override {}
        std::string next() override { return {}; }
        void stop() override {}
    };
    Response res;
    res.stream = std::make_shared<Nop>();
    auto out = finalize(get(), std::move(res));
    EXPECT_TRUE(out.stream);
    EXPECT_FALSE(out.has_length());
    EXPECT_EQ(out.header("Content-Type"), "text/event-stream; charset=utf-8");
    EXPECT_EQ(out.header("Cache-Control"), "no-cache");
    EXPECT_EQ(out.header("X-Accel-Buffering"), "no");
}

}  // namespace
}  // namespace sinmun::web
