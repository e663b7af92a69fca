#include "core/text.hpp"

#include <gtest/gtest.h>

using namespace sinmun;

TEST(Text, NfcComposesDecomposedHangul) {
    // "한" as conjoining jamo (U+1112 U+1161 U+11AB), as macOS file names deliver it.
    const std::string decomposed = "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB";
    EXPECT_EQ(text::nfc(decomposed), "한");
    EXPECT_EQ(text::nfc("abc"), "abc");
    EXPECT_EQ(text::nfc("\xC3\x28"), "");  // invalid UTF-8
}

TEST(Text, SlugKeepsHangulNeverRomanizes) {
    EXPECT_EQ(text::slugify("서울시, 'AI 특구' 지정"), "서울시-ai-특구-지정");
    EXPECT_EQ(text::slugify("  [단독] 반도체 수출 3개월째 증가…  "),
              "단독-반도체-수출-3개월째-증가");
    EXPECT_EQ(text::slugify("!!!"), "");
    EXPECT_EQ(text::utf8_length(text::slugify(std::string(200, 'a'), 60)), 60u);
}

TEST(Text, PercentEncodingRoundTripsHangul) {
    EXPECT_EQ(text::percent_encode("가"), "%EA%B0%80");
    EXPECT_EQ(text::percent_decode("%EA%B0%80-a"), "가-a");
    EXPECT_EQ(text::percent_decode("a+b", true), "a b");
    EXPECT_EQ(text::percent_decode("100%"), "100%");
    EXPECT_EQ(text::percent_decode("%zz%4"), "%zz%4");
}

TEST(Text, EscapesHtmlAndJson) {
    EXPECT_EQ(text::html_escape("<a href=\"x\">'&'</a>"),
              "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    EXPECT_EQ(text::json_escape("a\"b\\\n</script>"), "a\\\"b\\\\\\n\\u003c/script>");
}

TEST(Text, GroupsThousandsAndTruncatesOnCodePoints) {
    EXPECT_EQ(text::group_thousands(0), "0");
    EXPECT_EQ(text::group_thousands(131250000), "131,250,000");
    EXPECT_EQ(text::group_thousands(-1234), "-1,234");
    EXPECT_EQ(text::utf8_truncate("가나다라", 2), "가나…");
    EXPECT_EQ(text::utf8_truncate("가나", 2), "가나");
    EXPECT_TRUE(text::is_valid_utf8("한글 ok"));
    EXPECT_FALSE(text::is_valid_utf8("\xED\xA0\x80"));  // surrogate
}

TEST(Text, PathEncodingIsIdempotentAndKeepsStructure) {
    EXPECT_EQ(text::percent_encode_path("/article/1/서울?page=2"),
              "/article/1/%EC%84%9C%EC%9A%B8?page=2");
    EXPECT_EQ(text::percent_encode_path("/article/1/%EC%84%9C"), "/article/1/%EC%84%9C");
    EXPECT_EQ(text::percent_encode_path("/a b\r\n"), "/a%20b%0D%0A");
    EXPECT_EQ(text::percent_encode_path("/100%"), "/100%25");
}
