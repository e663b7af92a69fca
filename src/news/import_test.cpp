// JSONL import: good lines imported in batches, duplicates skipped by external_id, bad lines
// rejected with their line number and reason.
#include "news/import.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "news/newsroom_fixture.hpp"

namespace sinmun::news {
namespace {

using ImportTest = testing::NewsroomFixture;

TEST_F(ImportTest, ImportsGoodLinesAndReportsBadOnesByLine) {
    std::istringstream in(
        R"({"title":"첫 기사","section":"politics","body_md":"본문 1","authors":["seoyeon@sinmun.example"],"published_at":"2026-03-01T10:00:00+09:00","external_id":"w-1","labels":["단독"]})"
        "\n"
        R"({"title":"둘째","section":"economy","body_md":"본문 2","authors":["새 기자"],"label":"[기획]","external_id":"w-2"})"
        "\n"
        "{not json\n"
        "\n"
        R"({"title":"","section":"politics"})"
        "\n"
        R"({"title":"섹션 없음","section":"sports2"})"
        "\n"
        R"({"title":"시각 오류","section":"politics","published_at":"어제"})"
        "\n"
        R"({"title":"말머리 오류","section":"politics","labels":["가짜"]})"
        "\n"
        R"(["배열"])"
        "\n"
        R"({"title":"첫 기사 다시","section":"politics","external_id":"w-1"})"
        "\n");
    std::vector<ImportProgress> progress;
    ImportOptions o;
    o.batch_size = 2;
    o.progress = [&](const ImportProgress& p) { progress.push_back(p); };
    auto r = import_jsonl(*db_, clock_, in, o);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->lines, 10);
    EXPECT_EQ(r->imported, 2);
    EXPECT_EQ(r->skipped, 1);
    ASSERT_EQ(r->rejected.size(), 6u);
    std::vector<std::int64_t> lines;
    for (const auto& x : r->rejected) lines.push_back(x.line);
    EXPECT_EQ(lines, (std::vector<std::int64_t>{3, 5, 6, 7, 8, 9}));
    EXPECT_NE(r->rejected[0].reason.find("JSON"), std::string::npos);
    EXPECT_NE(r->rejected[1].reason.find("제목"), std::string::npos);
    EXPECT_EQ(r->rejected[2].reason, "알 수 없는 섹션 'sports2'");
    EXPECT_NE(r->rejected[3].reason.find("ISO 8601"), std::string::npos);
    EXPECT_NE(r->rejected[4].reason.find("말머리"), std::string::npos);
    EXPECT_NE(r->rejected[5].reason.find("객체"), std::string::npos);
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back().imported, 2);

    auto first = db_->articles().article(r->ids[0]).value();
    EXPECT_EQ(first.headline, "첫 기사");
    EXPECT_EQ(first.label, "단독");
    EXPECT_EQ(first.status, ArticleStatus::published);
    EXPECT_EQ(first.published_at, kst::from_kst(2026, 3, 1, 10, 0));
    ASSERT_EQ(first.authors.size(), 1u);
    EXPECT_EQ(first.authors[0].id, kim_);
    EXPECT_EQ(first.external_id, "w-1");
    auto second = db_->articles().article(r->ids[1]).value();
    EXPECT_EQ(second.status, ArticleStatus::draft);
    ASSERT_EQ(second.authors.size(), 1u);
    EXPECT_EQ(second.authors[0].name, "새 기자");  // created
    EXPECT_EQ(db_->articles().revisions(first.id)->front().action, "import");

    // Importing the same file again skips everything already there.
    std::istringstream again(R"({"title":"첫 기사","section":"politics","external_id":"w-1"})"
                             "\n");
    auto r2 = import_jsonl(*db_, clock_, again).value();
    EXPECT_EQ(r2.imported, 0);
    EXPECT_EQ(r2.skipped, 1);
}

TEST_F(ImportTest, ManyLinesAcrossBatchesAllArrive) {
    std::string data;
    for (int i = 0; i < 450; ++i)
        data += R"({"title":"기사 )" + std::to_string(i) +
                R"(","section":"politics","body_md":"본문","published_at":"2026-03-01 10:00"})" +
                "\n";
    std::istringstream in(data);
    ImportOptions o;
    o.batch_size = 100;
    auto r = import_jsonl(*db_, clock_, in, o).value();
    EXPECT_EQ(r.imported, 450);
    EXPECT_TRUE(r.rejected.empty());
    EXPECT_EQ(db_->articles().count_published(std::nullopt).value(), 450);
}

}  // namespace
}  // namespace sinmun::news
