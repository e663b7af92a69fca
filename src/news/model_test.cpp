#include "news/model.hpp"

#include <gtest/gtest.h>

using namespace sinmun::news;

TEST(Article, UrlCarriesEncodedHangulSlugNeverRomanized) {
    Article a;
    a.id = 42;
    a.headline = "서울시, 'AI 특구' 지정";
    EXPECT_EQ(a.slug(), "서울시-ai-특구-지정");
    EXPECT_EQ(a.url_path(),
              "/article/42/%EC%84%9C%EC%9A%B8%EC%8B%9C-ai-%ED%8A%B9%EA%B5%AC-%EC%A7%80%EC%A0%95");
}

TEST(Article, HeadlineWithoutLettersGivesBareUrl) {
    Article a;
    a.id = 7;
    a.headline = "…!!";
    EXPECT_EQ(a.url_path(), "/article/7");
}

TEST(ArticleStatus, RoundTripsItsDatabaseSpelling) {
    for (auto s : {ArticleStatus::draft, ArticleStatus::review, ArticleStatus::scheduled,
                   ArticleStatus::published, ArticleStatus::unpublished})
        EXPECT_EQ(parse_status(to_string(s)), s);
    EXPECT_FALSE(parse_status("live"));
}
