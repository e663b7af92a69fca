// Newsroom: permissions per role, workflow transitions, optimistic concurrency, the rewrite rule,
// corrections, history, diffs and revision compactness, over a real SQLite file.
#include "news/newsroom.hpp"

#include <gtest/gtest.h>

#include "core/text.hpp"
#include "news/newsroom_fixture.hpp"

namespace sinmun::news {
namespace {

using testing::NewsroomFixture;
using NewsroomTest = NewsroomFixture;

// ---------------------------------------------------------------------------------------------
// Permission matrix

TEST_F(NewsroomTest, ReporterWritesEditsAndSubmitsOwnDraft) {
    auto a = room_->create_draft(reporter_, input());
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->status, ArticleStatus::draft);
    ASSERT_EQ(a->authors.size(), 1u);
    EXPECT_EQ(a->authors[0].id, kim_);  // defaults to the actor's byline
    auto e = room_->update(reporter_, a->id, input("고친 제목"), a->version);
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->headline, "고친 제목");
    EXPECT_EQ(e->version, a->version + 1);
    auto s = room_->submit(reporter_, a->id);
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->status, ArticleStatus::review);
}

TEST_F(NewsroomTest, ReporterCannotEditAnotherReportersDraft) {
    auto a = room_->create_draft(reporter_, input()).value();
    auto e = room_->update(other_reporter_, a.id, input("남의 기사"), a.version);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, Errc::forbidden);
    EXPECT_EQ(e.error().message, "기자는 다른 기자의 기사를 수정할 수 없습니다.");
    EXPECT_EQ(room_->submit(other_reporter_, a.id).error().code, Errc::forbidden);
    EXPECT_EQ(room_->article(other_reporter_, a.id).error().code, Errc::forbidden);
}

TEST_F(NewsroomTest, ReporterCannotEditOwnArticleOnceSubmitted) {
    auto a = room_->create_draft(reporter_, input()).value();
    auto s = room_->submit(reporter_, a.id).value();
    auto e = room_->update(reporter_, a.id, input("제출 후 수정"), s.version);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, Errc::forbidden);
}

TEST_F(NewsroomTest, ReporterCannotWriteUnderSomeoneElsesByline) {
    auto in = input();
    in.author_ids = {lee_};
    auto a = room_->create_draft(reporter_, in);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, Errc::forbidden);
}

TEST_F(NewsroomTest, ReporterIsRefusedEveryEditorAction) {
    auto draft = room_->create_draft(reporter_, input()).value();
    auto live = published_article();
    EXPECT_EQ(room_->publish(reporter_, draft.id).error().code, Errc::forbidden);
    EXPECT_EQ(room_->publish(reporter_, draft.id, clock_.now_ms() + 3'600'000).error().code,
              Errc::forbidden);
    EXPECT_EQ(room_->unpublish(reporter_, live.id, "사유").error().code, Errc::forbidden);
    EXPECT_EQ(
        room_->correct(reporter_, live.id, {CorrectionType::correction, "정정", 0}).error().code,
        Errc::forbidden);
    EXPECT_EQ(room_->set_pins(reporter_, {live.id}).error().code, Errc::forbidden);
    EXPECT_EQ(room_->save_section(reporter_, {0, "sports", "스포츠", 3}).error().code,
              Errc::forbidden);
    EXPECT_EQ(room_->save_labels(reporter_, {"단독"}).error().code, Errc::forbidden);
    // Nothing changed: still a draft, still published, nothing pinned.
    EXPECT_EQ(room_->article(editor_, draft.id)->status, ArticleStatus::draft);
    EXPECT_EQ(room_->article(editor_, live.id)->status, ArticleStatus::published);
    EXPECT_FALSE(room_->article(editor_, live.id)->pin_rank);
}

TEST_F(NewsroomTest, EditorAndAdminMayDoEverything) {
    for (const Actor* who : {&editor_, &admin_}) {
        SCOPED_TRACE(auth::to_string(who->role));
        auto in = input();
        in.author_ids = {kim_};
        auto a = room_->create_draft(*who, in);
        ASSERT_TRUE(a) << a.error().message;
        auto e = room_->update(*who, a->id, input("데스크 수정"), a->version);
        ASSERT_TRUE(e) << e.error().message;
        auto p = room_->publish(*who, a->id);
        ASSERT_TRUE(p) << p.error().message;
        auto c = room_->correct(*who, a->id, {CorrectionType::rebuttal, "반론 내용", 0});
        ASSERT_TRUE(c) << c.error().message;
        ASSERT_TRUE(room_->set_pins(*who, {a->id}));
        ASSERT_TRUE(room_->save_section(*who, {0, "sports", "스포츠", 3}));
        ASSERT_TRUE(room_->save_labels(*who, {"단독", "속보"}));
        auto u = room_->unpublish(*who, a->id, "오보");
        ASSERT_TRUE(u) << u.error().message;
        EXPECT_EQ(u->status, ArticleStatus::unpublished);
    }
}

TEST_F(NewsroomTest, ReporterListShowsOnlyOwnArticles) {
    room_->create_draft(reporter_, input("김 기자 기사")).value();
    room_->create_draft(other_reporter_, input("이 기자 기사")).value();
    auto mine = room_->list(reporter_, {}).value();
    ASSERT_EQ(mine.total, 1);
    EXPECT_EQ(mine.items[0].headline, "김 기자 기사");
    auto all = room_->list(editor_, {}).value();
    EXPECT_EQ(all.total, 2);
    ListFilter f;
    f.query = "이 기자";
    EXPECT_EQ(room_->list(editor_, f)->total, 1);
    f = {};
    f.status = ArticleStatus::review;
    EXPECT_EQ(room_->list(editor_, f)->total, 0);
}

// ---------------------------------------------------------------------------------------------
// Validation

TEST_F(NewsroomTest, ValidatesInputWithMessages) {
    auto empty = room_->create_draft(reporter_, input("   "));
    EXPECT_EQ(empty.error().code, Errc::invalid_input);
    EXPECT_EQ(empty.error().message, "제목을 입력하세요.");
    std::string long_headline;
    for (int i = 0; i < 201; ++i) long_headline += "가";
    EXPECT_EQ(room_->create_draft(reporter_, input(long_headline)).error().code,
              Errc::invalid_input);
    EXPECT_EQ(room_->create_draft(reporter_, input("제목", std::string(200 * 1024 + 1, 'x')))
                  .error()
                  .code,
              Errc::too_large);
    auto in = input();
    in.section_id = 9999;
    EXPECT_EQ(room_->create_draft(reporter_, in).error().code, Errc::invalid_input);
    in = input();
    in.author_ids = {kim_, 9999};
    EXPECT_EQ(room_->create_draft(reporter_, in).error().code, Errc::invalid_input);
    in = input();
    in.label = "가짜말머리";
    EXPECT_EQ(room_->create_draft(reporter_, in).error().code, Errc::invalid_input);
    EXPECT_EQ(room_->create_draft(reporter_, input("\xff\xfe")).error().code, Errc::invalid_input);
}

TEST_F(NewsroomTest, TextIsStoredAsNfc) {
    // "한" as decomposed jamo (NFD) must be stored composed.
    const std::string nfd = "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB";
    auto a = room_->create_draft(reporter_, input(nfd + "국", nfd + "국어")).value();
    EXPECT_EQ(a.headline, "한국");
    EXPECT_EQ(a.body_md, "한국어");
}

TEST_F(NewsroomTest, DefaultLabelsUntilSaved) {
    auto labels = room_->labels().value();
    EXPECT_EQ(labels, default_labels());
    EXPECT_NE(std::find(labels.begin(), labels.end(), "[팩트체크]"), labels.end());
    ASSERT_TRUE(room_->save_labels(editor_, {"단독", " 속보 ", "단독", ""}));
    EXPECT_EQ(room_->labels().value(), (std::vector<std::string>{"단독", "속보"}));
}

// ---------------------------------------------------------------------------------------------
// Workflow

TEST_F(NewsroomTest, IllegalTransitionsAreRefusedWithMessages) {
    auto a = room_->create_draft(reporter_, input()).value();
    auto u = room_->unpublish(editor_, a.id, "사유");
    EXPECT_EQ(u.error().code, Errc::conflict);
    EXPECT_NE(u.error().message.find("작성 중"), std::string::npos) << u.error().message;
    EXPECT_EQ(room_->correct(editor_, a.id, {CorrectionType::correction, "정정", 0}).error().code,
              Errc::conflict);
    room_->submit(reporter_, a.id).value();
    EXPECT_EQ(room_->submit(editor_, a.id).error().code, Errc::conflict);
    room_->publish(editor_, a.id).value();
    auto again = room_->publish(editor_, a.id);
    EXPECT_EQ(again.error().code, Errc::conflict);
    EXPECT_EQ(again.error().message, "이미 게재된 기사입니다.");
    EXPECT_EQ(room_->unpublish(editor_, a.id, "  ").error().code, Errc::invalid_input);
}

TEST_F(NewsroomTest, PublishSetsTimesAndNotifies) {
    auto a = room_->create_draft(reporter_, input()).value();
    changes_.clear();
    auto p = room_->publish(editor_, a.id).value();
    EXPECT_EQ(p.status, ArticleStatus::published);
    EXPECT_EQ(p.published_at, clock_.now_ms());
    EXPECT_EQ(p.updated_at, p.published_at);  // never edited after publishing: no 수정
    EXPECT_EQ(changes_, std::vector<std::int64_t>{a.id});
    // Shown to readers now.
    auto list = db_->articles().published({}).value();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].id, a.id);
}

TEST_F(NewsroomTest, ScheduleInFutureThenUnpublishReturnsToDraft) {
    auto a = room_->create_draft(reporter_, input()).value();
    const auto at = kst::from_kst(2026, 3, 2, 18, 0);
    auto s = room_->publish(editor_, a.id, at).value();
    EXPECT_EQ(s.status, ArticleStatus::scheduled);
    EXPECT_EQ(s.scheduled_at, at);
    EXPECT_EQ(s.published_at, 0);
    EXPECT_EQ(scheduled_, std::vector<std::int64_t>{at});
    EXPECT_TRUE(changes_.empty());  // not visible to readers yet
    auto d = room_->unpublish(editor_, a.id, "").value();
    EXPECT_EQ(d.status, ArticleStatus::draft);
    EXPECT_EQ(d.scheduled_at, 0);
}

TEST_F(NewsroomTest, UnpublishThenRepublishKeepsFirstPublishedTime) {
    auto a = published_article();
    const auto first = a.published_at;
    clock_.advance_ms(3'600'000);
    auto u = room_->unpublish(editor_, a.id, "법원 결정").value();
    EXPECT_EQ(u.status, ArticleStatus::unpublished);
    EXPECT_TRUE(db_->articles().published({}).value().empty());
    clock_.advance_ms(3'600'000);
    auto p = room_->publish(editor_, a.id).value();
    EXPECT_EQ(p.published_at, first);
    EXPECT_EQ(p.updated_at, clock_.now_ms());
}

// ---------------------------------------------------------------------------------------------
// Concurrency, rewrite rule, corrections

TEST_F(NewsroomTest, StaleVersionIsAConflict) {
    auto a = room_->create_draft(editor_, input()).value();
    auto first = room_->update(editor_, a.id, input("먼저 저장"), a.version);
    ASSERT_TRUE(first);
    auto second = room_->update(admin_, a.id, input("나중 저장"), a.version);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, Errc::conflict);
    EXPECT_NE(second.error().message.find("다른 사람이 먼저 수정했습니다"), std::string::npos);
    EXPECT_EQ(room_->article(editor_, a.id)->headline, "먼저 저장");
}

TEST_F(NewsroomTest, StoreRefusesStaleVersionAtomically) {
    auto a = room_->create_draft(editor_, input()).value();
    Article changed = a;
    changed.headline = "바뀐 제목";
    Revision rev;
    rev.action = "edit";
    auto r = db_->articles().save_article_revision(changed, a.version + 5, rev);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::conflict);
    EXPECT_EQ(db_->articles().article(a.id)->headline, a.headline);
    EXPECT_EQ(db_->articles().revisions(a.id)->size(), 1u);
}

TEST_F(NewsroomTest, RewritingMostOfAPublishedArticleNeedsConfirmation) {
    const std::string body =
        "서울시가 인공지능 특구로 지정됐다. 시는 내년부터 규제 샌드박스를 운영한다. "
        "관련 기업 100곳이 입주할 예정이다.";
    auto a = published_article(body);
    auto small = room_->update(editor_, a.id, input("게재 기사", body + " 추가 문장."), a.version);
    ASSERT_TRUE(small) << small.error().message;
    const std::string other =
        "부산항 물동량이 사상 최대를 기록했다. 해양수산부는 컨테이너 처리량이 늘었다고 밝혔다.";
    auto big = room_->update(editor_, a.id, input("게재 기사", other), small->version);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().code, Errc::conflict);
    EXPECT_NE(big.error().message.find("confirm_rewrite"), std::string::npos);
    auto confirmed = room_->update(editor_, a.id, input("게재 기사", other), small->version, true);
    ASSERT_TRUE(confirmed) << confirmed.error().message;
    EXPECT_EQ(confirmed->body_md, other);
}

TEST_F(NewsroomTest, EditingPublishedArticleSetsUpdatedAtAndNotifies) {
    auto a = published_article();
    changes_.clear();
    clock_.advance_ms(600'000);
    auto e =
        room_->update(editor_, a.id, input("게재 기사", a.body_md + " 보강."), a.version).value();
    EXPECT_EQ(e.updated_at, clock_.now_ms());
    EXPECT_EQ(e.published_at, a.published_at);
    EXPECT_EQ(changes_, std::vector<std::int64_t>{a.id});
}

TEST_F(NewsroomTest, CorrectionIsStoredAndReturnedOnReads) {
    auto a = published_article();
    clock_.advance_ms(60'000);
    auto c = room_->correct(editor_, a.id,
                            {CorrectionType::correction,
                             "본지 3월 2일 자 보도에서 '100곳'은 '10곳'이므로 바로잡습니다.", 0});
    ASSERT_TRUE(c) << c.error().message;
    ASSERT_EQ(c->corrections.size(), 1u);
    EXPECT_EQ(c->updated_at, clock_.now_ms());
    reopen();  // durable, and returned by a fresh read
    auto read = db_->articles().article(a.id).value();
    ASSERT_EQ(read.corrections.size(), 1u);
    EXPECT_EQ(read.corrections[0].type, CorrectionType::correction);
    EXPECT_EQ(read.corrections[0].at, clock_.now_ms());
    EXPECT_NE(read.corrections[0].text.find("10곳"), std::string::npos);
    // A second notice is appended, the first kept.
    room_->correct(editor_, a.id, {CorrectionType::follow_up, "무죄 확정", 0}).value();
    EXPECT_EQ(db_->articles().article(a.id)->corrections.size(), 2u);
    // An ordinary edit keeps the notices.
    auto cur = db_->articles().article(a.id).value();
    room_->update(editor_, a.id, input("게재 기사", cur.body_md + " 덧붙임."), cur.version).value();
    EXPECT_EQ(db_->articles().article(a.id)->corrections.size(), 2u);
}

TEST_F(NewsroomTest, PinsAreOrderedAndOnlyForPublished) {
    auto a = published_article();
    auto b = published_article();
    auto draft = room_->create_draft(reporter_, input()).value();
    changes_.clear();
    ASSERT_TRUE(room_->set_pins(editor_, {b.id, a.id}));
    EXPECT_EQ(db_->articles().article(b.id)->pin_rank, 1);
    EXPECT_EQ(db_->articles().article(a.id)->pin_rank, 2);
    EXPECT_EQ(changes_, std::vector<std::int64_t>{0});
    EXPECT_EQ(room_->set_pins(editor_, {draft.id}).error().code, Errc::invalid_input);
    EXPECT_EQ(room_->set_pins(editor_, {a.id, a.id}).error().code, Errc::invalid_input);
    // The refused call left the pins alone.
    EXPECT_EQ(db_->articles().article(b.id)->pin_rank, 1);
    ASSERT_TRUE(room_->set_pins(editor_, {a.id}));
    EXPECT_FALSE(db_->articles().article(b.id)->pin_rank);
    EXPECT_EQ(db_->articles().article(a.id)->pin_rank, 1);
}

// ---------------------------------------------------------------------------------------------
// History, diff, compactness

TEST_F(NewsroomTest, HistoryRecordsWhoWhenAndWhatChanged) {
    auto a = room_->create_draft(reporter_, input("첫 제목", "첫 본문")).value();
    clock_.advance_ms(1000);
    auto e = room_->update(reporter_, a.id, input("둘째 제목", "첫 본문"), a.version).value();
    room_->submit(reporter_, a.id).value();
    clock_.advance_ms(1000);
    room_->publish(editor_, a.id).value();
    auto h = room_->history(editor_, a.id).value();
    ASSERT_EQ(h.size(), 4u);
    EXPECT_EQ(h[0].number, 1);
    EXPECT_EQ(h[0].action, "create");
    EXPECT_EQ(h[0].actor, "seoyeon@sinmun.example");
    EXPECT_EQ(h[0].content.headline, "첫 제목");
    EXPECT_EQ(h[1].action, "edit");
    EXPECT_EQ(h[1].changed, std::vector<std::string>{"headline"});
    EXPECT_EQ(h[1].content.headline, "둘째 제목");
    EXPECT_EQ(h[2].action, "submit");
    EXPECT_TRUE(h[2].changed.empty());
    EXPECT_EQ(h[3].action, "publish");
    EXPECT_EQ(h[3].user_id, editor_.user_id);
    EXPECT_EQ(h[3].status, ArticleStatus::published);
    EXPECT_EQ(h[3].at, clock_.now_ms());
    (void)e;
}

TEST_F(NewsroomTest, DiffBetweenAnyTwoRevisionsIsWordLevel) {
    auto a =
        room_->create_draft(editor_, input("서울시 AI 특구", "시는 내년부터 규제를 푼다.")).value();
    auto b = room_
                 ->update(editor_, a.id, input("서울시 AI 특구 지정", "시는 올해부터 규제를 푼다."),
                          a.version)
                 .value();
    auto d = room_->diff(editor_, a.id, 1, 2).value();
    ASSERT_EQ(d.fields.size(), 3u);
    EXPECT_EQ(d.fields[0].field, "headline");
    ASSERT_EQ(d.fields[0].ops.size(), 2u);
    EXPECT_EQ(d.fields[0].ops[1].kind, DiffOp::Kind::insert);
    EXPECT_EQ(d.fields[0].ops[1].text, "지정");
    EXPECT_FALSE(d.fields[1].changed);
    const auto& body = d.fields[2].ops;
    ASSERT_EQ(body.size(), 4u);
    EXPECT_EQ(body[0].text, "시는");
    EXPECT_EQ(body[1].kind, DiffOp::Kind::remove);
    EXPECT_EQ(body[1].text, "내년부터");
    EXPECT_EQ(body[2].kind, DiffOp::Kind::insert);
    EXPECT_EQ(body[2].text, "올해부터");
    EXPECT_EQ(body[3].text, "규제를 푼다.");
    EXPECT_EQ(room_->diff(editor_, a.id, 1, 9).error().code, Errc::not_found);
    (void)b;
}

TEST_F(NewsroomTest, HundredSmallEditsStayCompact) {
    // A ~10 KB article of varied sentences (so zlib alone could not make 100 copies small).
    std::string body;
    for (int i = 0; body.size() < 10 * 1024; ++i)
        body += "제" + std::to_string(i) + "항 서울시는 " + std::to_string(i * 7919 % 1000) +
                "억 원을 들여 " + std::to_string(i * 31 % 97) + "개 구에 AI 센터를 짓는다. ";
    auto a = room_->create_draft(editor_, input("긴 기사", body)).value();
    std::int64_t version = a.version;
    for (int i = 0; i < 100; ++i) {
        // One sentence changes somewhere in the article each time.
        const auto pos = (body.size() / 100) * static_cast<std::size_t>(i);
        const auto cut = body.find("서울시는", pos);
        body.insert(cut == std::string::npos ? body.size() : cut,
                    "수정 " + std::to_string(i) + "번째 문장. ");
        auto e = room_->update(editor_, a.id, input("긴 기사", body), version);
        ASSERT_TRUE(e) << e.error().message;
        version = e->version;
    }
    const auto stored = db_->articles().revision_bytes(a.id).value();
    const std::int64_t naive = 101 * static_cast<std::int64_t>(body.size());
    EXPECT_LT(stored * 5, naive) << "history takes " << stored << " bytes, naive " << naive;
    // And every revision still decodes to exactly what was saved.
    auto h = room_->history(editor_, a.id).value();
    ASSERT_EQ(h.size(), 101u);
    EXPECT_EQ(h.back().content.body_md, body);
    EXPECT_EQ(h.front().content.body_md, a.body_md);
    std::cout << "[ revisions ] 101 revisions of a " << body.size() / 1024
              << " KB article: " << stored << " bytes (" << (stored * 100 / naive) << "% of "
              << naive << ")\n";
}

TEST_F(NewsroomTest, PreviewIsUnsavedAndResolvesAuthors) {
    auto p = room_->preview_article(reporter_, input("미리보기")).value();
    EXPECT_EQ(p.id, 0);
    ASSERT_EQ(p.authors.size(), 1u);
    EXPECT_EQ(p.authors[0].name, "김서연");
    EXPECT_EQ(room_->list(editor_, {})->total, 0);
}

}  // namespace
}  // namespace sinmun::news
