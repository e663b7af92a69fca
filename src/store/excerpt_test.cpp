#include "store/excerpt.hpp"

#include <gtest/gtest.h>

#include "core/text.hpp"

namespace sinmun::store {
namespace {

TEST(Excerpt, StripsHeadingsEmphasisAndLinkTargets) {
    EXPECT_EQ(
        make_excerpt("## 제목\n\n**서울시**는 [AI 특구](https://example.com/a)를 _지정_했다."),
        "제목 서울시는 AI 특구를 _지정_했다.");
}

TEST(Excerpt, SkipsPhotoOnlyLines) {
    EXPECT_EQ(
        make_excerpt("![청사 전경](photo:3)\n\n본문 첫 문장.\n\n![a](photo:4) ![b](photo:5)\n끝."),
        "본문 첫 문장. 끝.");
}

TEST(Excerpt, DropsQuotesListsCodeFencesAndRules) {
    EXPECT_EQ(make_excerpt("> 인용문\n\n- 하나\n1. 둘\n\n```\ncode();\n```\n---\n`x` 셋"),
              "인용문 하나 둘 x 셋");
}

TEST(Excerpt, CutsHangulOnACodePointWithEllipsis) {
    std::string body;
    for (int i = 0; i < 200; ++i) body += "가";
    const auto e = make_excerpt(body, 120);
    EXPECT_TRUE(text::is_valid_utf8(e));
    EXPECT_EQ(text::utf8_length(e), 121u);  // 120 syllables + "…"
    EXPECT_TRUE(e.ends_with("가…"));
}

TEST(Excerpt, ShortBodyIsKeptWhole) {
    EXPECT_EQ(make_excerpt("짧은 기사."), "짧은 기사.");
    EXPECT_EQ(make_excerpt(""), "");
}

TEST(Excerpt, EllipsisHugsTheLastWord) { EXPECT_EQ(make_excerpt("가나 다라", 3), "가나…"); }

TEST(Excerpt, BackslashEscapesAreResolved) {
    EXPECT_EQ(make_excerpt("5\\*3 \\[참고\\]"), "5*3 [참고]");
}

}  // namespace
}  // namespace sinmun::store
