#include "render/representation.hpp"

#include "core/compress.hpp"

#include <gtest/gtest.h>

namespace sinmun::render {
namespace {

TEST(Representation, CompressesLargeTextAndRoundTrips) {
    std::string body;
    for (int i = 0; i < 200; ++i) body += "<p>서울시 AI 특구 지정 기사 본문입니다.</p>\n";
    auto rep = make_representation(body, "text/html; charset=utf-8", "no-cache");
    EXPECT_EQ(rep->identity, body);
    ASSERT_FALSE(rep->gzip.empty());
    ASSERT_FALSE(rep->br.empty());
    EXPECT_LT(rep->br.size(), body.size());
    std::string out;
    ASSERT_TRUE(gzip_decompress(rep->gzip, out));
    EXPECT_EQ(out, body);
    ASSERT_TRUE(brotli_decompress(rep->br, out));
    EXPECT_EQ(out, body);
    EXPECT_EQ(rep->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(rep->cache_control, "no-cache");
}

TEST(Representation, SkipsSmallBodiesAndBinaryTypes) {
    auto small = make_representation("<p>짧다</p>", "text/html; charset=utf-8", "no-cache");
    EXPECT_TRUE(small->gzip.empty());
    EXPECT_TRUE(small->br.empty());
    auto png = make_representation(std::string(4096, 'a'), "image/png", "public");
    EXPECT_TRUE(png->gzip.empty());
    EXPECT_TRUE(png->br.empty());
}

TEST(Representation, EtagIsQuotedAndFollowsContent) {
    auto a = make_representation("alpha", "text/plain", "");
    auto a2 = make_representation("alpha", "text/plain", "");
    auto b = make_representation("alphb", "text/plain", "");
    EXPECT_EQ(a->etag, a2->etag);
    EXPECT_NE(a->etag, b->etag);
    ASSERT_EQ(a->etag.size(), 18u);
    EXPECT_EQ(a->etag.front(), '"');
    EXPECT_EQ(a->etag.back(), '"');
}

}  // namespace
}  // namespace sinmun::render
