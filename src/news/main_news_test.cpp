#include "news/main_news.hpp"

#include <gtest/gtest.h>

using namespace sinmun::news;

namespace {
constexpr std::int64_t kHour = 3'600'000;
ArticleSummary make(std::int64_t id, std::int64_t published, std::int64_t views,
                    std::int64_t reactions, std::optional<int> pin = std::nullopt) {
    ArticleSummary a;
    a.id = id;
    a.published_at = published;
    a.views = views;
    a.reactions = reactions;
    a.pin_rank = pin;
    return a;
}
}  // namespace

TEST(MainNews, PinsComeFirstInEditorOrder) {
    const std::int64_t now = 100 * kHour;
    auto out =
        rank_main_news({make(1, now - kHour, 100000, 500), make(2, now - 30 * kHour, 0, 0, 2),
                        make(3, now - 40 * kHour, 0, 0, 1)},
                       now, 10);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].id, 3);
    EXPECT_EQ(out[1].id, 2);
    EXPECT_EQ(out[2].id, 1);
}

TEST(MainNews, FreshPopularStoryBeatsYesterdaysHit) {
    const std::int64_t now = 100 * kHour;
    auto out = rank_main_news(
        {make(1, now - 26 * kHour, 20000, 100), make(2, now - 2 * kHour, 3000, 40)}, now, 10);
    EXPECT_EQ(out[0].id, 2);
}

TEST(MainNews, ReactionsCountMoreThanViews) {
    const std::int64_t now = 100 * kHour;
    auto out =
        rank_main_news({make(1, now - kHour, 1000, 0), make(2, now - kHour, 500, 30)}, now, 10);
    EXPECT_EQ(out[0].id, 2);
}

TEST(MainNews, KeepsLimitAndBreaksTiesNewestFirst) {
    const std::int64_t now = 100 * kHour;
    auto out = rank_main_news(
        {make(1, now - kHour, 0, 0), make(2, now - kHour, 0, 0), make(3, now - 5 * kHour, 0, 0)},
        now, 2);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].id, 2);
    EXPECT_EQ(out[1].id, 1);
}
