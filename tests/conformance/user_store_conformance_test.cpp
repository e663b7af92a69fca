// Conformance suite for UserStore and AuditStore: behaviour every back end must show, written only
// against the store::Database interface. Instantiated for each back end in all_backends().
#include <gtest/gtest.h>

#include <thread>

#include "backend.hpp"

namespace sinmun::store::conformance {
namespace {

using auth::ApiToken;
using auth::AuditEntry;
using auth::Role;
using auth::Session;
using auth::User;

constexpr std::int64_t kBase = 1'700'000'000'000;

class UserStoreConformance : public ::testing::TestWithParam<BackendFactory> {
protected:
    void SetUp() override {
        backend_ = GetParam().make();
        reopen();
    }
    void reopen() {
        db_.reset();
        auto db = backend_->open();
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
    }

    UserStore& users() { return db_->users(); }
    AuditStore& audit() { return db_->audit(); }

    User make_user(std::string email, std::string name = "김서연", Role role = Role::reporter) {
        User u;
        u.email = std::move(email);
        u.name = std::move(name);
        u.role = role;
        u.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
        u.created_at = kBase;
        return u;
    }
    std::int64_t add(User u) {
        auto id = users().create_user(u);
        EXPECT_TRUE(id) << id.error().message;
        return id ? *id : 0;
    }
    Session make_session(std::int64_t user_id, std::string hash, std::int64_t expires) {
        Session s;
        s.id_hash = std::move(hash);
        s.user_id = user_id;
        s.csrf_token = "csrf-" + s.id_hash;
        s.created_at = kBase;
        s.expires_at = expires;
        s.remote_addr = "203.0.113.7";
        s.user_agent = "Mozilla/5.0 테스트";
        return s;
    }

    std::unique_ptr<Backend> backend_;
    std::unique_ptr<Database> db_;
};

TEST_P(UserStoreConformance, CreatedUserReadsBackByIdAndEmailWithEveryField) {
    auto author = db_->articles().save_author({0, "김서연", "seoyeon@sinmun.example"});
    ASSERT_TRUE(author);
    User u = make_user("Seoyeon.Kim@Sinmun.Example", "김서연", Role::editor);
    u.author_id = *author;
    u.failed_logins = 2;
    u.locked_until = kBase + 5;
    const auto id = add(u);
    ASSERT_GT(id, 0);

    auto by_id = users().user(id);
    ASSERT_TRUE(by_id) << by_id.error().message;
    EXPECT_EQ(by_id->id, id);
    EXPECT_EQ(by_id->email, "seoyeon.kim@sinmun.example");  // stored lowercase
    EXPECT_EQ(by_id->name, "김서연");
    EXPECT_EQ(by_id->role, Role::editor);
    EXPECT_FALSE(by_id->disabled);
    EXPECT_EQ(by_id->password_hash, u.password_hash);
    EXPECT_EQ(by_id->author_id, *author);
    EXPECT_EQ(by_id->created_at, kBase);
    EXPECT_EQ(by_id->failed_logins, 2);
    EXPECT_EQ(by_id->locked_until, kBase + 5);

    auto by_email = users().user_by_email("SEOYEON.KIM@sinmun.example");
    ASSERT_TRUE(by_email) << by_email.error().message;
    EXPECT_EQ(by_email->id, id);
}

TEST_P(UserStoreConformance, MissingUsersAreNotFound) {
    auto a = users().user(4242);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, Errc::not_found);
    auto b = users().user_by_email("nobody@sinmun.example");
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, Errc::not_found);
    User ghost = make_user("ghost@sinmun.example");
    ghost.id = 4242;
    auto c = users().update_user(ghost);
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, Errc::not_found);
    auto d = users().set_login_state(4242, 1, 0);
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, Errc::not_found);
}

TEST_P(UserStoreConformance, DuplicateEmailDifferingOnlyInCaseIsAConflict) {
    add(make_user("desk@sinmun.example"));
    auto dup = users().create_user(make_user("DESK@Sinmun.example", "다른 사람"));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);
    EXPECT_NE(dup.error().message.find("desk@sinmun.example"), std::string::npos);
}

TEST_P(UserStoreConformance, UpdateRewritesEveryFieldAndRefusesATakenEmail) {
    const auto a = add(make_user("a@sinmun.example"));
    add(make_user("b@sinmun.example"));
    auto u = users().user(a);
    ASSERT_TRUE(u);
    u->name = "이민준";
    u->role = Role::admin;
    u->disabled = true;
    u->password_hash = "$argon2id$new";
    u->email = "A2@Sinmun.example";
    ASSERT_TRUE(users().update_user(*u));
    auto back = users().user(a);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->name, "이민준");
    EXPECT_EQ(back->role, Role::admin);
    EXPECT_TRUE(back->disabled);
    EXPECT_EQ(back->password_hash, "$argon2id$new");
    EXPECT_EQ(back->email, "a2@sinmun.example");

    back->email = "b@sinmun.example";
    auto clash = users().update_user(*back);
    ASSERT_FALSE(clash);
    EXPECT_EQ(clash.error().code, Errc::conflict);
}

TEST_P(UserStoreConformance, RequiredFieldsAreInvalidInput) {
    auto no_email = users().create_user(make_user(""));
    ASSERT_FALSE(no_email);
    EXPECT_EQ(no_email.error().code, Errc::invalid_input);
    auto no_name = users().create_user(make_user("x@sinmun.example", ""));
    ASSERT_FALSE(no_name);
    EXPECT_EQ(no_name.error().code, Errc::invalid_input);
}

TEST_P(UserStoreConformance, UsersAreListedInCreationOrder) {
    const auto a = add(make_user("first@sinmun.example", "가"));
    const auto b = add(make_user("second@sinmun.example", "나", Role::admin));
    auto all = users().users();
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].id, a);
    EXPECT_EQ((*all)[1].id, b);
    EXPECT_EQ((*all)[1].role, Role::admin);
}

TEST_P(UserStoreConformance, LoginStateChangesOnlyItsFields) {
    const auto id = add(make_user("lock@sinmun.example"));
    ASSERT_TRUE(users().set_login_state(id, 7, kBase + 900'000));
    auto u = users().user(id);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->failed_logins, 7);
    EXPECT_EQ(u->locked_until, kBase + 900'000);
    EXPECT_EQ(u->name, "김서연");
}

TEST_P(UserStoreConformance, SessionsRoundTripExtendAndDelete) {
    const auto id = add(make_user("s@sinmun.example"));
    ASSERT_TRUE(users().create_session(make_session(id, "h1", kBase + 1000)));
    auto s = users().session("h1");
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_EQ(s->user_id, id);
    EXPECT_EQ(s->csrf_token, "csrf-h1");
    EXPECT_EQ(s->created_at, kBase);
    EXPECT_EQ(s->expires_at, kBase + 1000);
    EXPECT_EQ(s->remote_addr, "203.0.113.7");
    EXPECT_EQ(s->user_agent, "Mozilla/5.0 테스트");

    ASSERT_TRUE(users().extend_session("h1", kBase + 5000));
    EXPECT_EQ(users().session("h1")->expires_at, kBase + 5000);
    auto missing_extend = users().extend_session("nope", kBase);
    ASSERT_FALSE(missing_extend);
    EXPECT_EQ(missing_extend.error().code, Errc::not_found);

    ASSERT_TRUE(users().delete_session("h1"));
    auto gone = users().session("h1");
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, Errc::not_found);
    EXPECT_TRUE(users().delete_session("h1"));  // deleting again is fine
}

TEST_P(UserStoreConformance, SessionForMissingUserIsRefused) {
    auto r = users().create_session(make_session(999, "orphan", kBase + 1));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::not_found);
}

TEST_P(UserStoreConformance, DeleteUserSessionsTouchesOnlyThatUser) {
    const auto a = add(make_user("a@sinmun.example"));
    const auto b = add(make_user("b@sinmun.example"));
    ASSERT_TRUE(users().create_session(make_session(a, "a1", kBase + 10)));
    ASSERT_TRUE(users().create_session(make_session(a, "a2", kBase + 10)));
    ASSERT_TRUE(users().create_session(make_session(b, "b1", kBase + 10)));
    ASSERT_TRUE(users().delete_user_sessions(a));
    EXPECT_FALSE(users().session("a1"));
    EXPECT_FALSE(users().session("a2"));
    EXPECT_TRUE(users().session("b1"));
}

TEST_P(UserStoreConformance, DeleteExpiredSessionsKeepsLiveOnes) {
    const auto a = add(make_user("a@sinmun.example"));
    ASSERT_TRUE(users().create_session(make_session(a, "old", kBase + 10)));
    ASSERT_TRUE(users().create_session(make_session(a, "edge", kBase + 20)));
    ASSERT_TRUE(users().create_session(make_session(a, "live", kBase + 30)));
    ASSERT_TRUE(users().delete_expired_sessions(kBase + 20));
    EXPECT_FALSE(users().session("old"));
    EXPECT_FALSE(users().session("edge"));  // expires_at == now: expired
    EXPECT_TRUE(users().session("live"));
}

TEST_P(UserStoreConformance, TokensRoundTripRevokeAndTouch) {
    const auto a = add(make_user("wire@sinmun.example"));
    ApiToken t;
    t.user_id = a;
    t.name = "연합 뉴스 와이어";
    t.token_hash = std::string(64, 'a');
    t.created_at = kBase;
    auto id = users().create_token(t);
    ASSERT_TRUE(id) << id.error().message;

    auto back = users().token_by_hash(std::string(64, 'a'));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->id, *id);
    EXPECT_EQ(back->user_id, a);
    EXPECT_EQ(back->name, "연합 뉴스 와이어");
    EXPECT_EQ(back->created_at, kBase);
    EXPECT_EQ(back->revoked_at, 0);
    EXPECT_EQ(back->last_used_at, 0);

    ASSERT_TRUE(users().touch_token(*id, kBase + 60'000));
    EXPECT_EQ(users().token_by_hash(t.token_hash)->last_used_at, kBase + 60'000);

    ASSERT_TRUE(users().revoke_token(*id, kBase + 120'000));
    EXPECT_EQ(users().token_by_hash(t.token_hash)->revoked_at, kBase + 120'000);
    ASSERT_TRUE(users().revoke_token(*id, kBase + 999'000));  // again: first time kept
    EXPECT_EQ(users().token_by_hash(t.token_hash)->revoked_at, kBase + 120'000);

    auto missing = users().token_by_hash(std::string(64, 'b'));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
    auto r = users().revoke_token(9999, kBase);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::not_found);
    auto tt = users().touch_token(9999, kBase);
    ASSERT_FALSE(tt);
    EXPECT_EQ(tt.error().code, Errc::not_found);
}

TEST_P(UserStoreConformance, TokensAreListedPerUserAndHashesAreUnique) {
    const auto a = add(make_user("a@sinmun.example"));
    const auto b = add(make_user("b@sinmun.example"));
    ApiToken t;
    t.user_id = a;
    t.token_hash = "h-a1";
    ASSERT_TRUE(users().create_token(t));
    t.token_hash = "h-a2";
    ASSERT_TRUE(users().create_token(t));
    t.user_id = b;
    t.token_hash = "h-b1";
    ASSERT_TRUE(users().create_token(t));

    auto of_a = users().tokens(a);
    ASSERT_TRUE(of_a);
    ASSERT_EQ(of_a->size(), 2u);
    EXPECT_EQ((*of_a)[0].token_hash, "h-a1");
    EXPECT_EQ((*of_a)[1].token_hash, "h-a2");
    EXPECT_EQ(users().tokens(b)->size(), 1u);

    t.token_hash = "h-a1";
    auto dup = users().create_token(t);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);

    t.user_id = 777;
    t.token_hash = "h-orphan";
    auto orphan = users().create_token(t);
    ASSERT_FALSE(orphan);
    EXPECT_EQ(orphan.error().code, Errc::not_found);
}

TEST_P(UserStoreConformance, AuditLogIsNewestFirstAndPagesByIdAndSurvivesReopen) {
    for (int i = 0; i < 5; ++i) {
        AuditEntry e;
        e.at = kBase + i;
        e.user_id = i;
        e.actor = "editor@sinmun.example";
        e.action = i % 2 ? "publish" : "login";
        e.target = "article:" + std::to_string(i);
        e.detail = "기사 " + std::to_string(i);
        e.remote_addr = "198.51.100.1";
        auto id = audit().append(e);
        ASSERT_TRUE(id) << id.error().message;
    }
    reopen();
    auto page1 = audit().recent(3);
    ASSERT_TRUE(page1) << page1.error().message;
    ASSERT_EQ(page1->size(), 3u);
    EXPECT_EQ((*page1)[0].target, "article:4");
    EXPECT_EQ((*page1)[0].at, kBase + 4);
    EXPECT_EQ((*page1)[0].user_id, 4);
    EXPECT_EQ((*page1)[0].actor, "editor@sinmun.example");
    EXPECT_EQ((*page1)[0].action, "login");
    EXPECT_EQ((*page1)[0].detail, "기사 4");
    EXPECT_EQ((*page1)[0].remote_addr, "198.51.100.1");
    EXPECT_EQ((*page1)[2].target, "article:2");

    auto page2 = audit().recent(3, (*page1)[2].id);
    ASSERT_TRUE(page2);
    ASSERT_EQ(page2->size(), 2u);
    EXPECT_EQ((*page2)[0].target, "article:1");
    EXPECT_EQ((*page2)[1].target, "article:0");

    auto bad = audit().recent(0);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::invalid_input);
    AuditEntry empty;
    auto no_action = audit().append(empty);
    ASSERT_FALSE(no_action);
    EXPECT_EQ(no_action.error().code, Errc::invalid_input);
}

TEST_P(UserStoreConformance, WritesSurviveReopen) {
    const auto id = add(make_user("durable@sinmun.example"));
    ASSERT_TRUE(users().create_session(make_session(id, "dh", kBase + 100)));
    ApiToken t;
    t.user_id = id;
    t.token_hash = "dt";
    ASSERT_TRUE(users().create_token(t));
    reopen();
    EXPECT_TRUE(users().user_by_email("durable@sinmun.example"));
    EXPECT_TRUE(users().session("dh"));
    EXPECT_TRUE(users().token_by_hash("dt"));
}

TEST_P(UserStoreConformance, ConcurrentAppendsAllLand) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                AuditEntry e;
                e.at = kBase + i;
                e.actor = "t" + std::to_string(t);
                e.action = "login";
                EXPECT_TRUE(audit().append(e));
            }
        });
    for (auto& th : threads) th.join();
    auto all = audit().recent(1000);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 100u);
}

INSTANTIATE_TEST_SUITE_P(Backends, UserStoreConformance, ::testing::ValuesIn(all_backends()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sinmun::store::conformance
