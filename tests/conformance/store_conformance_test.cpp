// The store conformance suite: behaviour every back end must show, written only against the
// store::Database interface. Instantiated for each back end listed in all_backends().
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "backend.hpp"

namespace sinmun::store::conformance {
namespace {

using news::Article;
using news::ArticleStatus;
using news::Author;
using news::Photo;
using news::Section;
using reactions::ReactionKind;
using reactions::Vote;

constexpr std::int64_t kBase = 1'700'000'000'000;  // 2023-11-14, unix ms

class StoreConformance : public ::testing::TestWithParam<BackendFactory> {
protected:
    void SetUp() override {
        backend_ = GetParam().make();
        auto db = backend_->open();
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
    }

    ArticleStore& articles() { return db_->articles(); }
    ReactionStore& votes() { return db_->reactions(); }

    std::int64_t section(const std::string& slug, const std::string& name, int position = 0) {
        auto id = articles().save_section({0, slug, name, position});
        EXPECT_TRUE(id) << id.error().message;
        return id ? *id : 0;
    }
    Author author(const std::string& name) {
        Author a{0, name, name + "@sinmun.example"};
        auto id = articles().save_author(a);
        EXPECT_TRUE(id) << id.error().message;
        a.id = id ? *id : 0;
        return a;
    }
    // A published article at kBase + minutes; returns its id.
    std::int64_t publish(std::int64_t section_id, const std::string& headline, int minutes,
                         std::vector<Author> authors = {}, std::optional<int> pin = {}) {
        Article a;
        a.section_id = section_id;
        a.headline = headline;
        a.body_md = headline + " 본문입니다.";
        a.status = ArticleStatus::published;
        a.created_at = kBase + minutes * 60'000LL - 1000;
        a.published_at = kBase + minutes * 60'000LL;
        a.updated_at = a.published_at;
        a.authors = std::move(authors);
        a.pin_rank = pin;
        auto id = articles().save_article(a);
        EXPECT_TRUE(id) << id.error().message;
        return id ? *id : 0;
    }
    Status vote(std::int64_t article, const std::string& reader, ReactionKind kind,
                bool on = true) {
        const Vote v{article, reader, kind, on};
        auto r = votes().apply(std::span<const Vote>(&v, 1));
        if (!r) return r.error();
        if (!r->at(0)) return r->at(0).error();
        return ok();
    }

    std::unique_ptr<Backend> backend_;
    std::unique_ptr<Database> db_;
};

// ---------------------------------------------------------------------------------------------
// Sections and authors

TEST_P(StoreConformance, SectionsRoundTripInNavigationOrder) {
    const auto econ = section("economy", "경제", 2);
    const auto pol = section("politics", "정치", 1);
    const auto soc = section("society", "사회", 3);
    auto all = articles().sections();
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].id, pol);
    EXPECT_EQ((*all)[0].slug, "politics");
    EXPECT_EQ((*all)[0].name, "정치");
    EXPECT_EQ((*all)[0].position, 1);
    EXPECT_EQ((*all)[1].id, econ);
    EXPECT_EQ((*all)[2].id, soc);
}

TEST_P(StoreConformance, SavingASectionBySlugUpdatesIt) {
    const auto id = section("politics", "정치", 1);
    const auto again = section("politics", "정치·외교", 5);
    EXPECT_EQ(again, id);
    auto all = articles().sections();
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].name, "정치·외교");
    EXPECT_EQ((*all)[0].position, 5);
}

TEST_P(StoreConformance, SectionUpdateByIdAndMissingId) {
    const auto id = section("it", "IT", 1);
    auto saved = articles().save_section({id, "tech", "IT·과학", 2});
    ASSERT_TRUE(saved) << saved.error().message;
    EXPECT_EQ(*saved, id);
    auto all = articles().sections();
    ASSERT_TRUE(all);
    EXPECT_EQ((*all)[0].slug, "tech");
    auto missing = articles().save_section({id + 1000, "x", "x", 0});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_P(StoreConformance, AuthorUpdateAndMissingAuthor) {
    auto a = author("김서연");
    a.email = "kim@sinmun.example";
    auto saved = articles().save_author(a);
    ASSERT_TRUE(saved);
    EXPECT_EQ(*saved, a.id);
    auto missing = articles().save_author({a.id + 1000, "없음", ""});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
}

// ---------------------------------------------------------------------------------------------
// Articles

TEST_P(StoreConformance, ArticleRoundTripsEveryField) {
    const auto sec = section("society", "사회");
    const auto kim = author("김서연");
    const auto lee = author("이준호");
    Article a;
    a.section_id = sec;
    a.headline = "서울시, 'AI 특구' 지정";
    a.subtitle = "강남·서초 일대 2027년까지";
    a.label = "단독";
    a.body_md = "![청사](photo:1)\n\n**서울시**가 [AI 특구](https://example.com)를 지정했다.";
    a.authors = {lee, kim};  // order matters and is not id order
    a.photos = {{0, "/media/1.jpg", 1200, 800, "서울시청 전경", "서울시청", "사진=신문 DB"},
                {0, "/media/2.jpg", 800, 600, "회의 모습", "회의", "사진=연합"}};
    a.status = ArticleStatus::published;
    a.created_at = kBase;
    a.published_at = kBase + 60'000;
    a.updated_at = kBase + 120'000;
    a.version = 77;  // ignored: a new article starts at version 1
    a.pin_rank = 2;
    auto id = articles().save_article(a);
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_GT(*id, 0);

    auto got = articles().article(*id);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->id, *id);
    EXPECT_EQ(got->section_id, sec);
    EXPECT_EQ(got->headline, a.headline);
    EXPECT_EQ(got->subtitle, a.subtitle);
    EXPECT_EQ(got->label, a.label);
    EXPECT_EQ(got->body_md, a.body_md);
    EXPECT_EQ(got->status, ArticleStatus::published);
    EXPECT_EQ(got->created_at, a.created_at);
    EXPECT_EQ(got->published_at, a.published_at);
    EXPECT_EQ(got->updated_at, a.updated_at);
    EXPECT_EQ(got->version, 1);
    EXPECT_EQ(got->views, 0);
    EXPECT_EQ(got->pin_rank, std::optional<int>(2));
    ASSERT_EQ(got->authors.size(), 2u);
    EXPECT_EQ(got->authors[0].id, lee.id);
    EXPECT_EQ(got->authors[0].name, "이준호");
    EXPECT_EQ(got->authors[1].id, kim.id);
    EXPECT_EQ(got->authors[1].email, "김서연@sinmun.example");
    ASSERT_EQ(got->photos.size(), 2u);
    EXPECT_GT(got->photos[0].id, 0);
    EXPECT_NE(got->photos[0].id, got->photos[1].id);
    EXPECT_EQ(got->photos[0].src, "/media/1.jpg");
    EXPECT_EQ(got->photos[0].width, 1200);
    EXPECT_EQ(got->photos[0].height, 800);
    EXPECT_EQ(got->photos[0].alt, "서울시청 전경");
    EXPECT_EQ(got->photos[0].caption, "서울시청");
    EXPECT_EQ(got->photos[0].credit, "사진=신문 DB");
    EXPECT_EQ(got->photos[1].src, "/media/2.jpg");
}

TEST_P(StoreConformance, EveryStatusRoundTrips) {
    const auto sec = section("s", "섹션");
    for (auto st : {ArticleStatus::draft, ArticleStatus::review, ArticleStatus::scheduled,
                    ArticleStatus::published, ArticleStatus::unpublished}) {
        Article a;
        a.section_id = sec;
        a.headline = news::to_string(st);
        a.status = st;
        auto id = articles().save_article(a);
        ASSERT_TRUE(id) << id.error().message;
        EXPECT_EQ(articles().article(*id)->status, st);
    }
}

TEST_P(StoreConformance, UpdateBumpsVersionReplacesAuthorsAndKeepsPhotoIds) {
    const auto sec = section("s", "섹션");
    const auto other_sec = section("t", "다른 섹션");
    const auto kim = author("김서연");
    const auto lee = author("이준호");
    const auto park = author("박민지");
    Article a;
    a.section_id = sec;
    a.headline = "처음 제목";
    a.authors = {kim, lee};
    a.photos = {{0, "/a.jpg", 1, 1, "", "A", ""},
                {0, "/b.jpg", 1, 1, "", "B", ""},
                {0, "/c.jpg", 1, 1, "", "C", ""}};
    const auto id = articles().save_article(a).value();
    ASSERT_TRUE(articles().add_views(std::vector<std::pair<std::int64_t, std::int64_t>>{{id, 5}}));

    auto v1 = articles().article(id).value();
    const auto photo_a = v1.photos[0].id, photo_b = v1.photos[1].id, photo_c = v1.photos[2].id;

    Article edit = v1;
    edit.section_id = other_sec;
    edit.headline = "고친 제목";
    edit.authors = {park, kim};
    edit.views = 0;  // ignored: views move only through add_views
    // Keep C (now first, caption changed), drop B, keep A, add a new one.
    Photo c = v1.photos[2];
    c.caption = "C2";
    edit.photos = {c, {0, "/d.jpg", 2, 2, "", "D", ""}, v1.photos[0]};
    auto saved = articles().save_article(edit);
    ASSERT_TRUE(saved) << saved.error().message;
    EXPECT_EQ(*saved, id);

    auto v2 = articles().article(id).value();
    EXPECT_EQ(v2.version, 2);
    EXPECT_EQ(v2.views, 5);
    EXPECT_EQ(v2.headline, "고친 제목");
    EXPECT_EQ(v2.section_id, other_sec);
    ASSERT_EQ(v2.authors.size(), 2u);
    EXPECT_EQ(v2.authors[0].id, park.id);
    EXPECT_EQ(v2.authors[1].id, kim.id);
    ASSERT_EQ(v2.photos.size(), 3u);
    EXPECT_EQ(v2.photos[0].id, photo_c);
    EXPECT_EQ(v2.photos[0].caption, "C2");
    EXPECT_NE(v2.photos[1].id, 0);
    EXPECT_NE(v2.photos[1].id, photo_b);
    EXPECT_EQ(v2.photos[1].src, "/d.jpg");
    EXPECT_EQ(v2.photos[2].id, photo_a);

    ASSERT_TRUE(articles().save_article(v2));
    EXPECT_EQ(articles().article(id)->version, 3);
}

TEST_P(StoreConformance, UpdatingAMissingArticleIsNotFound) {
    const auto sec = section("s", "섹션");
    Article a;
    a.id = 4242;
    a.section_id = sec;
    a.headline = "없는 기사";
    auto r = articles().save_article(a);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::not_found);
    EXPECT_NE(r.error().message.find("4242"), std::string::npos);
}

TEST_P(StoreConformance, UnknownSectionOrAuthorIsInvalidInputAndSavesNothing) {
    const auto sec = section("s", "섹션");
    Article a;
    a.section_id = sec + 100;
    a.headline = "잘못된 섹션";
    a.status = ArticleStatus::published;
    auto r = articles().save_article(a);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_input);

    a.section_id = sec;
    a.authors = {Author{9999, "유령", ""}};
    r = articles().save_article(a);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_input);
    EXPECT_NE(r.error().message.find("9999"), std::string::npos);
    EXPECT_EQ(articles().count_published(std::nullopt).value(), 0);
}

TEST_P(StoreConformance, MissingArticleIsNotFound) {
    auto r = articles().article(31337);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::not_found);
}

TEST_P(StoreConformance, PublishedIsNewestFirstAndPagesTileTheList) {
    const auto pol = section("politics", "정치");
    const auto eco = section("economy", "경제");
    std::vector<std::int64_t> expect;  // newest first
    for (int i = 0; i < 25; ++i)
        // Minutes repeat in pairs so ties are broken by id (newest id first).
        publish(i % 3 == 0 ? eco : pol, "기사 " + std::to_string(i), i / 2);
    Article draft;
    draft.section_id = pol;
    draft.headline = "초안";
    draft.published_at = kBase + 100 * 60'000LL;  // a draft never lists, whatever its date
    ASSERT_TRUE(articles().save_article(draft));

    auto all = articles().published({std::nullopt, 200, 0});
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 25u);
    for (std::size_t i = 1; i < all->size(); ++i) {
        const auto& prev = (*all)[i - 1];
        const auto& cur = (*all)[i];
        EXPECT_TRUE(prev.published_at > cur.published_at ||
                    (prev.published_at == cur.published_at && prev.id > cur.id))
            << i;
    }
    std::vector<std::int64_t> paged;
    for (int offset = 0; offset < 30; offset += 7) {
        auto page = articles().published({std::nullopt, 7, offset});
        ASSERT_TRUE(page);
        EXPECT_LE(page->size(), 7u);
        for (const auto& s : *page) paged.push_back(s.id);
    }
    ASSERT_EQ(paged.size(), 25u);
    for (std::size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i], (*all)[i].id);

    auto econ = articles().published({eco, 200, 0});
    ASSERT_TRUE(econ);
    EXPECT_EQ(econ->size(), 9u);
    for (const auto& s : *econ) EXPECT_EQ(s.section_id, eco);
    EXPECT_EQ(articles().count_published(std::nullopt).value(), 25);
    EXPECT_EQ(articles().count_published(eco).value(), 9);
    EXPECT_EQ(articles().count_published(pol).value(), 16);
    EXPECT_EQ(articles().count_published(pol + eco + 7).value(), 0);
}

TEST_P(StoreConformance, PublishedRejectsOutOfRangeLimits) {
    for (auto q : {ArticleQuery{std::nullopt, 0, 0}, ArticleQuery{std::nullopt, 201, 0},
                   ArticleQuery{std::nullopt, 10, -1}}) {
        auto r = articles().published(q);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::invalid_input);
    }
}

TEST_P(StoreConformance, SummaryCarriesExcerptLeadPhotoAuthorsAndReactions) {
    const auto sec = section("s", "섹션");
    const auto kim = author("김서연");
    const auto lee = author("이준호");
    Article a;
    a.section_id = sec;
    a.headline = "요약 테스트";
    a.body_md =
        "![사진](photo:1)\n\n## 소제목\n\n**첫** 문장은 [링크](http://x.example)를 포함한다.";
    a.authors = {lee, kim};
    a.photos = {{0, "/lead.jpg", 10, 20, "대체", "캡션", "출처"},
                {0, "/second.jpg", 1, 1, "", "", ""}};
    a.status = ArticleStatus::published;
    a.published_at = kBase;
    const auto id = articles().save_article(a).value();
    ASSERT_TRUE(vote(id, "reader-a", ReactionKind::like));
    ASSERT_TRUE(vote(id, "reader-b", ReactionKind::like));
    ASSERT_TRUE(vote(id, "reader-b", ReactionKind::sad));

    auto list = articles().published({std::nullopt, 10, 0});
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    const auto& s = list->front();
    EXPECT_EQ(s.id, id);
    EXPECT_EQ(s.headline, "요약 테스트");
    EXPECT_EQ(s.excerpt, "소제목 첫 문장은 링크를 포함한다.");
    ASSERT_TRUE(s.lead_photo);
    EXPECT_EQ(s.lead_photo->src, "/lead.jpg");
    EXPECT_EQ(s.lead_photo->caption, "캡션");
    EXPECT_EQ(s.lead_photo->width, 10);
    EXPECT_EQ(s.author_names, (std::vector<std::string>{"이준호", "김서연"}));
    EXPECT_EQ(s.reactions, 3);
    EXPECT_EQ(s.published_at, kBase);
}

TEST_P(StoreConformance, MainNewsCandidatesAreEveryPinPlusRecentOnes) {
    const auto sec = section("s", "섹션");
    const auto old_pinned = publish(sec, "오래된 고정 기사", 0, {}, 2);
    const auto top_pinned = publish(sec, "최상단 고정", 10, {}, 1);
    Article hidden;
    hidden.section_id = sec;
    hidden.headline = "고정됐지만 초안";
    hidden.pin_rank = 1;
    ASSERT_TRUE(articles().save_article(hidden));
    std::vector<std::int64_t> recent;
    for (int m = 100; m < 106; ++m) recent.push_back(publish(sec, "최근 " + std::to_string(m), m));
    publish(sec, "오래된 기사", 1);
    ASSERT_TRUE(articles().add_views(
        std::vector<std::pair<std::int64_t, std::int64_t>>{{recent.back(), 40}}));
    ASSERT_TRUE(vote(recent.back(), "r", ReactionKind::want_more));

    auto c = articles().main_news_candidates(kBase + 100 * 60'000LL, 4);
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_EQ(c->size(), 6u);
    EXPECT_EQ((*c)[0].id, top_pinned);
    EXPECT_EQ((*c)[0].pin_rank, std::optional<int>(1));
    EXPECT_EQ((*c)[1].id, old_pinned);
    // The newest four unpinned ones since the cut-off, newest first, with views and reactions.
    EXPECT_EQ((*c)[2].id, recent[5]);
    EXPECT_EQ((*c)[2].views, 40);
    EXPECT_EQ((*c)[2].reactions, 1);
    EXPECT_EQ((*c)[5].id, recent[2]);
    for (std::size_t i = 2; i < c->size(); ++i) EXPECT_FALSE((*c)[i].pin_rank);

    auto only_pins = articles().main_news_candidates(kBase + 1000 * 60'000LL, 10);
    ASSERT_TRUE(only_pins);
    EXPECT_EQ(only_pins->size(), 2u);
}

TEST_P(StoreConformance, AddViewsAccumulatesInOneCall) {
    const auto sec = section("s", "섹션");
    const auto a = publish(sec, "가", 1);
    const auto b = publish(sec, "나", 2);
    std::vector<std::pair<std::int64_t, std::int64_t>> views{{a, 3}, {b, 10}, {a, 4}};
    ASSERT_TRUE(articles().add_views(views));
    ASSERT_TRUE(articles().add_views(views));
    EXPECT_EQ(articles().article(a)->views, 14);
    EXPECT_EQ(articles().article(b)->views, 20);
    std::vector<std::pair<std::int64_t, std::int64_t>> bad{{a, -1}};
    auto r = articles().add_views(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::invalid_input);
    EXPECT_EQ(articles().article(a)->views, 14);
}

// ---------------------------------------------------------------------------------------------
// Reactions

TEST_P(StoreConformance, VotingOnTwiceCountsOnceAndOffUndoes) {
    const auto id = publish(section("s", "섹션"), "기사", 1);
    ASSERT_TRUE(vote(id, "reader1", ReactionKind::like));
    ASSERT_TRUE(vote(id, "reader1", ReactionKind::like));
    ASSERT_TRUE(vote(id, "reader1", ReactionKind::angry));
    ASSERT_TRUE(vote(id, "reader2", ReactionKind::like));
    auto s = votes().state(id, "reader1");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->counts[ReactionKind::like], 2);
    EXPECT_EQ(s->counts[ReactionKind::angry], 1);
    EXPECT_EQ(s->counts[ReactionKind::sad], 0);
    EXPECT_EQ(s->mine, (std::vector<ReactionKind>{ReactionKind::like, ReactionKind::angry}));

    ASSERT_TRUE(vote(id, "reader1", ReactionKind::like, false));
    ASSERT_TRUE(vote(id, "reader1", ReactionKind::like, false));  // off when not on: no-op
    ASSERT_TRUE(vote(id, "reader3", ReactionKind::sad, false));   // never voted: no-op
    s = votes().state(id, "reader1");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->counts[ReactionKind::like], 1);
    EXPECT_EQ(s->counts[ReactionKind::sad], 0);
    EXPECT_EQ(s->mine, (std::vector<ReactionKind>{ReactionKind::angry}));

    auto anonymous = votes().state(id, "");
    ASSERT_TRUE(anonymous);
    EXPECT_TRUE(anonymous->mine.empty());
    EXPECT_EQ(anonymous->counts.total(), 2);
}

TEST_P(StoreConformance, ApplyReturnsStateAfterTheWholeBatch) {
    const auto id = publish(section("s", "섹션"), "기사", 1);
    std::vector<Vote> batch{{id, "r1", ReactionKind::like, true},
                            {id, "r2", ReactionKind::like, true},
                            {id, "r1", ReactionKind::sad, true}};
    auto r = votes().apply(batch);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 3u);
    for (const auto& one : *r) {
        ASSERT_TRUE(one);
        EXPECT_EQ(one->counts[ReactionKind::like], 2);
        EXPECT_EQ(one->counts[ReactionKind::sad], 1);
    }
    EXPECT_EQ((*r)[0]->mine, (std::vector<ReactionKind>{ReactionKind::like, ReactionKind::sad}));
    EXPECT_EQ((*r)[1]->mine, (std::vector<ReactionKind>{ReactionKind::like}));
}

// Counts are written once per batch with its net change: on-then-off and off-then-on of one
// vote inside a batch, repeated votes and votes taken back must all come out right.
TEST_P(StoreConformance, OnesAndOffsInOneBatchNetOutInTheCounts) {
    const auto id = publish(section("s", "섹션"), "기사", 1);
    ASSERT_TRUE(vote(id, "old1", ReactionKind::sad));
    ASSERT_TRUE(vote(id, "old2", ReactionKind::sad));
    std::vector<Vote> batch{{id, "r1", ReactionKind::like, true},
                            {id, "r1", ReactionKind::like, false},  // on, then off: net 0
                            {id, "r2", ReactionKind::like, true},
                            {id, "r2", ReactionKind::like, true},     // twice: counts once
                            {id, "old1", ReactionKind::sad, false},   // taken back: -1
                            {id, "old1", ReactionKind::sad, true},    // and cast again: +1
                            {id, "old2", ReactionKind::sad, false},   // taken back for good
                            {id, "r3", ReactionKind::angry, false}};  // never cast: no-op
    auto r = votes().apply(batch);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), batch.size());
    for (const auto& one : *r) {
        ASSERT_TRUE(one) << one.error().message;
        EXPECT_EQ(one->counts[ReactionKind::like], 1);
        EXPECT_EQ(one->counts[ReactionKind::sad], 1);
        EXPECT_EQ(one->counts[ReactionKind::angry], 0);
    }
    EXPECT_TRUE((*r)[0]->mine.empty());
    EXPECT_EQ((*r)[2]->mine, (std::vector<ReactionKind>{ReactionKind::like}));
    EXPECT_EQ((*r)[4]->mine, (std::vector<ReactionKind>{ReactionKind::sad}));
    EXPECT_TRUE((*r)[6]->mine.empty());
    auto s = votes().state(id, "");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->counts[ReactionKind::like], 1);
    EXPECT_EQ(s->counts[ReactionKind::sad], 1);
    EXPECT_EQ(s->counts.total(), 2);
}

TEST_P(StoreConformance, VoteForMissingArticleFailsAloneWhileTheBatchCommits) {
    const auto id = publish(section("s", "섹션"), "기사", 1);
    std::vector<Vote> batch{{id, "r1", ReactionKind::like, true},
                            {id + 777, "r1", ReactionKind::like, true},
                            {id, "r2", ReactionKind::want_more, true}};
    auto r = votes().apply(batch);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 3u);
    EXPECT_TRUE((*r)[0]);
    ASSERT_FALSE((*r)[1]);
    EXPECT_EQ((*r)[1].error().code, Errc::not_found);
    EXPECT_TRUE((*r)[2]);
    auto s = votes().state(id, "r2");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->counts[ReactionKind::like], 1);
    EXPECT_EQ(s->counts[ReactionKind::want_more], 1);
    auto missing = votes().state(id + 777, "r1");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_P(StoreConformance, AThousandVotesInOneApply) {
    const auto sec = section("s", "섹션");
    const auto a = publish(sec, "가", 1);
    const auto b = publish(sec, "나", 2);
    std::vector<Vote> batch;
    for (int reader = 0; reader < 250; ++reader)
        for (auto kind : reactions::kAllKinds)
            batch.push_back({reader % 2 ? a : b, "reader-" + std::to_string(reader), kind, true});
    ASSERT_EQ(batch.size(), 1000u);
    auto r = votes().apply(batch);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->size(), 1000u);
    for (const auto& one : *r) ASSERT_TRUE(one);
    EXPECT_EQ(r->back()->mine.size(), 4u);
    for (auto id : {a, b}) {
        auto s = votes().state(id, "");
        ASSERT_TRUE(s);
        for (auto kind : reactions::kAllKinds) EXPECT_EQ(s->counts[kind], 125);
    }
    auto list = articles().published({std::nullopt, 10, 0});
    ASSERT_TRUE(list);
    for (const auto& s : *list) EXPECT_EQ(s.reactions, 500);
}

TEST_P(StoreConformance, ConcurrentReadersSeeCommittedStateWhileAWriterWrites) {
    const auto sec = section("s", "섹션");
    const auto id = publish(sec, "동시성", 0);
    constexpr int kWrites = 60;
    std::atomic<bool> done{false};
    std::atomic<int> read_errors{0}, reads{0};
    std::atomic<int> regressions{0};
    std::thread writer([&] {
        for (int i = 0; i < kWrites; ++i) {
            const Vote v{id, "w" + std::to_string(i), ReactionKind::like, true};
            auto r = votes().apply(std::span<const Vote>(&v, 1));
            if (!r || !r->at(0)) ADD_FAILURE() << "vote failed";
            if (i % 4 == 0) publish(sec, "추가 " + std::to_string(i), i + 1);
        }
        done = true;
    });
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t) {
        readers.emplace_back([&] {
            std::int64_t last_count = 0, last_published = 0;
            while (!done) {
                auto s = votes().state(id, "");
                auto list = articles().published({std::nullopt, 50, 0});
                auto n = articles().count_published(std::nullopt);
                if (!s || !list || !n) {
                    ++read_errors;
                    continue;
                }
                // Counts only grow: a reader never sees a half-applied or older state.
                if (s->counts[ReactionKind::like] < last_count || *n < last_published)
                    ++regressions;
                last_count = s->counts[ReactionKind::like];
                last_published = *n;
                ++reads;
            }
        });
    }
    writer.join();
    for (auto& r : readers) r.join();
    EXPECT_EQ(read_errors.load(), 0);
    EXPECT_EQ(regressions.load(), 0);
    EXPECT_GT(reads.load(), 0);
    EXPECT_EQ(votes().state(id, "")->counts[ReactionKind::like], kWrites);
}

// ---------------------------------------------------------------------------------------------
// Market and settings

TEST_P(StoreConformance, InstrumentsUpsertAndListInWidgetOrder) {
    using market::AssetClass;
    std::vector<market::Instrument> first{{"KRW-BTC", "비트코인", AssetClass::crypto, "UPBIT", 1},
                                          {"005930", "삼성전자", AssetClass::stock, "KOSPI", 3},
                                          {"KRW-ETH", "이더리움", AssetClass::crypto, "UPBIT", 2}};
    ASSERT_TRUE(db_->market().save_instruments(first));
    std::vector<market::Instrument> second{
        {"005930", "삼성전자보통주", AssetClass::stock, "KOSPI", 0}};
    ASSERT_TRUE(db_->market().save_instruments(second));
    auto all = db_->market().instruments();
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].code, "005930");
    EXPECT_EQ((*all)[0].name, "삼성전자보통주");
    EXPECT_EQ((*all)[0].asset, AssetClass::stock);
    EXPECT_EQ((*all)[0].market, "KOSPI");
    EXPECT_EQ((*all)[1].code, "KRW-BTC");
    EXPECT_EQ((*all)[1].asset, AssetClass::crypto);
    EXPECT_EQ((*all)[2].code, "KRW-ETH");
}

TEST_P(StoreConformance, QuotesKeepTheLatestPerCodeExactly) {
    market::Quote btc;
    btc.code = "KRW-BTC";
    btc.price = *Decimal::parse("131250000");
    btc.change_ppm = 21300;
    btc.tick = 1;
    btc.as_of_ms = kBase;
    market::Quote doge;
    doge.code = "KRW-DOGE";
    doge.price = *Decimal::parse("0.0213");
    doge.change_ppm = std::nullopt;  // 신규: no reference yet
    doge.tick = -1;
    market::Quote sam;
    sam.code = "005930";
    sam.price = Decimal::from_integer(71000);
    sam.change_ppm = -5000;
    sam.trade_value = 1'234'567'890'123;
    sam.limit_up = true;
    sam.halted = true;
    std::vector<market::Quote> batch{btc, doge, sam};
    ASSERT_TRUE(db_->market().save_quotes(batch));
    btc.price = *Decimal::parse("131300000.5");
    btc.as_of_ms = kBase + 1000;
    ASSERT_TRUE(db_->market().save_quotes(std::span<const market::Quote>(&btc, 1)));

    auto all = db_->market().quotes();
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 3u);
    auto find = [&](const std::string& code) {
        return *std::find_if(all->begin(), all->end(), [&](auto& q) { return q.code == code; });
    };
    EXPECT_EQ(find("KRW-BTC").price, *Decimal::parse("131300000.5"));
    EXPECT_EQ(find("KRW-BTC").as_of_ms, kBase + 1000);
    EXPECT_EQ(find("KRW-BTC").change_ppm, std::optional<std::int64_t>(21300));
    EXPECT_EQ(find("KRW-DOGE").price.units(), 213);
    EXPECT_FALSE(find("KRW-DOGE").change_ppm);
    EXPECT_EQ(find("KRW-DOGE").tick, -1);
    EXPECT_EQ(find("005930").trade_value, 1'234'567'890'123);
    EXPECT_TRUE(find("005930").limit_up);
    EXPECT_TRUE(find("005930").halted);
    EXPECT_EQ(find("005930").change_ppm, std::optional<std::int64_t>(-5000));
}

// The crypto feed's minute ring (market::RollingWindow persisted).
market::MinuteClose minute_close(const std::string& code, std::int64_t minute,
                                 std::string_view close, market::SlotState state) {
    return {code, minute, *Decimal::parse(close), minute * 60'000 + 17, state};
}

TEST_P(StoreConformance, MinutesRoundTripEveryFieldOrderedByCodeThenMinute) {
    using market::SlotState;
    constexpr std::int64_t m = kBase / 60'000;
    std::vector<market::MinuteClose> rows{
        minute_close("KRW-DOGE", m + 1, "0.0213", SlotState::traded),
        minute_close("KRW-BTC", m + 2, "131250000", SlotState::carried),
        minute_close("KRW-BTC", m, "131249999.9999", SlotState::traded),
        minute_close("KRW-DOGE", m, "0.0001", SlotState::backfilled),
        minute_close("KRW-BTC", m + 1, "92233720368547.7580", SlotState::backfilled),
    };
    ASSERT_TRUE(db_->market().save_minutes(rows, m - 1441));

    auto all = db_->market().minutes(m - 1441);
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 5u);
    const std::vector<std::pair<std::string, std::int64_t>> order{{"KRW-BTC", m},
                                                                  {"KRW-BTC", m + 1},
                                                                  {"KRW-BTC", m + 2},
                                                                  {"KRW-DOGE", m},
                                                                  {"KRW-DOGE", m + 1}};
    for (std::size_t i = 0; i < order.size(); ++i) {
        EXPECT_EQ((*all)[i].code, order[i].first) << i;
        EXPECT_EQ((*all)[i].minute, order[i].second) << i;
    }
    EXPECT_EQ((*all)[0].close, *Decimal::parse("131249999.9999"));
    EXPECT_EQ((*all)[0].close.units(), 1'312'499'999'999);
    EXPECT_EQ((*all)[0].last_ms, m * 60'000 + 17);
    EXPECT_EQ((*all)[0].state, SlotState::traded);
    EXPECT_EQ((*all)[1].close.units(), 922'337'203'685'477'580);
    EXPECT_EQ((*all)[1].state, SlotState::backfilled);
    EXPECT_EQ((*all)[2].state, SlotState::carried);
    EXPECT_EQ((*all)[3].close.units(), 1);
    EXPECT_EQ((*all)[4].close.units(), 213);

    auto since = db_->market().minutes(m + 1);
    ASSERT_TRUE(since);
    ASSERT_EQ(since->size(), 3u);
    EXPECT_EQ((*since)[0].minute, m + 1);
    EXPECT_EQ((*since)[2].code, "KRW-DOGE");
}

TEST_P(StoreConformance, SavingAMinuteAgainReplacesIt) {
    using market::SlotState;
    constexpr std::int64_t m = kBase / 60'000;
    auto first = minute_close("KRW-ETH", m, "4500000", SlotState::carried);
    ASSERT_TRUE(db_->market().save_minutes(std::span(&first, 1), m - 1441));
    auto second = minute_close("KRW-ETH", m, "4501000.5", SlotState::traded);
    second.last_ms = m * 60'000 + 59'999;
    ASSERT_TRUE(db_->market().save_minutes(std::span(&second, 1), m - 1441));

    auto all = db_->market().minutes(0);
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].close, *Decimal::parse("4501000.5"));
    EXPECT_EQ((*all)[0].last_ms, m * 60'000 + 59'999);
    EXPECT_EQ((*all)[0].state, SlotState::traded);
}

TEST_P(StoreConformance, SavingMinutesPrunesOlderRowsOfEveryCode) {
    using market::SlotState;
    constexpr std::int64_t m = kBase / 60'000;
    std::vector<market::MinuteClose> old{
        minute_close("KRW-BTC", m - 1, "100", SlotState::traded),
        minute_close("KRW-BTC", m, "101", SlotState::traded),
        minute_close("KRW-XRP", m - 5, "3000", SlotState::traded),
        minute_close("KRW-XRP", m + 1, "3001", SlotState::carried),
    };
    ASSERT_TRUE(db_->market().save_minutes(old, m - 1441));
    ASSERT_EQ(db_->market().minutes(0)->size(), 4u);

    // The next save keeps minutes ≥ m, including a row it saves itself below that (pruned too).
    std::vector<market::MinuteClose> next{
        minute_close("KRW-BTC", m + 1, "102", SlotState::traded),
        minute_close("KRW-BTC", m - 2, "99", SlotState::backfilled),
    };
    ASSERT_TRUE(db_->market().save_minutes(next, m));
    auto all = db_->market().minutes(0);
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].minute, m);
    EXPECT_EQ((*all)[1].minute, m + 1);
    EXPECT_EQ((*all)[1].close, Decimal::from_integer(102));
    EXPECT_EQ((*all)[2].code, "KRW-XRP");
    EXPECT_EQ((*all)[2].minute, m + 1);

    // Nothing to upsert still prunes.
    ASSERT_TRUE(db_->market().save_minutes({}, m + 1));
    EXPECT_EQ(db_->market().minutes(0)->size(), 2u);
}

TEST_P(StoreConformance, AnUnknownMinuteForgetsTheStoredCloseAndNamelessRowsAreRefused) {
    using market::SlotState;
    constexpr std::int64_t m = kBase / 60'000;
    std::vector<market::MinuteClose> rows{
        minute_close("KRW-BTC", m, "100", SlotState::traded),
        minute_close("KRW-BTC", m + 1, "101", SlotState::traded),
    };
    ASSERT_TRUE(db_->market().save_minutes(rows, m - 1441));
    // Minute m + 1 is no longer vouched for; m + 2 was never stored (forgetting it is harmless).
    std::vector<market::MinuteClose> forget{
        minute_close("KRW-BTC", m + 1, "0", SlotState::unknown),
        minute_close("KRW-BTC", m + 2, "0", SlotState::unknown),
    };
    ASSERT_TRUE(db_->market().save_minutes(forget, m - 1441));
    auto all = db_->market().minutes(0);
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].minute, m);
    EXPECT_EQ((*all)[0].state, SlotState::traded);

    std::vector<market::MinuteClose> nameless{
        minute_close("KRW-BTC", m + 3, "103", SlotState::traded),
        minute_close("", m + 4, "104", SlotState::traded),
    };
    auto st = db_->market().save_minutes(nameless, m - 1441);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, Errc::invalid_input);
    EXPECT_EQ(db_->market().minutes(0)->size(), 1u);  // nothing of the refused batch
}

TEST_P(StoreConformance, MinutesSurviveReopening) {
    using market::SlotState;
    constexpr std::int64_t m = kBase / 60'000;
    auto row = minute_close("KRW-SOL", m, "250000.25", SlotState::traded);
    ASSERT_TRUE(db_->market().save_minutes(std::span(&row, 1), m - 1441));
    db_.reset();
    auto reopened = backend_->open();
    ASSERT_TRUE(reopened) << reopened.error().message;
    db_ = std::move(*reopened);
    auto all = db_->market().minutes(m);
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].close, *Decimal::parse("250000.25"));
}

TEST_P(StoreConformance, SettingsGetSetAndOverwrite) {
    auto missing = db_->settings().get("nothing.here");
    ASSERT_TRUE(missing);
    EXPECT_FALSE(*missing);
    ASSERT_TRUE(db_->settings().set("ranking.half_life_hours", "6"));
    ASSERT_TRUE(db_->settings().set("ranking.half_life_hours", "8"));
    EXPECT_EQ(db_->settings().get("ranking.half_life_hours").value(),
              std::optional<std::string>("8"));
}

TEST_P(StoreConformance, SiteSettingsDefaultThenRoundTrip) {
    auto defaults = db_->settings().site_settings();
    ASSERT_TRUE(defaults);
    const news::SiteSettings fresh;
    EXPECT_EQ(defaults->site_name, fresh.site_name);
    EXPECT_EQ(defaults->youth_officer, fresh.youth_officer);
    EXPECT_FALSE(defaults->demo);

    ASSERT_TRUE(db_->settings().set("site.name", "한빛일보"));
    EXPECT_EQ(db_->settings().site_settings()->site_name, "한빛일보");
    EXPECT_EQ(db_->settings().site_settings()->tagline, fresh.tagline);

    news::SiteSettings s;
    s.site_name = "새벽신문";
    s.site_url = "https://news.example";
    s.tagline = "새벽을 여는 뉴스";
    s.company = "(주)새벽";
    s.registration_no = "서울 아12345";
    s.registration_date = "2024-05-06";
    s.publisher = "김발행";
    s.editor = "이편집";
    s.youth_officer = "박청소";
    s.address = "부산광역시 해운대구 1";
    s.phone = "051-123-4567";
    s.email = "desk@news.example";
    s.founded = "2024-06-01";
    s.copyright_holder = "새벽신문";
    s.demo = true;
    ASSERT_TRUE(db_->settings().save_site_settings(s));
    auto got = db_->settings().site_settings();
    ASSERT_TRUE(got);
    EXPECT_EQ(got->site_name, s.site_name);
    EXPECT_EQ(got->site_url, s.site_url);
    EXPECT_EQ(got->tagline, s.tagline);
    EXPECT_EQ(got->company, s.company);
    EXPECT_EQ(got->registration_no, s.registration_no);
    EXPECT_EQ(got->registration_date, s.registration_date);
    EXPECT_EQ(got->publisher, s.publisher);
    EXPECT_EQ(got->editor, s.editor);
    EXPECT_EQ(got->youth_officer, s.youth_officer);
    EXPECT_EQ(got->address, s.address);
    EXPECT_EQ(got->phone, s.phone);
    EXPECT_EQ(got->email, s.email);
    EXPECT_EQ(got->founded, s.founded);
    EXPECT_EQ(got->copyright_holder, s.copyright_holder);
    EXPECT_TRUE(got->demo);
    EXPECT_EQ(db_->settings().get("site.name").value(), std::optional<std::string>("새벽신문"));
}

// ---------------------------------------------------------------------------------------------
// Durability and files

TEST_P(StoreConformance, ReopeningKeepsEverythingAndRerunsNoMigration) {
    const auto sec = section("world", "국제");
    const auto kim = author("김서연");
    const auto id = publish(sec, "재개방 후에도 남는 기사", 3, {kim}, 1);
    ASSERT_TRUE(vote(id, "reader", ReactionKind::sad));
    ASSERT_TRUE(db_->settings().set("k", "값"));
    market::Quote q;
    q.code = "KRW-BTC";
    q.price = Decimal::from_integer(100);
    ASSERT_TRUE(db_->market().save_quotes(std::span<const market::Quote>(&q, 1)));
    const auto version = db_->schema_version().value();
    EXPECT_GE(version, 1);
    const auto before = articles().article(id).value();

    db_.reset();
    auto reopened = backend_->open();
    ASSERT_TRUE(reopened) << reopened.error().message;  // a re-run migration would fail here
    db_ = std::move(*reopened);
    EXPECT_EQ(db_->schema_version().value(), version);
    const auto after = articles().article(id).value();
    EXPECT_EQ(after.headline, before.headline);
    EXPECT_EQ(after.version, before.version);
    EXPECT_EQ(after.authors.size(), 1u);
    EXPECT_EQ(after.pin_rank, std::optional<int>(1));
    EXPECT_EQ(articles().sections()->size(), 1u);
    EXPECT_EQ(votes().state(id, "reader")->mine, (std::vector<ReactionKind>{ReactionKind::sad}));
    EXPECT_EQ(db_->settings().get("k").value(), std::optional<std::string>("값"));
    EXPECT_EQ(db_->market().quotes()->size(), 1u);
}

TEST_P(StoreConformance, ANonDatabaseIsRefusedWithAMessageNamingIt) {
    auto [result, name] = backend_->open_not_a_database();
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::unavailable);
    EXPECT_NE(result.error().message.find(name), std::string::npos) << result.error().message;
}

TEST_P(StoreConformance, HangulTextRoundTripsByteExact) {
    // NFC syllables, a decomposed (NFD) form stored as given, emoji, CJK, control-free symbols.
    const std::string nfc = "한국어 기사 — 「단독」 ₩1,000 😀 漢字";
    const std::string nfd = "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab";  // 한 as jamo
    const auto sec = articles().save_section({0, "culture", "문화·연예", 0}).value();
    const auto a = articles().save_author({0, "홍길동", "홍길동@예시.한국"}).value();
    Article art;
    art.section_id = sec;
    art.headline = nfc;
    art.subtitle = nfd;
    art.label = "[르포]";
    art.body_md = nfc + "\n\n" + nfd;
    art.authors = {Author{a, "", ""}};
    art.photos = {{0, "/media/사진.jpg", 1, 1, "대체 텍스트", "▲ 캡션", "사진=신문 DB"}};
    const auto id = articles().save_article(art).value();
    auto got = articles().article(id).value();
    EXPECT_EQ(got.headline, nfc);
    EXPECT_EQ(got.subtitle, nfd);
    EXPECT_EQ(got.label, "[르포]");
    EXPECT_EQ(got.body_md, art.body_md);
    EXPECT_EQ(got.authors.at(0).name, "홍길동");
    EXPECT_EQ(got.authors.at(0).email, "홍길동@예시.한국");
    EXPECT_EQ(got.photos.at(0).src, "/media/사진.jpg");
    EXPECT_EQ(got.photos.at(0).caption, "▲ 캡션");
    EXPECT_EQ(articles().sections()->at(0).name, "문화·연예");
    ASSERT_TRUE(db_->settings().set("site.name", nfd));
    EXPECT_EQ(db_->settings().site_settings()->site_name, nfd);
}

// ---------------------------------------------------------------------------------------------
// Newsroom (issue 3): revisions, corrections, scheduling, pins, dashboard, export range, imports

news::Revision rev_by(const std::string& action, ArticleStatus status, std::int64_t at) {
    news::Revision r;
    r.at = at;
    r.user_id = 7;
    r.actor = "desk@sinmun.example";
    r.action = action;
    r.status = status;
    return r;
}

TEST_P(StoreConformance, AuthorsListsEveryAuthorById) {
    const auto a = author("김서연");
    const auto b = author("이준호");
    auto all = articles().authors().value();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, a.id);
    EXPECT_EQ(all[1].name, "이준호");
    EXPECT_EQ(all[1].id, b.id);
}

TEST_P(StoreConformance, SaveArticleRevisionChecksVersionAndKeepsHistory) {
    const auto sec = section("politics", "정치");
    Article a;
    a.section_id = sec;
    a.headline = "첫 제목";
    a.body_md = "본문";
    auto v1 = articles().save_article_revision(a, 0, rev_by("create", ArticleStatus::draft, kBase));
    ASSERT_TRUE(v1) << v1.error().message;
    EXPECT_EQ(v1->version, 1);
    Article b = *v1;
    b.headline = "둘째 제목";
    auto v2 =
        articles().save_article_revision(b, 1, rev_by("edit", ArticleStatus::draft, kBase + 1));
    ASSERT_TRUE(v2) << v2.error().message;
    EXPECT_EQ(v2->version, 2);
    // A stale version changes nothing.
    b.headline = "늦은 제목";
    auto stale =
        articles().save_article_revision(b, 1, rev_by("edit", ArticleStatus::draft, kBase + 2));
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::conflict);
    EXPECT_EQ(articles().article(v1->id)->headline, "둘째 제목");
    Article missing = b;
    missing.id = 999999;
    EXPECT_EQ(articles().save_article_revision(missing, 1, {}).error().code, Errc::not_found);

    auto h = articles().revisions(v1->id).value();
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].number, 1);
    EXPECT_EQ(h[0].content.headline, "첫 제목");
    EXPECT_EQ(h[0].actor, "desk@sinmun.example");
    EXPECT_EQ(h[1].number, 2);
    EXPECT_EQ(h[1].content.headline, "둘째 제목");
    EXPECT_EQ(h[1].changed, std::vector<std::string>{"headline"});
    EXPECT_EQ(h[1].at, kBase + 1);
    EXPECT_GT(articles().revision_bytes(v1->id).value(), 0);
    EXPECT_EQ(articles().revisions(424242).error().code, Errc::not_found);
}

TEST_P(StoreConformance, CorrectionsRoundTripInOrder) {
    const auto sec = section("politics", "정치");
    Article a;
    a.section_id = sec;
    a.headline = "정정 기사";
    a.status = ArticleStatus::published;
    a.published_at = kBase;
    a.corrections = {{news::CorrectionType::correction, "숫자를 바로잡습니다.", kBase + 1},
                     {news::CorrectionType::rebuttal, "반론을 싣습니다.", kBase + 2}};
    const auto id = articles().save_article(a).value();
    auto got = articles().article(id).value();
    ASSERT_EQ(got.corrections.size(), 2u);
    EXPECT_EQ(got.corrections[0].type, news::CorrectionType::correction);
    EXPECT_EQ(got.corrections[0].text, "숫자를 바로잡습니다.");
    EXPECT_EQ(got.corrections[1].type, news::CorrectionType::rebuttal);
    EXPECT_EQ(got.corrections[1].at, kBase + 2);
}

TEST_P(StoreConformance, PublishDuePublishesScheduledOnceAndReportsNext) {
    const auto sec = section("politics", "정치");
    auto scheduled = [&](const std::string& h, std::int64_t at) {
        Article a;
        a.section_id = sec;
        a.headline = h;
        a.status = ArticleStatus::scheduled;
        a.scheduled_at = at;
        return articles()
            .save_article_revision(a, 0, rev_by("schedule", ArticleStatus::scheduled, kBase))
            ->id;
    };
    EXPECT_FALSE(articles().next_scheduled_at().value());
    const auto early = scheduled("이른 기사", kBase + 1000);
    const auto late = scheduled("늦은 기사", kBase + 5000);
    EXPECT_EQ(articles().next_scheduled_at().value(), kBase + 1000);
    EXPECT_TRUE(articles().publish_due(kBase, "system")->empty());
    EXPECT_EQ(articles().publish_due(kBase + 2000, "system").value(),
              std::vector<std::int64_t>{early});
    EXPECT_TRUE(articles().publish_due(kBase + 2000, "system")->empty());
    auto a = articles().article(early).value();
    EXPECT_EQ(a.status, ArticleStatus::published);
    EXPECT_EQ(a.published_at, kBase + 2000);
    EXPECT_EQ(a.scheduled_at, 0);
    EXPECT_EQ(articles().revisions(early)->back().actor, "system");
    EXPECT_EQ(articles().next_scheduled_at().value(), kBase + 5000);
    EXPECT_EQ(articles().article(late)->status, ArticleStatus::scheduled);
}

TEST_P(StoreConformance, SetPinsReplacesInOrderAndRefusesBadIds) {
    const auto sec = section("politics", "정치");
    const auto a = publish(sec, "가", 1);
    const auto b = publish(sec, "나", 2);
    Article draft;
    draft.section_id = sec;
    draft.headline = "초안";
    const auto d = articles().save_article(draft).value();
    const std::int64_t order[] = {b, a};
    ASSERT_TRUE(articles().set_pins(order));
    EXPECT_EQ(articles().article(b)->pin_rank, 1);
    EXPECT_EQ(articles().article(a)->pin_rank, 2);
    const std::int64_t bad[] = {d};
    EXPECT_EQ(articles().set_pins(bad).error().code, Errc::invalid_input);
    const std::int64_t missing[] = {a, 999999};
    EXPECT_EQ(articles().set_pins(missing).error().code, Errc::not_found);
    EXPECT_EQ(articles().article(b)->pin_rank, 1);  // refused calls change nothing
    ASSERT_TRUE(articles().set_pins({}));
    EXPECT_FALSE(articles().article(a)->pin_rank);
    EXPECT_FALSE(articles().article(b)->pin_rank);
}

TEST_P(StoreConformance, FindArticlesFiltersEveryStatus) {
    const auto pol = section("politics", "정치");
    const auto eco = section("economy", "경제");
    const auto kim = author("김서연");
    const auto lee = author("이준호");
    publish(pol, "게재된 정치 기사", 1, {kim});
    Article draft;
    draft.section_id = eco;
    draft.headline = "경제 초안";
    draft.authors = {lee};
    draft.created_at = kBase + 10 * 60'000;
    const auto d = articles().save_article(draft).value();

    ArticleFilter all;
    auto every = articles().find_articles(all).value();
    ASSERT_EQ(every.size(), 2u);
    EXPECT_EQ(every[0].id, d);  // most recently changed first
    EXPECT_EQ(every[0].status, ArticleStatus::draft);
    EXPECT_EQ(articles().count_articles(all).value(), 2);
    ArticleFilter f;
    f.status = ArticleStatus::draft;
    EXPECT_EQ(articles().count_articles(f).value(), 1);
    f = {};
    f.section_id = pol;
    EXPECT_EQ(articles().find_articles(f)->at(0).headline, "게재된 정치 기사");
    f = {};
    f.author_id = lee.id;
    EXPECT_EQ(articles().find_articles(f)->at(0).id, d);
    f = {};
    f.query = "정치";
    EXPECT_EQ(articles().count_articles(f).value(), 1);
    f.limit = 0;
    EXPECT_EQ(articles().find_articles(f).error().code, Errc::invalid_input);
}

TEST_P(StoreConformance, PublishedBetweenIsHalfOpenOldestFirst) {
    const auto sec = section("politics", "정치");
    const auto a = publish(sec, "가", 0);
    const auto b = publish(sec, "나", 10);
    publish(sec, "다", 20);
    auto got = articles().published_between(kBase, kBase + 20 * 60'000).value();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].id, a);
    EXPECT_EQ(got[1].id, b);
}

TEST_P(StoreConformance, ImportArticlesSkipsKnownExternalIds) {
    const auto sec = section("politics", "정치");
    std::vector<ImportItem> items(3);
    for (int i = 0; i < 3; ++i) {
        items[i].article.section_id = sec;
        items[i].article.headline = "가져온 기사 " + std::to_string(i);
        items[i].revision = rev_by("import", ArticleStatus::draft, kBase);
    }
    items[0].article.external_id = "wire-1";
    items[2].article.external_id = "wire-1";  // same id later in the same batch
    auto ids = articles().import_articles(items).value();
    ASSERT_EQ(ids.size(), 3u);
    ASSERT_TRUE(ids[0]);
    ASSERT_TRUE(ids[1]);
    EXPECT_FALSE(ids[2]);
    EXPECT_EQ(articles().article_by_external_id("wire-1").value(), ids[0]);
    EXPECT_FALSE(articles().article_by_external_id("nope").value());
    EXPECT_EQ(articles().revisions(*ids[1])->size(), 1u);
    auto again = articles().import_articles(std::span<const ImportItem>(items.data(), 1)).value();
    EXPECT_FALSE(again.at(0));
}

TEST_P(StoreConformance, PublishedRefsAreIdOrderedPublishedOnlyAndSliced) {
    const auto sec = section("politics", "정치");
    const auto a = publish(sec, "가나다 첫 기사", 30);
    const auto b = publish(sec, "둘째 기사", 10);  // published earlier, but a later id
    const auto c = publish(sec, "셋째 기사", 20);
    Article draft;
    draft.section_id = sec;
    draft.headline = "초안";
    draft.body_md = "초안";
    draft.status = ArticleStatus::draft;
    ASSERT_TRUE(articles().save_article(draft));

    auto all = articles().published_refs(0, 10).value();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, a);
    EXPECT_EQ(all[1].id, b);
    EXPECT_EQ(all[2].id, c);
    EXPECT_EQ(all[0].headline, "가나다 첫 기사");
    EXPECT_EQ(all[1].published_at, kBase + 10 * 60'000LL);
    EXPECT_EQ(all[1].updated_at, kBase + 10 * 60'000LL);
    auto slice = articles().published_refs(1, 1).value();
    ASSERT_EQ(slice.size(), 1u);
    EXPECT_EQ(slice[0].id, b);
    EXPECT_TRUE(articles().published_refs(3, 10).value().empty());
    EXPECT_EQ(articles().published_refs(0, 0).error().code, Errc::invalid_input);
    EXPECT_EQ(articles().published_refs(0, 50'001).error().code, Errc::invalid_input);
    EXPECT_EQ(articles().published_refs(-1, 10).error().code, Errc::invalid_input);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(all_backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sinmun::store::conformance
