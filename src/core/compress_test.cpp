#include "core/compress.hpp"

#include <gtest/gtest.h>

using namespace sinmun;

TEST(Compress, GzipAndBrotliRoundTripKoreanHtml) {
    std::string html;
    for (int i = 0; i < 200; ++i)
        html +=
            "<p>서울시는 26일 인공지능 특구 지정을 발표했다. 반복 " + std::to_string(i) + "</p>\n";
    const std::string gz = gzip_compress(html);
    const std::string br = brotli_compress(html);
    ASSERT_FALSE(gz.empty());
    ASSERT_FALSE(br.empty());
    EXPECT_LT(gz.size(), html.size() / 4);
    EXPECT_LT(br.size(), gz.size());
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);  // gzip magic
    std::string out;
    ASSERT_TRUE(gzip_decompress(gz, out));
    EXPECT_EQ(out, html);
    ASSERT_TRUE(brotli_decompress(br, out));
    EXPECT_EQ(out, html);
}

TEST(Compress, CorruptInputIsRejectedNotCrashed) {
    std::string out;
    EXPECT_FALSE(gzip_decompress("not gzip at all", out));
    EXPECT_FALSE(brotli_decompress("\xff\xff\xff\xff", out));
}
