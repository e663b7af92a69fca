// Feeds and sitemaps against golden files (tests/golden/feeds/). The golden files are written
// only when SINMUN_UPDATE_GOLDEN=1; otherwise a difference fails the test. Besides the bytes,
// a few properties are checked directly so a regenerated golden file cannot hide a regression.
#include "render/feeds.hpp"

#include "core/kst.hpp"
#include "render/test_fixtures.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sinmun::render {
namespace {

using testing::sample_article;
using testing::sample_settings;

std::string golden_path(const std::string& name) {
    return testing::source_dir() + "/tests/golden/feeds/" + name;
}

void expect_golden(const std::string& name, const std::string& actual) {
    const std::string path = golden_path(name);
    if (const char* env = std::getenv("SINMUN_UPDATE_GOLDEN"); env && std::string(env) == "1") {
        std::ofstream out(path, std::ios::binary);
        out << actual;
        ASSERT_TRUE(out.good()) << "cannot write " << path;
        return;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << "missing golden file " << path << " (run with SINMUN_UPDATE_GOLDEN=1)";
    std::ostringstream buf;
    buf << in.rdbuf();
    EXPECT_EQ(buf.str(), actual) << "differs from " << path
                                 << " (if intended, regenerate with SINMUN_UPDATE_GOLDEN=1)";
}

struct Fixture {
    news::SiteSettings settings = sample_settings();
    FeedView view;
    Fixture() {
        view.settings = &settings;
        view.self_path = "/rss";
        view.logo_path = "/assets/logo.svg";
        view.now_ms = kst::from_kst(2026, 11, 26, 12, 0);
        FeedItem first{sample_article(), {2, "economy", "경제", 2}};
        first.article.updated_at = kst::from_kst(2026, 11, 26, 10, 30);
        FeedItem second{sample_article(), {1, "politics", "정치", 1}};
        second.article.id = 41;
        second.article.headline = "국회 <예산> 심사 & \"막판\" 협상";
        second.article.subtitle = "";
        second.article.label = "";
        second.article.body_md = "여야가 **예산안** 처리를 두고 협상을 이어갔다.\x01";
        second.article.authors = {{3, "이민지", ""}};
        second.article.photos.clear();
        second.article.published_at = kst::from_kst(2026, 11, 25, 23, 59, 30);
        second.article.updated_at = second.article.published_at;
        view.items = {first, second};
    }
};

TEST(Feeds, RssMatchesGolden) {
    Fixture f;
    f.view.full_content = true;
    f.view.hub_url = "https://hub.example/";
    const std::string xml = rss(f.view);
    expect_golden("rss.xml", xml);
    EXPECT_NE(xml.find("<pubDate>Thu, 26 Nov 2026 09:05:00 +0900</pubDate>"), std::string::npos);
    EXPECT_NE(xml.find("<dc:creator>김서연</dc:creator>\n<dc:creator>박준호</dc:creator>"),
              std::string::npos);
    EXPECT_NE(xml.find("<atom:link rel=\"hub\" href=\"https://hub.example/\"/>"),
              std::string::npos);
    EXPECT_NE(xml.find("국회 &lt;예산&gt; 심사 &amp; &quot;막판&quot; 협상"), std::string::npos);
    EXPECT_EQ(xml.find('\x01'), std::string::npos) << "XML 1.0 forbids C0 controls";
    // The body's photo paths are absolute in content:encoded.
    EXPECT_EQ(xml.find("src=&quot;/media"), std::string::npos);
    EXPECT_NE(xml.find("src=&quot;https://sinmun.example/media/demo/7.jpg"), std::string::npos);
    // The link carries the Hangul slug percent-encoded.
    EXPECT_NE(xml.find("<link>https://sinmun.example/article/42/%EC%84%9C%EC%9A%B8"),
              std::string::npos);
}

TEST(Feeds, RssWithoutFullContentHasNoContentEncodedOrHub) {
    Fixture f;
    const std::string xml = rss(f.view);
    EXPECT_EQ(xml.find("<content:encoded>"), std::string::npos);
    EXPECT_EQ(xml.find("rel=\"hub\""), std::string::npos);
    EXPECT_NE(xml.find("<description>성수·상암 일대 2곳, 실증 규제 특례 적용</description>"),
              std::string::npos);
}

TEST(Feeds, SectionRssNamesTheSection) {
    Fixture f;
    f.view.section = news::Section{2, "economy", "경제", 2};
    f.view.self_path = "/rss/economy";
    f.view.items.resize(1);
    const std::string xml = rss(f.view);
    expect_golden("rss-economy.xml", xml);
    EXPECT_NE(xml.find("<title>신문 - 경제</title>"), std::string::npos);
    EXPECT_NE(xml.find("<link>https://sinmun.example/section/economy</link>"), std::string::npos);
}

TEST(Feeds, AtomMatchesGolden) {
    Fixture f;
    f.view.self_path = "/atom.xml";
    f.view.full_content = true;
    f.view.hub_url = "https://hub.example/";
    const std::string xml = atom(f.view);
    expect_golden("atom.xml", xml);
    EXPECT_NE(xml.find("<updated>2026-11-26T10:30:00+09:00</updated>"), std::string::npos);
    EXPECT_NE(xml.find("<published>2026-11-25T23:59:30+09:00</published>"), std::string::npos);
}

TEST(Feeds, JsonFeedMatchesGolden) {
    Fixture f;
    f.view.self_path = "/feed.json";
    const std::string json = json_feed(f.view);
    expect_golden("feed.json", json);
    EXPECT_NE(json.find("\"version\":\"https://jsonfeed.org/version/1.1\""), std::string::npos);
    EXPECT_NE(json.find("\"date_published\":\"2026-11-26T09:05:00+09:00\""), std::string::npos);
    EXPECT_NE(json.find("\"content_text\""), std::string::npos);
    EXPECT_EQ(json.find("\"content_html\""), std::string::npos);
}

TEST(Feeds, EmptyFeedIsUpdatedNow) {
    Fixture f;
    f.view.items.clear();
    EXPECT_EQ(feed_updated_ms(f.view), f.view.now_ms);
    EXPECT_NE(rss(f.view).find("<lastBuildDate>Thu, 26 Nov 2026 12:00:00 +0900"),
              std::string::npos);
}

TEST(Sitemaps, IndexAndUrlsetMatchGolden) {
    const auto st = sample_settings();
    const std::string index =
        sitemap_index(st, {{article_sitemap_path(1), kst::from_kst(2026, 11, 26, 9, 5)},
                           {kSectionsSitemapPath, kst::from_kst(2026, 11, 26, 9, 5)}});
    expect_golden("sitemap-index.xml", index);
    const auto a = sample_article();
    const std::string urls =
        sitemap_urlset(st, {{a.url_path(), a.published_at}, {"/section/economy", 0}});
    expect_golden("sitemap-articles.xml", urls);
    EXPECT_NE(urls.find("<lastmod>2026-11-26T09:05:00+09:00</lastmod>"), std::string::npos);
}

TEST(Sitemaps, SplitAtFiftyThousand) {
    EXPECT_EQ(article_sitemap_count(0), 1);
    EXPECT_EQ(article_sitemap_count(1), 1);
    EXPECT_EQ(article_sitemap_count(50'000), 1);
    EXPECT_EQ(article_sitemap_count(50'001), 2);
    EXPECT_EQ(article_sitemap_count(150'000), 3);
    EXPECT_EQ(article_sitemap_path(2), "/sitemaps/articles-2.xml");
}

TEST(Sitemaps, NewsSitemapMatchesGoldenAndStopsAtAThousand) {
    const auto st = sample_settings();
    const auto a = sample_article();
    const std::string xml = news_sitemap(st, {{a.url_path(), a.headline, a.published_at}});
    expect_golden("news-sitemap.xml", xml);
    EXPECT_NE(xml.find("<news:name>신문</news:name><news:language>ko</news:language>"),
              std::string::npos);
    std::vector<NewsSitemapItem> many(1500, {a.url_path(), a.headline, a.published_at});
    const std::string big = news_sitemap(st, many);
    std::size_t count = 0;
    for (std::size_t p = big.find("<url>"); p != std::string::npos; p = big.find("<url>", p + 1))
        ++count;
    EXPECT_EQ(count, 1000u);
}

TEST(Feeds, AbsoluteUrlEncodesHangulOnce) {
    const auto st = sample_settings();
    EXPECT_EQ(absolute_url(st, "/article/1/서울"),
              "https://sinmun.example/article/1/%EC%84%9C%EC%9A%B8");
    EXPECT_EQ(absolute_url(st, "/article/1/%EC%84%9C"),
              "https://sinmun.example/article/1/%EC%84%9C");
    EXPECT_EQ(xml_escape("a&b<'\x02"), "a&amp;b&lt;&apos;");
}

}  // namespace
}  // namespace sinmun::render
