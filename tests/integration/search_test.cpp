// Search through the real binary (issue 5): the demo site on 127.0.0.1:0 with a temp SQLite
// file; /search pages and /api/v1/search JSON over real sockets, bad input answered with Korean
// 400s (never a 500), and `sinmun reindex` on the same database.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <fstream>
#include <regex>

#include "http_client.hpp"
#include "sinmun_process.hpp"

using namespace sinmun::testing;
namespace json = boost::json;

namespace {

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

class Search : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        proc_ = new SinmunProcess();
        ASSERT_TRUE(proc_->start(
            {"serve", "--demo", "--listen", "127.0.0.1:0", "--db", dir_->file("demo.db")},
            dir_->path()))
            << proc_->output();
    }
    static void TearDownTestSuite() {
        delete proc_;
        delete dir_;
    }
    HttpClient client() const { return HttpClient("127.0.0.1", proc_->port()); }

    json::value api(const std::string& query, int expect_status = 200) {
        auto c = client();
        auto r = c.get("/api/v1/search?" + query);
        EXPECT_TRUE(r);
        if (!r) return {};
        EXPECT_EQ(r->status, expect_status) << query << ": " << r->body;
        EXPECT_TRUE(contains(r->header("Content-Type"), "application/json")) << query;
        boost::system::error_code ec;
        auto v = json::parse(r->body, ec);
        EXPECT_FALSE(ec) << r->body;
        return v;
    }

    static TempDir* dir_;
    static SinmunProcess* proc_;
};
TempDir* Search::dir_ = nullptr;
SinmunProcess* Search::proc_ = nullptr;

TEST_F(Search, PageShowsCountHighlightsAndNoindex) {
    auto c = client();
    auto r = c.get("/search?q=" + form_encode("세종"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    const auto& b = r->body;
    EXPECT_TRUE(contains(b, R"(<meta name="robots" content="noindex">)"));
    EXPECT_TRUE(std::regex_search(b, std::regex("검색결과 <strong>[1-9][0-9]*</strong>건")));
    EXPECT_TRUE(contains(b, "<mark>세종</mark>"));
    EXPECT_TRUE(contains(b, R"(<a href="/article/)"));
    EXPECT_TRUE(contains(b, "입력 20"));          // 입력 time in KST
    EXPECT_TRUE(contains(b, R"(value="세종")"));  // the query shown back in the box
    EXPECT_TRUE(contains(b, "정확도순"));
    EXPECT_TRUE(contains(b, "최신순"));
    EXPECT_FALSE(contains(b, "<link rel=\"canonical\""));
}

TEST_F(Search, EveryPageHasAMastheadSearchBoxThatWorksWithoutJavaScript) {
    auto c = client();
    auto r = c.get("/");
    ASSERT_TRUE(r);
    EXPECT_TRUE(
        contains(r->body, R"(<form class="masthead-search" action="/search" method="get")"));
    EXPECT_TRUE(contains(r->body, R"(name="q")"));
}

TEST_F(Search, ApiAnswersTheAgreedShape) {
    auto v = api("q=" + form_encode("세종"));
    ASSERT_TRUE(v.is_object());
    const auto& o = v.as_object();
    ASSERT_EQ(o.size(), 2u);
    const auto total = o.at("total").as_int64();
    const auto& results = o.at("results").as_array();
    EXPECT_GE(total, 3);  // the demo has several 세종 stories (세종시는, 세종서, 세종의사당 …)
    ASSERT_FALSE(results.empty());
    for (const auto& item : results) {
        const auto& it = item.as_object();
        EXPECT_EQ(it.size(), 5u);
        EXPECT_TRUE(it.at("id").is_int64());
        EXPECT_FALSE(it.at("title").as_string().empty());
        EXPECT_TRUE(std::string(it.at("url").as_string())
                        .starts_with("/article/" + std::to_string(it.at("id").as_int64()) + "/"));
        EXPECT_TRUE(std::regex_match(std::string(it.at("published_at").as_string()),
                                     std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00)")));
        EXPECT_TRUE(contains(std::string(it.at("snippet").as_string()), "<mark>") ||
                    contains(std::string(it.at("title").as_string()), "세종"));
    }
}

TEST_F(Search, ApiSectionFilterNewestOrderAndPagination) {
    auto all = api("q=" + form_encode("서울") + "&sort=newest");
    const auto total = all.at("total").as_int64();
    ASSERT_GT(total, 10) << "the demo mentions 서울 in many stories";
    const auto& first = all.at("results").as_array();
    ASSERT_EQ(first.size(), 10u);
    for (std::size_t i = 1; i < first.size(); ++i)
        EXPECT_GE(first[i - 1].at("published_at").as_string(),
                  first[i].at("published_at").as_string());
    auto second = api("q=" + form_encode("서울") + "&sort=newest&page=2");
    EXPECT_EQ(second.at("total").as_int64(), total);
    ASSERT_FALSE(second.at("results").as_array().empty());
    EXPECT_NE(second.at("results").as_array()[0].at("id"), first[0].at("id"));

    auto econ = api("q=" + form_encode("서울") + "&section=economy");
    EXPECT_LT(econ.at("total").as_int64(), total);
    EXPECT_GT(econ.at("total").as_int64(), 0);
}

TEST_F(Search, PaginationLinksKeepQuerySectionAndSort) {
    auto c = client();
    auto r = c.get("/search?q=" + form_encode("서울") + "&sort=newest");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    EXPECT_TRUE(contains(r->body, "/search?q=%EC%84%9C%EC%9A%B8&amp;sort=newest&amp;page=2"))
        << "the next-page link keeps q and sort";
}

TEST_F(Search, NoResultsPageSuggestsWhatToDo) {
    auto c = client();
    auto r = c.get("/search?q=" + form_encode("우주정거장 도킹") + "&section=politics");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(contains(r->body, "검색결과가 없습니다"));
    EXPECT_TRUE(contains(r->body, "철자"));
    EXPECT_TRUE(contains(r->body, "전체 섹션에서 다시 찾기"));
    EXPECT_TRUE(contains(r->body, R"(href="/section/economy")"));
    auto v = api("q=" + form_encode("우주정거장 도킹"));
    EXPECT_EQ(v.at("total").as_int64(), 0);
    EXPECT_TRUE(v.at("results").as_array().empty());
}

TEST_F(Search, BadInputIsA400WithAKoreanMessageNeverA500) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "검색어를 입력해 주세요"},
        {"q=", "검색어를 입력해 주세요"},
        {"q=%20%20", "검색어를 입력해 주세요"},
        {"q=" + form_encode("!!! ★ ..."), "검색할 수 있는 글자가 없습니다"},
        {"q=%FF%FE", "올바르지 않은 문자"},
        {"q=" + std::string(101, 'a'), "100자"},
        {"q=a+b+c+d+e+f+g+h+i", "8개"},
        {"q=" + form_encode("세종") + "&sort=popular", "정렬 방식"},
        {"q=" + form_encode("세종") + "&section=nope", "없는 섹션"},
        {"q=" + form_encode("세종") + "&page=0", "페이지 번호"},
        {"q=" + form_encode("세종") + "&page=abc", "페이지 번호"},
        {"q=" + form_encode("세종") + "&page=101", "100쪽"},
        {"q=" + form_encode("세종") + "&page=99", "페이지 범위"},
    };
    for (const auto& [query, message] : cases) {
        auto v = api(query, 400);
        ASSERT_TRUE(v.is_object()) << query;
        EXPECT_TRUE(contains(std::string(v.at("error").at("message").as_string()), message))
            << query << " → " << json::serialize(v);
        auto c = client();
        auto page = c.get("/search?" + query);
        ASSERT_TRUE(page) << query;
        if (query.empty()) {
            EXPECT_EQ(page->status, 200) << "the bare search page is a prompt";
            continue;
        }
        EXPECT_EQ(page->status, 400) << query;
        EXPECT_TRUE(contains(page->body, message)) << query;
        EXPECT_TRUE(contains(page->body, R"(<form class="search-form")")) << query;
    }
}

TEST_F(Search, FullTextSyntaxInQueriesIsJustText) {
    for (std::string q : {"서울 OR", "NEAR(서울", "\"서울", "서울*", "^서울", "headline:서울",
                          "-서울", "{서울}", "서울 AND NOT 부산", "'; DROP TABLE articles; --"}) {
        auto c = client();
        auto r = c.get("/api/v1/search?q=" + form_encode(q));
        ASSERT_TRUE(r) << q;
        EXPECT_TRUE(r->status == 200 || r->status == 400) << q << " → " << r->status;
    }
    auto health = client().get("/healthz");
    ASSERT_TRUE(health);
    EXPECT_EQ(health->status, 200);
}

TEST_F(Search, ReindexRebuildsTheIndexWithAProgressBar) {
    auto r = run_sinmun({"reindex", "--db", dir_->file("demo.db")}, {}, dir_->path(), 120000);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::regex_search(r.out, std::regex("reindexed [1-9][0-9]* published articles")))
        << r.out;
    EXPECT_TRUE(contains(r.err, "색인")) << r.err;
    EXPECT_TRUE(contains(r.err, "(100%)")) << r.err;
    // Still found afterwards.
    EXPECT_GE(api("q=" + form_encode("세종")).at("total").as_int64(), 3);

    auto missing = run_sinmun({"reindex", "--db", dir_->file("nope.db")}, {}, dir_->path());
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_TRUE(contains(missing.err, "nope.db")) << missing.err;
}

}  // namespace
