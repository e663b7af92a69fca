#include "core/search_tokens.hpp"

#include <gtest/gtest.h>

#include "core/search_query.hpp"

using namespace sinmun;

namespace {

std::vector<std::string> texts(std::string_view s) {
    std::vector<std::string> out;
    for (auto& t : text::search_tokens(s)) out.push_back(t.text);
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST(SearchTokens, HangulRunsBecomeOverlappingBigrams) {
    EXPECT_EQ(texts("세종시는"), (V{"세종", "종시", "시는"}));
    EXPECT_EQ(texts("서울"), (V{"서울"}));
    EXPECT_EQ(texts("꽃"), (V{"꽃"}));
    EXPECT_EQ(texts("세종시와 협약을"), (V{"세종", "종시", "시와", "협약", "약을"}));
}

TEST(SearchTokens, OneSyllableRunIsMarked) {
    const auto t = text::search_tokens("꽃 피는");
    ASSERT_EQ(t.size(), 2u);
    EXPECT_TRUE(t[0].syllable);
    EXPECT_FALSE(t[1].syllable);
}

TEST(SearchTokens, LatinAndDigitsAreLowercaseWords) {
    EXPECT_EQ(texts("MICE 산업"), (V{"mice", "산업"}));
    EXPECT_EQ(texts("G20 정상회의"), (V{"g20", "정상", "상회", "회의"}));
    EXPECT_EQ(texts("ÉCOLE Straße"), (V{"école", "straße"}));
}

TEST(SearchTokens, ScriptChangeSplitsMixedWords) {
    EXPECT_EQ(texts("2024년"), (V{"2024", "년"}));
    EXPECT_EQ(texts("K-팝"), (V{"k", "팝"}));
    EXPECT_EQ(texts("K팝스타"), (V{"k", "팝스", "스타"}));
    EXPECT_EQ(texts("3.5%"), (V{"3", "5"}));
}

TEST(SearchTokens, PunctuationSymbolsAndEmojiSeparate) {
    EXPECT_EQ(texts("\"서울\"·(세종)… ★ 🙂 a*b"), (V{"서울", "세종", "a", "b"}));
    EXPECT_TRUE(texts("!!! ... --- ★").empty());
    EXPECT_TRUE(texts("").empty());
}

TEST(SearchTokens, HanAndKanaMakeTheirOwnBigrams) {
    EXPECT_EQ(texts("東京タワー"), (V{"東京", "タワ", "ワー"}));
    EXPECT_EQ(texts("漢字한글"), (V{"漢字", "한글"}));
}

TEST(SearchTokens, OffsetsPointIntoTheInput) {
    const std::string s = "오늘 세종시는";
    const auto t = text::search_tokens(s);
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(s.substr(t[1].begin, t[1].end - t[1].begin), "세종");
    EXPECT_EQ(s.substr(t[3].begin, t[3].end - t[3].begin), "시는");
}

TEST(SearchTokens, IndexTextNormalisesToNfc) {
    // "한국" written as conjoining jamo must index like the precomposed syllables.
    const std::string decomposed =
        "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB\xE1\x84\x80\xE1\x85\xAE"
        "\xE1\x86\xA8";
    EXPECT_EQ(text::search_index_text(decomposed), "한국");
    EXPECT_EQ(text::search_index_text("K-팝 2024년, MICE!"), "k 팝 2024 년 mice");
    // Invalid bytes separate; they never end up inside a token.
    EXPECT_EQ(text::search_index_text("ab\xFF"
                                      "cd"),
              "ab cd");
}

TEST(SearchQuery, WordsPhrasesAndPrefixes) {
    auto q = text::parse_search_query("  세종  \"행정 수도\" 2024년 ");
    ASSERT_TRUE(q) << q.error().message;
    ASSERT_EQ(q->terms.size(), 3u);
    EXPECT_EQ(q->terms[0].tokens, (V{"세종"}));
    EXPECT_FALSE(q->terms[0].prefix);
    EXPECT_TRUE(q->terms[1].quoted);
    EXPECT_EQ(q->terms[1].tokens, (V{"행정", "수도"}));
    EXPECT_EQ(q->terms[2].tokens, (V{"2024", "년"}));
    EXPECT_TRUE(q->terms[2].prefix);
    EXPECT_EQ(q->normalized, "세종 \"행정 수도\" 2024년");
}

TEST(SearchQuery, CurlyQuotesAndUnclosedQuotes) {
    auto q = text::parse_search_query("“반도체 수출” \"기후 위기");
    ASSERT_TRUE(q);
    ASSERT_EQ(q->terms.size(), 2u);
    EXPECT_EQ(q->terms[0].tokens, (V{"반도", "도체", "수출"}));
    EXPECT_EQ(q->terms[1].tokens, (V{"기후", "위기"}));
}

TEST(SearchQuery, FtsSyntaxNeverSurvivesAsATokenCharacter) {
    auto q = text::parse_search_query("서울 OR NEAR(a b) \"*\" ^col: -x {y}");
    ASSERT_TRUE(q);
    for (const auto& t : q->terms)
        for (const auto& tok : t.tokens)
            for (char c : tok)
                EXPECT_TRUE(std::string_view("\"*^:(){}-+ ").find(c) == std::string_view::npos)
                    << tok;
}

TEST(SearchQuery, BadQueriesGetKoreanMessages) {
    auto expect_bad = [](std::string_view raw, std::string_view needle) {
        auto q = text::parse_search_query(raw);
        ASSERT_FALSE(q) << raw;
        EXPECT_EQ(q.error().code, Errc::invalid_input);
        EXPECT_NE(q.error().message.find(needle), std::string::npos) << q.error().message;
    };
    expect_bad("", "입력해 주세요");
    expect_bad("   \xE3\x80\x80 ", "입력해 주세요");
    expect_bad("!!! ★ ...", "검색할 수 있는 글자가 없습니다");
    expect_bad(std::string(101, 'a'), "100자");
    expect_bad("a b c d e f g h i", "8개");
    expect_bad("\xC3\x28", "UTF-8");
    EXPECT_TRUE(text::parse_search_query(std::string(100, 'a')));
}

TEST(SearchQuery, RepeatedTermsCountOnce) {
    auto q = text::parse_search_query("서울 서울 SEOUL seoul");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->terms.size(), 2u);
}

TEST(SearchSnippet, HighlightsTheOriginalTextAroundTheFirstMatch) {
    auto q = text::parse_search_query("세종 mice");
    ASSERT_TRUE(q);
    EXPECT_EQ(text::search_highlight_html("세종시는 <MICE> 도시", *q),
              "<mark>세종</mark>시는 &lt;<mark>MICE</mark>&gt; 도시");
    std::string long_text;
    for (int i = 0; i < 40; ++i) long_text += "가나다라 ";
    long_text += "세종시와 협약";
    for (int i = 0; i < 40; ++i) long_text += " 마바사";
    const auto snip = text::search_snippet_html(long_text, *q, 60);
    EXPECT_EQ(snip.rfind("…", 0), 0u);
    EXPECT_NE(snip.find("<mark>세종</mark>시와"), std::string::npos) << snip;
    EXPECT_EQ(snip.substr(snip.size() - 3), "…");
}

TEST(SearchSnippet, PrefixMatchMarksOnlyTheSyllable) {
    auto q = text::parse_search_query("2024년");
    ASSERT_TRUE(q);
    EXPECT_EQ(text::search_highlight_html("2024년에 열린", *q), "<mark>2024년</mark>에 열린");
    auto k = text::parse_search_query("K-팝");
    ASSERT_TRUE(k);
    EXPECT_EQ(text::search_highlight_html("케이 K-팝 스타와 K팝의", *k),
              "케이 <mark>K-팝</mark> 스타와 <mark>K팝</mark>의");
}

TEST(SearchSnippet, NoMatchStartsAtTheBeginning) {
    auto q = text::parse_search_query("없는말");
    ASSERT_TRUE(q);
    EXPECT_EQ(text::search_snippet_html("첫 문장 & 둘째", *q, 100), "첫 문장 &amp; 둘째");
}
