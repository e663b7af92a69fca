// End-to-end tests of the real sinmun binary: it runs as a child process on 127.0.0.1 with an
// ephemeral port and a temp SQLite file, and the tests speak HTTP to it over real sockets.
#include "http_client.hpp"
#include "sinmun_process.hpp"

#include "store/stores.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>

using namespace sinmun::testing;

namespace {

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// The demo site, started once for the suite (seeding and photo generation take a moment).
class DemoSite : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        proc_ = new SinmunProcess();
        std::ofstream(dir_->file("test.toml")) << "[reactions]\nrate_per_second = 50\nburst = 200\n"
                                                  "[cache]\npage_max_age_ms = 500\n";
        ASSERT_TRUE(proc_->start({"serve", "--demo", "--listen", "127.0.0.1:0", "--db",
                                  dir_->file("demo.db"), "--config", dir_->file("test.toml")},
                                 dir_->path()))
            << proc_->output();
    }
    static void TearDownTestSuite() {
        delete proc_;
        delete dir_;
        proc_ = nullptr;
        dir_ = nullptr;
    }
    HttpClient client() const { return HttpClient("127.0.0.1", proc_->port()); }

    // The first article link on the home page.
    std::string first_article_path() {
        auto c = client();
        auto r = c.get("/");
        EXPECT_TRUE(r);
        std::smatch m;
        static const std::regex kLink(R"(href="(/article/(\d+)/[^"]+)\")");
        if (!r || !std::regex_search(r->body, m, kLink)) return {};
        return m[1].str();
    }

    static TempDir* dir_;
    static SinmunProcess* proc_;
};
TempDir* DemoSite::dir_ = nullptr;
SinmunProcess* DemoSite::proc_ = nullptr;

std::string article_id(const std::string& path) {
    std::smatch m;
    std::regex_search(path, m, std::regex(R"(/article/(\d+))"));
    return m[1].str();
}

}  // namespace

TEST_F(DemoSite, HomeShowsLeadMainNewsSectionsWidgetsAndLegalFooter) {
    auto c = client();
    auto r = c.get("/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(contains(r->header("Content-Type"), "text/html"));
    for (const char* s : {"주요 뉴스", "실시간 암호화폐 시세", "오늘의 상승종목",
                          "24시간 변동률 기준", "비트코인", "장종료", "등록번호", "발행인",
                          "편집인", "청소년보호책임자", "무단전재 및 재배포 금지", "데모"})
        EXPECT_TRUE(contains(r->body, s)) << "home page lacks " << s;
    EXPECT_TRUE(contains(r->body, "/section/politics"));
}

TEST_F(DemoSite, SectionPagesListNewestFirstAndPaginate) {
    auto c = client();
    auto r = c.get("/section/economy");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    // Times shown on the list are newest first.
    // Each list item's meta line: <p class="meta">… <time datetime="…">.
    std::regex time_re(
        R"(class="meta">[^\n]*?<time datetime="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00)\")");
    std::vector<std::string> times;
    for (auto it = std::sregex_iterator(r->body.begin(), r->body.end(), time_re);
         it != std::sregex_iterator(); ++it)
        times.push_back((*it)[1].str());
    ASSERT_GE(times.size(), 3u);
    EXPECT_TRUE(std::is_sorted(times.rbegin(), times.rend()));
    auto missing = c.get("/section/economy?page=999");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    auto unknown = c.get("/section/no-such-section");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_TRUE(contains(unknown->body, "</html>"));
}

TEST_F(DemoSite, ArticlePageCarriesEverythingAReaderExpects) {
    const std::string path = first_article_path();
    ASSERT_FALSE(path.empty());
    auto c = client();
    auto r = c.get(path);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    for (const char* s : {"기자", "@", "▲", "가장작게", "작게", "기본", "크게", "가장크게",
                          "좋아요", "화나요", "슬퍼요", "추가취재 원해요", "실시간 암호화폐 시세",
                          "무단전재 및 재배포 금지", "application/ld+json", "rel=\"canonical\""})
        EXPECT_TRUE(contains(r->body, s)) << "article page lacks " << s;
    // 입력 YYYY-MM-DD HH:MM in KST, with a machine-readable +09:00 time.
    EXPECT_TRUE(std::regex_search(
        r->body, std::regex("입력 <time "
                            "datetime=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+09:00\">\\d{4}-"
                            "\\d\\d-\\d\\d \\d\\d:\\d\\d</time>")));
    EXPECT_TRUE(contains(r->body, "class=\"fs-2"));
}

TEST_F(DemoSite, ArticleUrlsRedirectToTheCanonicalHangulSlug) {
    const std::string path = first_article_path();
    ASSERT_FALSE(path.empty());
    const std::string id = article_id(path);
    auto c = client();
    auto bare = c.get("/article/" + id);
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->status, 200);
    auto wrong = c.get("/article/" + id + "/wrong-slug");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 301);
    EXPECT_EQ(wrong->header("Location"), path);
    EXPECT_TRUE(contains(path, "%EC") || contains(path, "%E"))
        << "slug should be percent-encoded UTF-8 Hangul: " << path;
    auto none = c.get("/article/99999999");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 404);
    EXPECT_TRUE(contains(none->body, "기사를 찾을 수 없습니다"));
    auto junk = c.get("/article/12abc");
    ASSERT_TRUE(junk);
    EXPECT_EQ(junk->status, 404);
}

TEST_F(DemoSite, FontSizeCookieIsRenderedByTheServer) {
    const std::string path = first_article_path();
    auto c = client();
    auto set =
        c.request("POST", "/prefs/font-size",
                  {{"Content-Type", "application/x-www-form-urlencoded"}}, "size=4&back=" + path);
    ASSERT_TRUE(set);
    EXPECT_EQ(set->status, 303);
    EXPECT_EQ(set->header("Location"), path);
    EXPECT_TRUE(contains(set->header("Set-Cookie"), "fs=4"));
    auto page = c.get(path, {{"Cookie", "fs=4"}});
    ASSERT_TRUE(page);
    EXPECT_TRUE(contains(page->body, "class=\"fs-4"))
        << "no-flash font size must come from the server";
    auto bad = c.request("POST", "/prefs/font-size",
                         {{"Content-Type", "application/x-www-form-urlencoded"}}, "size=9");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    auto offsite = c.request("POST", "/prefs/font-size",
                             {{"Content-Type", "application/x-www-form-urlencoded"}},
                             "size=1&back=//evil.example/");
    ASSERT_TRUE(offsite);
    EXPECT_EQ(offsite->header("Location"), "/");
}

TEST_F(DemoSite, ReactionsApiCountsOneVotePerReaderAndTogglesBack) {
    const std::string id = article_id(first_article_path());
    const std::string url = "/api/v1/articles/" + id + "/reactions";
    auto c = client();
    auto before = c.get(url);
    ASSERT_TRUE(before);
    ASSERT_EQ(before->status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(before->body, m, std::regex(R"(\"like\":(\d+))")));
    const int likes = std::stoi(m[1].str());
    EXPECT_TRUE(contains(before->body, "\"mine\":[]"));

    const std::vector<std::pair<std::string, std::string>> json = {
        {"Content-Type", "application/json"}};
    auto on = c.request("POST", url, json, R"({"kind":"like","on":true})");
    ASSERT_TRUE(on);
    ASSERT_EQ(on->status, 200) << on->body;
    const std::string cookie = on->header("Set-Cookie");
    EXPECT_TRUE(contains(cookie, "rid=") && contains(cookie, "HttpOnly")) << cookie;
    EXPECT_TRUE(contains(on->body, "\"like\":" + std::to_string(likes + 1)));
    EXPECT_TRUE(contains(on->body, "\"mine\":[\"like\"]"));
    const std::string rid = cookie.substr(0, cookie.find(';'));

    auto again = c.request("POST", url, {{"Content-Type", "application/json"}, {"Cookie", rid}},
                           R"({"kind":"like","on":true})");
    ASSERT_TRUE(again);
    EXPECT_TRUE(contains(again->body, "\"like\":" + std::to_string(likes + 1)))
        << "one vote per reader per kind";
    auto mine = c.get(url, {{"Cookie", rid}});
    EXPECT_TRUE(contains(mine->body, "\"mine\":[\"like\"]"));
    auto off = c.request("POST", url, {{"Content-Type", "application/json"}, {"Cookie", rid}},
                         R"({"kind":"like","on":false})");
    ASSERT_TRUE(off);
    EXPECT_TRUE(contains(off->body, "\"like\":" + std::to_string(likes)));
    EXPECT_TRUE(contains(off->body, "\"mine\":[]"));
}

TEST_F(DemoSite, ReactionsApiRejectsBadInputWithMessages) {
    const std::string id = article_id(first_article_path());
    const std::string url = "/api/v1/articles/" + id + "/reactions";
    auto c = client();
    const std::vector<std::pair<std::string, std::string>> json = {
        {"Content-Type", "application/json"}};
    auto unknown = c.request("POST", url, json, R"({"kind":"love","on":true})");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 400);
    EXPECT_TRUE(contains(unknown->body, "\"error\"") && contains(unknown->body, "love"))
        << unknown->body;
    auto malformed = c.request("POST", url, json, R"({"kind":"like","on":tru)");
    ASSERT_TRUE(malformed);
    EXPECT_EQ(malformed->status, 400);
    EXPECT_TRUE(contains(malformed->body, "malformed JSON"));
    auto missing_on = c.request("POST", url, json, R"({"kind":"like"})");
    EXPECT_EQ(missing_on->status, 400);
    auto no_article = c.request("POST", "/api/v1/articles/99999999/reactions", json,
                                R"({"kind":"like","on":true})");
    ASSERT_TRUE(no_article);
    EXPECT_EQ(no_article->status, 404);
    auto cross = c.request(
        "POST", url, {{"Content-Type", "application/json"}, {"Origin", "https://evil.example"}},
        R"({"kind":"like","on":true})");
    EXPECT_EQ(cross->status, 403);
}

TEST_F(DemoSite, NoScriptReactionFormTogglesAndReturnsToTheArticle) {
    const std::string path = first_article_path();
    const std::string id = article_id(path);
    auto c = client();
    auto first = c.request("POST", "/article/" + id + "/reactions",
                           {{"Content-Type", "application/x-www-form-urlencoded"}}, "kind=sad");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 303);
    EXPECT_EQ(first->header("Location"), path + "#reactions");
    const std::string rid =
        first->header("Set-Cookie").substr(0, first->header("Set-Cookie").find(';'));
    auto st = c.get("/api/v1/articles/" + id + "/reactions", {{"Cookie", rid}});
    EXPECT_TRUE(contains(st->body, "\"mine\":[\"sad\"]"));
    auto second = c.request(
        "POST", "/article/" + id + "/reactions",
        {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", rid}}, "kind=sad");
    EXPECT_EQ(second->status, 303);
    st = c.get("/api/v1/articles/" + id + "/reactions", {{"Cookie", rid}});
    EXPECT_TRUE(contains(st->body, "\"mine\":[]"));
}

TEST_F(DemoSite, CachedPagesHaveEtagsCompressionAndHead) {
    auto c = client();
    auto r = c.get("/", {{"Accept-Encoding", "gzip, br"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("Content-Encoding"), "br");
    EXPECT_TRUE(contains(unbrotli(r->body), "주요 뉴스"));
    auto gz = c.get("/", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(gz->header("Content-Encoding"), "gzip");
    EXPECT_TRUE(contains(gunzip(gz->body), "주요 뉴스"));
    const std::string etag = gz->header("ETag");
    ASSERT_FALSE(etag.empty());
    auto cond = c.get("/", {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
    ASSERT_TRUE(cond);
    // A 304 while the page is unchanged; 200 once it was re-rendered with fresh market values.
    EXPECT_TRUE(cond->status == 304 || (cond->status == 200 && cond->header("ETag") != etag));
    auto head = c.request("HEAD", "/");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_TRUE(head->body.empty());
    EXPECT_EQ(c.connections_opened(), 1) << "keep-alive: every request above used one connection";
}

TEST_F(DemoSite, SecurityHeadersAndCspWithoutUnsafeInline) {
    auto c = client();
    auto r = c.get("/");
    const std::string csp = r->header("Content-Security-Policy");
    EXPECT_TRUE(contains(csp, "default-src 'self'"));
    EXPECT_FALSE(contains(csp, "unsafe-inline"));
    EXPECT_EQ(r->header("X-Content-Type-Options"), "nosniff");
    EXPECT_FALSE(contains(r->body, "style=\"")) << "inline styles would need unsafe-inline";
    EXPECT_FALSE(std::regex_search(
        r->body, std::regex("<script>|<script (?![^>]*(src=|application/ld\\+json))")));
}

TEST_F(DemoSite, StaticAssetsAreFingerprintedAndImmutable) {
    auto c = client();
    auto home = c.get("/");
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(home->body, m, std::regex(R"((/assets/site\.[0-9a-f]{6,}\.css))")));
    auto css = c.get(m[1].str(), {{"Accept-Encoding", "br"}});
    ASSERT_TRUE(css);
    EXPECT_EQ(css->status, 200);
    EXPECT_TRUE(contains(css->header("Cache-Control"), "immutable"));
    EXPECT_TRUE(contains(css->header("Content-Type"), "text/css"));
    auto missing = c.get("/assets/nope.css");
    EXPECT_EQ(missing->status, 404);
}

TEST_F(DemoSite, PhotosAreServed) {
    auto c = client();
    auto page = c.get(first_article_path());
    std::smatch m;
    ASSERT_TRUE(std::regex_search(page->body, m, std::regex(R"(src="(/media/[^"]+\.jpg))")));
    auto img = c.get(m[1].str());
    ASSERT_TRUE(img);
    EXPECT_EQ(img->status, 200);
    EXPECT_EQ(img->header("Content-Type"), "image/jpeg");
    EXPECT_GT(img->body.size(), 1000u);
    EXPECT_EQ(c.get("/media/../demo.db")->status, 404);
}

TEST_F(DemoSite, MarketSnapshotAndStream) {
    auto c = client();
    auto snap = c.get("/api/v1/market/snapshot");
    ASSERT_TRUE(snap);
    EXPECT_EQ(snap->status, 200);
    EXPECT_TRUE(contains(snap->body, "\"KRW-BTC\"") && contains(snap->body, "\"demo\":true"));
    auto stream = c.stream_for("/stream/market", 2500);
    ASSERT_TRUE(stream);
    EXPECT_EQ(stream->status, 200);
    EXPECT_TRUE(contains(stream->header("Content-Type"), "text/event-stream"));
    EXPECT_TRUE(contains(stream->body, "event: snapshot"));
    EXPECT_TRUE(contains(stream->body, "event: crypto"))
        << "the demo feed moves within two seconds";
}

TEST_F(DemoSite, ErrorsAreFriendlyAndLimitsAreAnsweredNotCrashed) {
    auto c = client();
    auto nf = c.get("/no/such/page");
    EXPECT_EQ(nf->status, 404);
    EXPECT_TRUE(contains(nf->body, "<html"));
    auto method = c.request("DELETE", "/");
    EXPECT_EQ(method->status, 405);
    EXPECT_FALSE(method->header("Allow").empty());
    auto big_header =
        c.raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40000, 'a') + "\r\n\r\n");
    ASSERT_TRUE(big_header);
    EXPECT_EQ(big_header->status, 431);
    auto big_body = c.raw(
        "POST /api/v1/articles/1/reactions HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/json\r\n"
        "Content-Length: 50000000\r\n\r\n" +
        std::string(1000, 'x'));
    ASSERT_TRUE(big_body);
    EXPECT_EQ(big_body->status, 413);
    auto garbage = c.raw("HELLO THERE\r\n\r\n");
    ASSERT_TRUE(garbage);
    EXPECT_EQ(garbage->status, 400);
    auto health = c.get("/healthz");
    EXPECT_EQ(health->status, 200) << "the server is still healthy after bad input";
    EXPECT_TRUE(contains(health->body, "\"status\":\"ok\""));
}

TEST_F(DemoSite, MetricsArePrometheusText) {
    auto c = client();
    auto m = c.get("/metrics");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->status, 200);
    EXPECT_TRUE(contains(m->body, "# TYPE sinmun_reaction_votes_total counter"));
    EXPECT_TRUE(contains(m->body, "sinmun_page_cache_hits_total"));
}

// ---- Process-level behaviour -------------------------------------------------------------

TEST(Cli, HelpDocumentsServeFlags) {
    TempDir dir;
    SinmunProcess p;
    ASSERT_TRUE(p.start({"serve", "--help"}, dir.path(), false));
    EXPECT_EQ(p.wait_exit(10000), 0);
    for (const char* flag : {"--demo", "--db", "--listen", "--config"})
        EXPECT_TRUE(contains(p.output(), flag)) << flag;
    SinmunProcess top;
    ASSERT_TRUE(top.start({"--help"}, dir.path(), false));
    EXPECT_EQ(top.wait_exit(10000), 0);
    EXPECT_TRUE(contains(top.output(), "serve"));
}

TEST(Cli, BadFlagIsOneLineErrorAndNonZeroExit) {
    TempDir dir;
    SinmunProcess p;
    ASSERT_TRUE(p.start({"serve", "--no-such-flag"}, dir.path(), false));
    const auto code = p.wait_exit(10000);
    ASSERT_TRUE(code);
    EXPECT_NE(*code, 0);
    const std::string out = p.output();
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_TRUE(contains(out, "--no-such-flag"));
}

TEST(Cli, BusyPortIsOneLineErrorAndNonZeroExit) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(fd, 1), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    const std::string port = std::to_string(ntohs(addr.sin_port));
    TempDir dir;
    SinmunProcess p;
    ASSERT_TRUE(p.start({"serve", "--listen", "127.0.0.1:" + port, "--db", dir.file("x.db")},
                        dir.path(), false));
    const auto code = p.wait_exit(15000);
    ::close(fd);
    ASSERT_TRUE(code);
    EXPECT_NE(*code, 0);
    EXPECT_TRUE(contains(p.output(), "127.0.0.1:" + port)) << p.output();
    EXPECT_TRUE(contains(p.output(), "sinmun: error:"));
}

TEST(Cli, UnreadableDatabaseIsOneLineErrorAndNonZeroExit) {
    TempDir dir;
    std::ofstream(dir.file("notes.db"))
        << "this is not a database, just some text that is long enough to look like a header";
    SinmunProcess p;
    ASSERT_TRUE(p.start({"serve", "--listen", "127.0.0.1:0", "--db", dir.file("notes.db")},
                        dir.path(), false));
    const auto code = p.wait_exit(15000);
    ASSERT_TRUE(code);
    EXPECT_NE(*code, 0);
    EXPECT_TRUE(contains(p.output(), "notes.db")) << p.output();
}

TEST(Cli, DemoRefusesARealDatabaseAndLeavesItUntouched) {
    TempDir dir;
    const std::string path = dir.file("real.db");
    {
        auto db = sinmun::store::open_sqlite({path});
        ASSERT_TRUE(db) << db.error().message;
        sinmun::news::Section section{0, "local", "지역", 1};
        auto sid = (*db)->articles().save_section(section);
        ASSERT_TRUE(sid);
        auto aid = (*db)->articles().save_author({0, "기자", "a@b.example"});
        ASSERT_TRUE(aid);
        sinmun::news::Article a;
        a.section_id = *sid;
        a.headline = "우리 동네 소식";
        a.body_md = "본문";
        a.authors.push_back({*aid, "기자", "a@b.example"});
        a.status = sinmun::news::ArticleStatus::published;
        a.published_at = 1700000000000;
        ASSERT_TRUE((*db)->articles().save_article(a));
    }
    SinmunProcess p;
    ASSERT_TRUE(
        p.start({"serve", "--demo", "--listen", "127.0.0.1:0", "--db", path}, dir.path(), false));
    const auto code = p.wait_exit(20000);
    ASSERT_TRUE(code);
    EXPECT_NE(*code, 0);
    EXPECT_TRUE(contains(p.output(), "not a demo database")) << p.output();
    auto db = sinmun::store::open_sqlite({path});
    ASSERT_TRUE(db);
    EXPECT_EQ(*(*db)->articles().count_published(std::nullopt), 1);
}

TEST(Process, SigtermDrainsAndExitsCleanly) {
    TempDir dir;
    SinmunProcess p;
    ASSERT_TRUE(p.start({"serve", "--demo", "--listen", "127.0.0.1:0", "--db", dir.file("d.db")},
                        dir.path()))
        << p.output();
    HttpClient c("127.0.0.1", p.port());
    ASSERT_EQ(c.get("/healthz")->status, 200);
    p.signal(SIGTERM);
    const auto code = p.wait_exit(15000);
    ASSERT_TRUE(code) << "server did not exit after SIGTERM";
    EXPECT_EQ(*code, 0) << p.output();
}

TEST(Process, AcknowledgedVotesSurviveKill9) {
    TempDir dir;
    const std::string db = dir.file("votes.db");
    std::ofstream(dir.file("t.toml")) << "[reactions]\nrate_per_second = 100000\nburst = 100000\n";
    std::string url;
    std::vector<std::string> acknowledged;
    {
        SinmunProcess p;
        ASSERT_TRUE(p.start({"serve", "--demo", "--listen", "127.0.0.1:0", "--db", db, "--config",
                             dir.file("t.toml")},
                            dir.path()))
            << p.output();
        HttpClient c("127.0.0.1", p.port());
        auto home = c.get("/");
        std::smatch m;
        ASSERT_TRUE(std::regex_search(home->body, m, std::regex(R"(href="/article/(\d+)/)")));
        url = "/api/v1/articles/" + m[1].str() + "/reactions";
        for (int i = 0; i < 40; ++i) {
            HttpClient voter("127.0.0.1", p.port());  // a new reader each time (no cookie)
            auto r = voter.request("POST", url, {{"Content-Type", "application/json"}},
                                   R"({"kind":"want_more","on":true})");
            ASSERT_TRUE(r);
            ASSERT_EQ(r->status, 200);
            acknowledged.push_back(
                r->header("Set-Cookie").substr(0, r->header("Set-Cookie").find(';')));
        }
        p.signal(SIGKILL);
        p.wait_exit(10000);
    }
    SinmunProcess again;
    ASSERT_TRUE(again.start({"serve", "--demo", "--listen", "127.0.0.1:0", "--db", db}, dir.path()))
        << again.output();
    HttpClient c("127.0.0.1", again.port());
    for (const auto& rid : acknowledged) {
        auto r = c.get(url, {{"Cookie", rid}});
        ASSERT_TRUE(r);
        EXPECT_TRUE(contains(r->body, "\"mine\":[\"want_more\"]"))
            << rid << " lost its acknowledged vote";
    }
}

TEST(Process, AClientHammeringVotesIsRateLimited) {
    TempDir dir;
    std::ofstream(dir.file("t.toml")) << "[reactions]\nrate_per_second = 1\nburst = 3\n";
    SinmunProcess p;
    ASSERT_TRUE(p.start({"serve", "--demo", "--listen", "127.0.0.1:0", "--db", dir.file("d.db"),
                         "--config", dir.file("t.toml")},
                        dir.path()))
        << p.output();
    HttpClient c("127.0.0.1", p.port());
    auto home = c.get("/");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(home->body, m, std::regex(R"(href="/article/(\d+)/)")));
    const std::string url = "/api/v1/articles/" + m[1].str() + "/reactions";
    int ok = 0, limited = 0;
    std::string retry_after;
    for (int i = 0; i < 10; ++i) {
        auto r = c.request("POST", url, {{"Content-Type", "application/json"}},
                           R"({"kind":"like","on":true})");
        ASSERT_TRUE(r);
        if (r->status == 200) ++ok;
        if (r->status == 429) {
            ++limited;
            retry_after = r->header("Retry-After");
            EXPECT_TRUE(contains(r->body, "\"rate_limited\"")) << r->body;
        }
    }
    EXPECT_GE(ok, 3);
    EXPECT_GE(limited, 5);
    EXPECT_FALSE(retry_after.empty());
}
