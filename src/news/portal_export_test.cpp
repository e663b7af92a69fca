// Portal CSV: RFC 4180 quoting, BOM, KST date range (inclusive), absolute canonical links.
#include "news/portal_export.hpp"

#include <gtest/gtest.h>

#include "news/newsroom_fixture.hpp"

namespace sinmun::news {
namespace {

TEST(CsvField, QuotesCommasQuotesAndNewlines) {
    EXPECT_EQ(csv_field("서울시 AI 특구"), "서울시 AI 특구");
    EXPECT_EQ(csv_field("김서연, 이준호"), "\"김서연, 이준호\"");
    EXPECT_EQ(csv_field("\"단독\" 보도"), "\"\"\"단독\"\" 보도\"");
    EXPECT_EQ(csv_field("첫 줄\n둘째 줄"), "\"첫 줄\n둘째 줄\"");
    EXPECT_EQ(csv_field("a\rb"), "\"a\rb\"");
    EXPECT_EQ(csv_field(""), "");
}

using PortalExportTest = testing::NewsroomFixture;

TEST_F(PortalExportTest, ListsPublishedArticlesInKstRange) {
    auto settings = db_->settings().site_settings().value();
    settings.site_url = "https://news.example.kr/";
    ASSERT_TRUE(db_->settings().save_site_settings(settings));
    auto in = input("\"단독\" 서울시, AI 특구 지정");
    in.author_ids = {kim_, lee_};
    auto a = room_->create_draft(editor_, in).value();
    // 2026-03-01 00:30 KST is still 2026-02-28 in UTC: it belongs to March 1st in KST.
    clock_.set_ms(kst::from_kst(2026, 3, 1, 0, 30));
    room_->publish(editor_, a.id).value();
    auto b = room_->create_draft(editor_, input("다음 날 기사")).value();
    clock_.set_ms(kst::from_kst(2026, 3, 2, 23, 59));
    room_->publish(editor_, b.id).value();
    auto c = room_->create_draft(editor_, input("범위 밖")).value();
    clock_.set_ms(kst::from_kst(2026, 3, 3, 0, 0));
    room_->publish(editor_, c.id).value();
    auto draft = room_->create_draft(editor_, input("초안")).value();
    (void)draft;

    auto csv = portal_csv(*db_, "2026-03-01", "2026-03-02");
    ASSERT_TRUE(csv) << csv.error().message;
    const std::string expected =
        "\xEF\xBB\xBF"
        "링크,제목,기자,입력,섹션\r\n"
        "https://news.example.kr" +
        db_->articles().article(a.id)->url_path() +
        ",\"\"\"단독\"\" 서울시, AI 특구 지정\",\"김서연, 이준호\",2026-03-01 00:30,정치\r\n"
        "https://news.example.kr" +
        db_->articles().article(b.id)->url_path() +
        ",다음 날 기사,박데스크,2026-03-02 23:59,정치\r\n";
    EXPECT_EQ(*csv, expected);
}

TEST_F(PortalExportTest, RefusesBadDates) {
    EXPECT_EQ(portal_csv(*db_, "2026-3-1", "2026-03-02").error().code, Errc::invalid_input);
    EXPECT_EQ(portal_csv(*db_, "2026-02-30", "2026-03-02").error().code, Errc::invalid_input);
    EXPECT_EQ(portal_csv(*db_, "2026-03-05", "2026-03-02").error().code, Errc::invalid_input);
}

}  // namespace
}  // namespace sinmun::news
