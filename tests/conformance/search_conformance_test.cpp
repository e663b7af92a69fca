// The SearchStore conformance suite: what every back end's search must do, written only against
// store::Database. Instantiated for each back end in all_backends().
#include <gtest/gtest.h>

#include <algorithm>

#include "backend.hpp"

namespace sinmun::store::conformance {
namespace {

using news::Article;
using news::ArticleStatus;

constexpr std::int64_t kBase = 1'700'000'000'000;  // 2023-11-14, unix ms

news::Revision rev(const std::string& action, ArticleStatus status, std::int64_t at) {
    news::Revision r;
    r.at = at;
    r.actor = "desk@sinmun.example";
    r.action = action;
    r.status = status;
    return r;
}

class SearchConformance : public ::testing::TestWithParam<BackendFactory> {
protected:
    void SetUp() override {
        backend_ = GetParam().make();
        auto db = backend_->open();
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        politics_ = db_->articles().save_section({0, "politics", "정치", 1}).value();
        culture_ = db_->articles().save_section({0, "culture", "문화", 2}).value();
    }

    ArticleStore& articles() { return db_->articles(); }

    std::int64_t save(std::int64_t section, const std::string& headline, const std::string& body,
                      int minutes, ArticleStatus status = ArticleStatus::published) {
        Article a;
        a.section_id = section;
        a.headline = headline;
        a.body_md = body;
        a.status = status;
        a.created_at = kBase + minutes * 60'000LL;
        if (status == ArticleStatus::published) a.published_at = a.updated_at = a.created_at;
        auto id = articles().save_article(a);
        EXPECT_TRUE(id) << id.error().message;
        return id ? *id : 0;
    }

    Result<SearchResults> search(std::string_view q, SearchSort sort = SearchSort::relevance,
                                 std::optional<std::int64_t> section = {}, int limit = 10,
                                 int offset = 0) {
        auto parsed = text::parse_search_query(q);
        EXPECT_TRUE(parsed) << q;
        if (!parsed) return parsed.error();
        SearchRequest r;
        r.query = std::move(*parsed);
        r.section_id = section;
        r.sort = sort;
        r.limit = limit;
        r.offset = offset;
        return db_->search().search(r);
    }
    std::vector<std::int64_t> ids(std::string_view q, SearchSort sort = SearchSort::relevance,
                                  std::optional<std::int64_t> section = {}) {
        auto r = search(q, sort, section);
        EXPECT_TRUE(r) << r.error().message;
        std::vector<std::int64_t> out;
        if (r)
            for (const auto& h : r->hits) out.push_back(h.article.id);
        return out;
    }

    std::unique_ptr<Backend> backend_;
    std::unique_ptr<Database> db_;
    std::int64_t politics_ = 0;
    std::int64_t culture_ = 0;
};

using Ids = std::vector<std::int64_t>;

TEST_P(SearchConformance, TwoSyllableWordFindsItWithParticles) {
    const auto a = save(politics_, "세종시는 행정수도로", "세종시와 정부가 협약을 맺었다.", 1);
    const auto b = save(politics_, "부산 엑스포", "부산시는 유치에 나섰다.", 2);
    EXPECT_EQ(ids("세종"), Ids{a});
    EXPECT_EQ(ids("협약"), Ids{a});
    EXPECT_EQ(ids("부산"), Ids{b});
    EXPECT_TRUE(ids("대구").empty());
    EXPECT_EQ(ids("세종 협약"), Ids{a});  // AND
    EXPECT_TRUE(ids("세종 부산").empty());
}

TEST_P(SearchConformance, OnlyPublishedArticlesAreFoundAndEditsReindex) {
    const auto id = save(politics_, "초안 속 반도체 전략", "반도체 본문", 1, ArticleStatus::draft);
    EXPECT_TRUE(ids("반도체").empty());
    auto a = articles().article(id).value();
    a.status = ArticleStatus::published;
    a.published_at = a.updated_at = kBase + 60'000;
    ASSERT_TRUE(articles().save_article(a));
    EXPECT_EQ(ids("반도체"), Ids{id});
    a = articles().article(id).value();
    a.headline = "배터리 전략";
    a.body_md = "배터리 본문";
    ASSERT_TRUE(articles().save_article(a));
    EXPECT_TRUE(ids("반도체").empty());
    EXPECT_EQ(ids("배터리"), Ids{id});
    // Views and pins never change what is found.
    const std::pair<std::int64_t, std::int64_t> views{id, 5};
    ASSERT_TRUE(articles().add_views(std::span(&views, 1)));
    EXPECT_EQ(ids("배터리"), Ids{id});
    a = articles().article(id).value();
    a.status = ArticleStatus::unpublished;
    ASSERT_TRUE(articles().save_article(a));
    EXPECT_TRUE(ids("배터리").empty());
}

TEST_P(SearchConformance, RevisionsScheduledPublishAndImportsAreIndexed) {
    Article a;
    a.section_id = politics_;
    a.headline = "예약된 선거구 개편";
    a.status = ArticleStatus::scheduled;
    a.scheduled_at = kBase + 1000;
    const auto sched =
        articles().save_article_revision(a, 0, rev("schedule", ArticleStatus::scheduled, kBase));
    ASSERT_TRUE(sched) << sched.error().message;
    EXPECT_TRUE(ids("선거구").empty());
    ASSERT_EQ(articles().publish_due(kBase + 2000, "system").value(), Ids{sched->id});
    EXPECT_EQ(ids("선거구"), Ids{sched->id});

    Article edited = articles().article(sched->id).value();
    edited.headline = "개편된 지역구";
    auto saved = articles().save_article_revision(edited, edited.version,
                                                  rev("edit", ArticleStatus::published, kBase + 3));
    ASSERT_TRUE(saved) << saved.error().message;
    EXPECT_TRUE(ids("선거구").empty());
    EXPECT_EQ(ids("지역구"), Ids{sched->id});

    std::vector<ImportItem> items(2);
    for (auto& item : items) {
        item.article.section_id = culture_;
        item.article.headline = "통신사 전재 기사";
        item.article.body_md = "국립중앙박물관 특별전";
        item.revision = rev("import", ArticleStatus::published, kBase);
    }
    items[0].article.status = ArticleStatus::published;
    items[0].article.published_at = kBase;
    items[1].article.status = ArticleStatus::draft;
    auto imported = articles().import_articles(items).value();
    ASSERT_TRUE(imported.at(0));
    EXPECT_EQ(ids("박물관"), Ids{*imported[0]});
}

TEST_P(SearchConformance, HeadlineOutweighsBodyAndTiesGoToTheNewest) {
    const std::string filler = " 오늘 여러 소식이 이어졌다. 시민들의 반응도 다양했다.";
    const auto body_hit = save(politics_, "여러 소식", "기후 관련 소식이다." + filler, 1);
    const auto head_hit = save(politics_, "기후 소식", "관련 소식이다." + filler, 2);
    EXPECT_EQ(ids("기후"), (Ids{head_hit, body_hit}));
    // Same text: equal scores, newest first.
    const auto old_twin = save(culture_, "쌍둥이 기사", "같은 내용", 3);
    const auto new_twin = save(culture_, "쌍둥이 기사", "같은 내용", 4);
    EXPECT_EQ(ids("쌍둥이"), (Ids{new_twin, old_twin}));
}

TEST_P(SearchConformance, NewestSortSectionFilterPaginationAndTotal) {
    std::vector<std::int64_t> made;
    for (int i = 0; i < 7; ++i)
        made.push_back(save(i % 2 ? culture_ : politics_, "축제 소식 " + std::to_string(i),
                            "지역 축제가 열렸다.", 10 + i));
    auto all = search("축제", SearchSort::newest, {}, 3, 0);
    ASSERT_TRUE(all) << all.error().message;
    EXPECT_EQ(all->total, 7);
    ASSERT_EQ(all->hits.size(), 3u);
    EXPECT_EQ(all->hits[0].article.id, made[6]);
    EXPECT_EQ(all->hits[2].article.id, made[4]);
    auto last = search("축제", SearchSort::newest, {}, 3, 6);
    ASSERT_TRUE(last);
    ASSERT_EQ(last->hits.size(), 1u);
    EXPECT_EQ(last->hits[0].article.id, made[0]);
    auto beyond = search("축제", SearchSort::newest, {}, 3, 30);
    ASSERT_TRUE(beyond);
    EXPECT_EQ(beyond->total, 7);
    EXPECT_TRUE(beyond->hits.empty());
    EXPECT_EQ(ids("축제", SearchSort::newest, culture_), (Ids{made[5], made[3], made[1]}));
    auto counted = search("축제", SearchSort::relevance, politics_);
    ASSERT_TRUE(counted);
    EXPECT_EQ(counted->total, 4);
}

TEST_P(SearchConformance, PhrasesNeedConsecutiveTokens) {
    const auto together = save(politics_, "행정 수도 이전", "논의가 시작됐다.", 1);
    const auto apart = save(politics_, "수도권 행정 개편", "수도 문제도 있다.", 2);
    EXPECT_EQ(ids("\"행정 수도\""), Ids{together});
    auto both = ids("행정 수도");
    std::sort(both.begin(), both.end());
    EXPECT_EQ(both, (Ids{together, apart}));
}

TEST_P(SearchConformance, MixedScriptsDigitsAndLatin) {
    const auto kpop = save(culture_, "K-팝 공연 열려", "K팝스타들이 무대에 올랐다.", 1);
    const auto mice = save(culture_, "부산, MICE 도시로", "2024년에 국제회의 12건을 유치했다.", 2);
    EXPECT_EQ(ids("K-팝"), Ids{kpop});
    EXPECT_EQ(ids("k팝"), Ids{kpop});
    EXPECT_EQ(ids("mice"), Ids{mice});
    EXPECT_EQ(ids("2024년"), Ids{mice});
    EXPECT_EQ(ids("2024"), Ids{mice});
    EXPECT_TRUE(ids("2023년").empty());
}

TEST_P(SearchConformance, SnippetsHighlightOriginalTextEscaped) {
    const auto id = save(politics_, "세종시 <특구> 지정",
                         "## 배경\n\n정부는 **세종시와** 협약했다 & 말했다. <script>x</script>", 1);
    auto r = search("세종 협약");
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->hits.size(), 1u);
    const auto& h = r->hits[0];
    EXPECT_EQ(h.article.id, id);
    EXPECT_EQ(h.article.headline, "세종시 <특구> 지정");
    EXPECT_EQ(h.headline_html, "<mark>세종</mark>시 &lt;특구&gt; 지정");
    EXPECT_NE(h.snippet_html.find("<mark>세종</mark>시와 <mark>협약</mark>했다 &amp; 말했다"),
              std::string::npos)
        << h.snippet_html;
    EXPECT_EQ(h.snippet_html.find("<script>"), std::string::npos);
    EXPECT_EQ(h.snippet_html.find("**"), std::string::npos);
}

TEST_P(SearchConformance, QueryOperatorsAreJustText) {
    save(politics_, "서울 NEAR 부산", "OR AND NOT 그리고", 1);
    for (std::string_view q : {"서울 OR", "NEAR(서울", "\"서울", "서울*", "^서울", "headline:서울",
                               "-서울", "서울 AND NOT", "{서울}"}) {
        auto r = search(q);
        EXPECT_TRUE(r) << q << ": " << r.error().message;
    }
    EXPECT_EQ(search("서울 OR")->total, 1);  // "or" is a word of the text
    EXPECT_EQ(search("부산 NOT")->total, 1);
}

TEST_P(SearchConformance, RefusesLimitsOutOfRange) {
    SearchRequest r;
    r.query = text::parse_search_query("서울").value();
    r.limit = 0;
    auto bad = db_->search().search(r);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::invalid_input);
    r.limit = 10;
    r.offset = -1;
    EXPECT_FALSE(db_->search().search(r));
    r.offset = 0;
    r.query.terms.clear();
    EXPECT_FALSE(db_->search().search(r));
}

TEST_P(SearchConformance, RebuildIndexReportsProgressAndKeepsResults) {
    std::vector<std::int64_t> made;
    for (int i = 0; i < 5; ++i) made.push_back(save(politics_, "재색인 기사", "본문", i));
    save(politics_, "재색인 초안", "본문", 9, ArticleStatus::draft);
    std::int64_t last_done = -1, last_total = -1;
    auto n = db_->search().rebuild_index([&](std::int64_t done, std::int64_t total) {
        last_done = done;
        last_total = total;
    });
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, 5);
    EXPECT_EQ(last_done, 5);
    EXPECT_EQ(last_total, 5);
    auto found = ids("재색인", SearchSort::newest);
    std::reverse(made.begin(), made.end());
    EXPECT_EQ(found, made);
}

TEST_P(SearchConformance, IndexSurvivesReopening) {
    const auto id = save(politics_, "영속성 확인", "다시 열어도 찾는다", 1);
    db_.reset();
    auto db = backend_->open();
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    EXPECT_EQ(ids("영속"), Ids{id});
}

INSTANTIATE_TEST_SUITE_P(Backends, SearchConformance, ::testing::ValuesIn(all_backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sinmun::store::conformance
