// Feeds, sitemaps and pings through the real binary (issue 5): `sinmun serve --demo` on
// 127.0.0.1:0 with IndexNow and WebSub pointed at local recording servers. A publish through the
// admin JSON API (bearer token from `sinmun token create`) shows in /rss at once and reaches
// IndexNow (which first answers 500, so the retry is proved) and the hub; conditional GET with
// ETag and Last-Modified; 404s for unknown sections and sitemap files; robots.txt; the IndexNow
// key file. The 50,000-URL sitemap split runs on a database generated through the store API.
#include "http_client.hpp"
#include "recording_server.hpp"
#include "sinmun_process.hpp"

#include "store/stores.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

using namespace sinmun::testing;

namespace {

constexpr const char* kPassword = "feeds-pass-2026";
constexpr const char* kKey = "f00dfeed12345678";

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

std::size_t count_of(const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
    return n;
}

std::string capture(const std::string& s, const std::string& re) {
    std::smatch m;
    return std::regex_search(s, m, std::regex(re)) ? m[1].str() : std::string();
}

template <class Pred>
bool eventually(Pred pred, int timeout_ms = 10000) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < until) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred();
}

class FeedsSite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        indexnow_ = new RecordingServer();
        hub_ = new RecordingServer();
        proc_ = new SinmunProcess();
        indexnow_->set_default_status(200);
        hub_->set_default_status(204);
        db_path_ = dir_->file("feeds.db");
        std::ofstream(dir_->file("test.toml"))
            << "[feeds]\nfull_content = true\n"
            << "[indexnow]\nendpoint = \"" << indexnow_->url("/indexnow") << "\"\nkey = \"" << kKey
            << "\"\n[websub]\nhub = \"" << hub_->url("/hub") << "\"\n"
            << "[notify]\nbase_delay_ms = 50\nmax_attempts = 4\n";
        ASSERT_TRUE(proc_->start({"serve", "--demo", "--listen", "127.0.0.1:0", "--db", db_path_,
                                  "--config", dir_->file("test.toml")},
                                 dir_->path(), true, 120000))
            << proc_->output();
        auto r = run_sinmun({"user", "add", "--email", "desk@sinmun.example", "--name", "문데스크",
                             "--role", "editor", "--db", db_path_},
                            std::string(kPassword) + "\n", dir_->path());
        ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
        auto t = run_sinmun({"token", "create", "--email", "desk@sinmun.example", "--db", db_path_},
                            {}, dir_->path());
        ASSERT_EQ(t.exit_code, 0) << t.out << t.err;
        token_ = t.out;
        while (!token_.empty() && (token_.back() == '\n' || token_.back() == '\r'))
            token_.pop_back();
    }
    static void TearDownTestSuite() {
        delete proc_;
        delete hub_;
        delete indexnow_;
        delete dir_;
    }

    HttpClient client() const { return HttpClient("127.0.0.1", proc_->port()); }

    static TempDir* dir_;
    static RecordingServer* indexnow_;
    static RecordingServer* hub_;
    static SinmunProcess* proc_;
    static std::string db_path_;
    static std::string token_;
};

TempDir* FeedsSite::dir_ = nullptr;
RecordingServer* FeedsSite::indexnow_ = nullptr;
RecordingServer* FeedsSite::hub_ = nullptr;
SinmunProcess* FeedsSite::proc_ = nullptr;
std::string FeedsSite::db_path_;
std::string FeedsSite::token_;

TEST_F(FeedsSite, FeedsHaveTheirTypesAndAnswerConditionalGets) {
    auto c = client();
    struct Case {
        const char* path;
        const char* type;
        const char* marker;
    };
    for (const Case& k :
         {Case{"/rss", "application/rss+xml", "<rss version=\"2.0\""},
          Case{"/rss/politics", "application/rss+xml", "<title>신문 - 정치</title>"},
          Case{"/atom.xml", "application/atom+xml", "<feed xmlns="},
          Case{"/feed.json", "application/feed+json", "jsonfeed.org/version/1.1"},
          Case{"/sitemap.xml", "application/xml", "<sitemapindex"},
          Case{"/sitemaps/articles-1.xml", "application/xml", "<urlset"},
          Case{"/sitemaps/sections.xml", "application/xml", "/section/politics"},
          Case{"/news-sitemap.xml", "application/xml", "<news:news>"}}) {
        auto r = c.get(k.path);
        ASSERT_TRUE(r) << k.path;
        ASSERT_EQ(r->status, 200) << k.path << ": " << r->body;
        EXPECT_TRUE(contains(r->header("Content-Type"), k.type)) << k.path;
        EXPECT_TRUE(contains(r->body, k.marker)) << k.path;
        const std::string etag = r->header("ETag");
        const std::string modified = r->header("Last-Modified");
        ASSERT_FALSE(etag.empty()) << k.path;
        ASSERT_FALSE(modified.empty()) << k.path;
        auto again = c.get(k.path, {{"If-None-Match", etag}});
        ASSERT_TRUE(again);
        EXPECT_EQ(again->status, 304) << k.path;
        EXPECT_TRUE(again->body.empty());
        again = c.get(k.path, {{"If-Modified-Since", modified}});
        ASSERT_TRUE(again);
        EXPECT_EQ(again->status, 304) << k.path;
        again = c.get(k.path, {{"If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"}});
        ASSERT_TRUE(again);
        EXPECT_EQ(again->status, 200) << k.path;
    }
    // The whole body is in the feeds (full_content = true) with absolute photo URLs.
    auto rss = c.get("/rss");
    EXPECT_TRUE(contains(rss->body, "<content:encoded>"));
    EXPECT_FALSE(contains(rss->body, "src=&quot;/media"));
    EXPECT_TRUE(contains(rss->body, "<atom:link rel=\"hub\" href=\"" + hub_->url("/hub") + "\"/>"));
}

TEST_F(FeedsSite, UnknownSectionsAndSitemapFilesAre404) {
    auto c = client();
    for (const char* path :
         {"/rss/nope", "/rss/%ED%95%9C", "/sitemaps/articles-0.xml", "/sitemaps/articles-2.xml",
          "/sitemaps/articles-x.xml", "/sitemaps/articles-99999999999999999999.xml",
          "/sitemaps/other.xml", "/nothere.txt"}) {
        auto r = c.get(path);
        ASSERT_TRUE(r) << path;
        EXPECT_EQ(r->status, 404) << path;
    }
}

TEST_F(FeedsSite, RobotsKeyFileAndAutodiscovery) {
    auto c = client();
    auto r = c.get("/robots.txt");
    ASSERT_TRUE(r);
    EXPECT_TRUE(contains(r->body, "Disallow: /admin\n"));
    EXPECT_TRUE(contains(r->body, "Sitemap: http://127.0.0.1:8080/sitemap.xml\n"));
    EXPECT_TRUE(contains(r->body, "Sitemap: http://127.0.0.1:8080/news-sitemap.xml\n"));
    r = c.get(std::string("/") + kKey + ".txt");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, kKey);
    r = c.get("/section/politics");
    ASSERT_TRUE(r);
    EXPECT_TRUE(contains(r->body,
                         "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"신문 "
                         "RSS\" href=\"http://127.0.0.1:8080/rss\">"));
    EXPECT_TRUE(contains(r->body, "href=\"http://127.0.0.1:8080/rss/politics\">"));
    EXPECT_TRUE(contains(r->body, "type=\"application/feed+json\""));
}

TEST_F(FeedsSite, PublishShowsInFeedsAtOnceAndPingsIndexNowAndTheHub) {
    auto c = client();
    const std::vector<std::pair<std::string, std::string>> h = {
        {"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}};
    // Warm the caches first: the publish must invalidate them.
    ASSERT_EQ(c.get("/rss")->status, 200);
    ASSERT_EQ(c.get("/rss/society")->status, 200);
    ASSERT_EQ(c.get("/sitemap.xml")->status, 200);
    const std::size_t pings_before = indexnow_->requests().size();

    auto r = c.request(
        "POST", "/api/v1/admin/articles", h,
        R"({"title":"세종시는 오늘 '피드 실험' 발표","subtitle":"구독자에게 바로","section":"society","labels":[],"body_md":"세종시와 서울시가 **함께** 발표했다."})");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    const std::string id = capture(r->body, "\"id\":(\\d+)");
    ASSERT_FALSE(id.empty());
    // A draft is nobody's business: no ping, not in the feed.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(indexnow_->requests().size(), pings_before);
    EXPECT_FALSE(contains(c.get("/rss")->body, "피드 실험"));

    indexnow_->script({{500, {}}});  // the ping for the publish fails once; the retry succeeds
    r = c.request("POST", "/api/v1/admin/articles/" + id + "/publish", h);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    for (const char* path : {"/rss", "/rss/society", "/atom.xml", "/feed.json"})
        EXPECT_TRUE(contains(c.get(path)->body, "세종시는 오늘 &apos;피드 실험&apos; 발표") ||
                    contains(c.get(path)->body, "세종시는 오늘 '피드 실험' 발표"))
            << path;
    EXPECT_TRUE(contains(c.get("/news-sitemap.xml")->body, "/article/" + id + "/"));
    EXPECT_TRUE(contains(c.get("/sitemaps/articles-1.xml")->body, "/article/" + id + "/"));

    // IndexNow: the first try got 500, the retry 200, both with the article's URL.
    const std::string url_prefix = "http://127.0.0.1:8080/article/" + id + "/";
    ASSERT_TRUE(indexnow_->wait_for(pings_before + 2, 10000)) << proc_->output();
    const auto pings = indexnow_->requests();
    for (std::size_t i = pings_before; i < pings_before + 2; ++i) {
        EXPECT_EQ(pings[i].method, "POST");
        EXPECT_EQ(pings[i].target, "/indexnow");
        EXPECT_TRUE(contains(pings[i].header("Content-Type"), "application/json"));
        EXPECT_TRUE(contains(pings[i].body, "\"host\":\"127.0.0.1\""));
        EXPECT_TRUE(contains(pings[i].body, std::string("\"key\":\"") + kKey + "\""));
        EXPECT_TRUE(
            contains(pings[i].body,
                     std::string("\"keyLocation\":\"http://127.0.0.1:8080/") + kKey + ".txt\""));
        EXPECT_TRUE(contains(pings[i].body, "\"urlList\":[\"" + url_prefix)) << pings[i].body;
    }
    // WebSub: every feed that lists the article, as a form.
    ASSERT_TRUE(eventually([&] {
        std::size_t n = 0;
        for (const auto& p : hub_->requests())
            if (p.body.starts_with("hub.mode=publish&hub.url=")) ++n;
        return n >= 4;
    })) << proc_->output();
    std::string bodies;
    for (const auto& p : hub_->requests()) bodies += p.body + "\n";
    for (const char* feed : {"rss", "atom.xml", "feed.json", "rss%2Fsociety"})
        EXPECT_TRUE(
            contains(bodies, std::string("hub.url=http%3A%2F%2F127.0.0.1%3A8080%2F") + feed + "\n"))
            << feed << " in\n"
            << bodies;
    EXPECT_TRUE(eventually([&] {
        auto m = c.get("/metrics");
        return m && contains(m->body, "sinmun_notify_delivered_total ") &&
               !contains(m->body, "sinmun_notify_delivered_total 0\n") &&
               !contains(m->body, "sinmun_notify_retries_total 0\n");
    }));

    // Unpublish: gone from the feed at once, and IndexNow hears about the URL again. Removing
    // the newest item makes nothing newer, yet Last-Modified moves on: a reader polling with
    // If-Modified-Since (no ETag) must get the new list, not 304.
    const std::string seen_modified = c.get("/rss")->header("Last-Modified");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // HTTP dates have seconds
    const std::size_t before_unpublish = indexnow_->requests().size();
    r = c.request("POST", "/api/v1/admin/articles/" + id + "/unpublish", h,
                  R"({"reason":"시험 종료"})");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    auto after = c.get("/rss", {{"If-Modified-Since", seen_modified}});
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 200);
    EXPECT_FALSE(contains(after->body, "피드 실험"));
    EXPECT_FALSE(contains(c.get("/sitemaps/articles-1.xml")->body, "/article/" + id + "/"));
    ASSERT_TRUE(indexnow_->wait_for(before_unpublish + 1, 10000));
    EXPECT_TRUE(contains(indexnow_->requests()[before_unpublish].body, url_prefix));
}

// ---- 50,000 URLs per sitemap file ---------------------------------------------------------------

TEST(SitemapSplit, FiftyThousandAndOneArticlesMakeTwoFiles) {
    TempDir dir;
    const std::string db_path = dir.file("big.db");
    std::int64_t last_id = 0;
    {
        sinmun::store::SqliteOptions o;
        o.path = db_path;
        auto db = sinmun::store::open_sqlite(o);
        ASSERT_TRUE(db) << db.error().message;
        auto sec = (*db)->articles().save_section({0, "society", "사회", 1});
        ASSERT_TRUE(sec);
        constexpr std::int64_t kBase = 1'790'000'000'000;
        std::vector<sinmun::store::ImportItem> items(50'001);
        for (std::size_t i = 0; i < items.size(); ++i) {
            auto& a = items[i].article;
            a.section_id = *sec;
            a.headline = "기사 " + std::to_string(i);
            a.body_md = "본문";
            a.status = sinmun::news::ArticleStatus::published;
            a.created_at = a.published_at = a.updated_at = kBase + static_cast<std::int64_t>(i);
            items[i].revision.action = "import";
            items[i].revision.actor = "system";
            items[i].revision.at = a.created_at;
            items[i].revision.status = sinmun::news::ArticleStatus::published;
        }
        auto ids = (*db)->articles().import_articles(items);
        ASSERT_TRUE(ids) << ids.error().message;
        last_id = *ids->back();
    }
    SinmunProcess proc;
    ASSERT_TRUE(
        proc.start({"serve", "--listen", "127.0.0.1:0", "--db", db_path}, dir.path(), true, 60000))
        << proc.output();
    HttpClient c("127.0.0.1", proc.port());
    auto index = c.get("/sitemap.xml");
    ASSERT_TRUE(index);
    ASSERT_EQ(index->status, 200);
    EXPECT_EQ(count_of(index->body, "<sitemap>"), 3u);  // articles-1, articles-2, sections
    EXPECT_TRUE(contains(index->body, "<loc>http://127.0.0.1:8080/sitemaps/articles-2.xml</loc>"));
    auto first = c.get("/sitemaps/articles-1.xml");
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200);
    EXPECT_EQ(count_of(first->body, "<url>"), 50'000u);
    auto second = c.get("/sitemaps/articles-2.xml");
    ASSERT_TRUE(second);
    ASSERT_EQ(second->status, 200);
    EXPECT_EQ(count_of(second->body, "<url>"), 1u);
    EXPECT_TRUE(contains(second->body, "/article/" + std::to_string(last_id) + "/"));
    EXPECT_EQ(c.get("/sitemaps/articles-3.xml")->status, 404);
}

}  // namespace
