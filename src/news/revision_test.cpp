#include "news/revision.hpp"

#include <gtest/gtest.h>

namespace sinmun::news {
namespace {

TEST(RevisionCodec, RoundTripsContent) {
    RevisionContent c{7, "제목: 1", "부제", "단독", "본문\n두 줄 12:34", {3, 1}};
    auto d = decode_content(encode_content(c));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->section_id, 7);
    EXPECT_EQ(d->headline, c.headline);
    EXPECT_EQ(d->body_md, c.body_md);
    EXPECT_EQ(d->author_ids, c.author_ids);
}

TEST(RevisionCodec, CorruptInputIsRefusedNotThrown) {
    EXPECT_FALSE(decode_content(""));
    EXPECT_FALSE(decode_content("r2;999:abc"));
    EXPECT_FALSE(decode_content("r2;1:x1:"));
    EXPECT_FALSE(apply_delta("abc", "9:0:"));
    EXPECT_FALSE(apply_delta("abc", "garbage"));
}

TEST(RevisionDelta, RebuildsOlderFromNewer) {
    const std::string older = "서울시가 특구로 지정됐다. 내년부터 운영한다.";
    const std::string newer = "서울시가 AI 특구로 지정됐다. 내년부터 운영한다.";
    const auto d = make_delta(newer, older);
    EXPECT_LT(d.size(), 12u);  // just the positions: the older text has nothing the newer lacks
    EXPECT_EQ(apply_delta(newer, d).value(), older);
    EXPECT_EQ(apply_delta("", make_delta("", "전부 새로")).value(), "전부 새로");
    EXPECT_EQ(apply_delta("aaa", make_delta("aaa", "aa")).value(), "aa");
}

TEST(Similarity, IdenticalSmallEditAndRewrite) {
    const std::string a =
        "서울시가 인공지능 특구로 지정됐다. 시는 내년부터 규제 샌드박스를 운영한다.";
    EXPECT_DOUBLE_EQ(similarity(a, a), 1.0);
    EXPECT_GT(similarity(a, a + " 추가."), 0.9);
    EXPECT_LT(similarity(a, "부산항 물동량이 사상 최대를 기록했다."), 0.2);
    EXPECT_DOUBLE_EQ(similarity("", ""), 1.0);
    EXPECT_DOUBLE_EQ(similarity("가", "나다라"), 0.0);
}

TEST(WordDiff, InsertDeleteEqualOnKoreanWords) {
    auto ops = word_diff("시는 내년부터 규제를 푼다", "시는 올해부터 규제를 확 푼다");
    ASSERT_EQ(ops.size(), 6u);
    EXPECT_EQ(ops[0].kind, DiffOp::Kind::equal);
    EXPECT_EQ(ops[1].kind, DiffOp::Kind::remove);
    EXPECT_EQ(ops[1].text, "내년부터");
    EXPECT_EQ(ops[2].kind, DiffOp::Kind::insert);
    EXPECT_EQ(ops[2].text, "올해부터");
    EXPECT_EQ(ops[3].text, "규제를");
    EXPECT_EQ(ops[4].kind, DiffOp::Kind::insert);
    EXPECT_EQ(ops[4].text, "확");
    EXPECT_STREQ(to_string(ops[1].kind), "delete");
    EXPECT_TRUE(word_diff("", "").empty());
    auto all_new = word_diff("", "새 글");
    ASSERT_EQ(all_new.size(), 1u);
    EXPECT_EQ(all_new[0].kind, DiffOp::Kind::insert);
}

TEST(ChangedFields, NamesWhatDiffers) {
    RevisionContent a{1, "제목", "", "", "본문", {1}};
    RevisionContent b = a;
    b.body_md = "새 본문";
    b.author_ids = {1, 2};
    EXPECT_EQ(changed_fields(a, b), (std::vector<std::string>{"body", "authors"}));
}

}  // namespace
}  // namespace sinmun::news
