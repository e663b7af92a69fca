// AuthService over a real SQLite file in a temp directory, with a ManualClock for time.
#include "auth/auth_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "auth/crypto.hpp"

namespace sinmun::auth {
namespace {

// Cheap argon2id (256 KiB, one pass) for the many users these tests make: behaviour, not cost,
// is under test here (crypto_test checks the production cost).
const AuthOptions kCheapHashes{.password_cost = {.time_cost = 1, .memory_kib = 256}};

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::int64_t kStart = 1'700'000'000'000;
constexpr char kPassword[] = "봄날의 신문 2024!";

class AuthServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() /
               ("sinmun-auth-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(dir_);
        auto db = store::open_sqlite({.path = (dir_ / "auth.db").string()});
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        auth_ = std::make_unique<AuthService>(*db_, clock_, kCheapHashes);
    }
    void TearDown() override {
        auth_.reset();
        db_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    User add(const std::string& email, Role role = Role::reporter,
             const std::string& password = kPassword) {
        auto u = auth_->create_user(email, "김서연", role, password);
        EXPECT_TRUE(u) << u.error().message;
        return u ? *u : User{};
    }
    Result<LoginResult> login(std::string_view email, std::string_view password = kPassword) {
        return auth_->login(email, password, "203.0.113.9", "Mozilla/5.0");
    }
    std::vector<std::string> actions() {
        std::vector<std::string> out;
        auto r = auth_->recent_audit(1000);
        EXPECT_TRUE(r);
        if (r)
            for (auto it = r->rbegin(); it != r->rend(); ++it) out.push_back(it->action);
        return out;
    }

    fs::path dir_;
    ManualClock clock_{kStart};
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, CreateUserHashesPasswordMakesBylineAndAudits) {
    User u = add("  Kim.Seoyeon@Sinmun.Example ", Role::editor);
    EXPECT_GT(u.id, 0);
    EXPECT_EQ(u.email, "kim.seoyeon@sinmun.example");
    EXPECT_EQ(u.role, Role::editor);
    EXPECT_EQ(u.password_hash.rfind("$argon2id$", 0), 0u);
    EXPECT_EQ(u.password_hash.find(kPassword), std::string::npos);
    EXPECT_EQ(u.created_at, kStart);
    ASSERT_GT(u.author_id, 0);

    auto stored = db_->users().user(u.id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->author_id, u.author_id);
    EXPECT_EQ(stored->password_hash, u.password_hash);
    EXPECT_EQ(actions(), std::vector<std::string>{"user_add"});
}

TEST_F(AuthServiceTest, CreateUserRefusesBadInputWithReasons) {
    auto bad_email = auth_->create_user("not-an-email", "김", Role::reporter, kPassword);
    ASSERT_FALSE(bad_email);
    EXPECT_EQ(bad_email.error().code, Errc::invalid_input);
    EXPECT_NE(bad_email.error().message.find("not-an-email"), std::string::npos);

    for (const char* e : {"a@b", "@sinmun.example", "a b@sinmun.example", "a@@sinmun.example",
                          "a@sinmun..example", "a@.example"}) {
        auto r = auth_->create_user(e, "김", Role::reporter, kPassword);
        ASSERT_FALSE(r) << e;
        EXPECT_EQ(r.error().code, Errc::invalid_input) << e;
    }

    auto no_name = auth_->create_user("a@sinmun.example", "   ", Role::reporter, kPassword);
    ASSERT_FALSE(no_name);
    EXPECT_EQ(no_name.error().code, Errc::invalid_input);

    // Nine characters (Hangul counts as one each) are too few; ten are enough.
    auto short_pw =
        auth_->create_user("a@sinmun.example", "김", Role::reporter, "가나다라마바사아자");
    ASSERT_FALSE(short_pw);
    EXPECT_EQ(short_pw.error().code, Errc::invalid_input);
    EXPECT_NE(short_pw.error().message.find("10"), std::string::npos);
    EXPECT_TRUE(
        auth_->create_user("a@sinmun.example", "김", Role::reporter, "가나다라마바사아자차"));

    auto dup = auth_->create_user("A@SINMUN.example", "다른", Role::reporter, kPassword);
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, Errc::conflict);
}

TEST_F(AuthServiceTest, LoginOpensSessionThatAuthenticates) {
    User u = add("desk@sinmun.example");
    auto r = login("DESK@sinmun.example");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->user.id, u.id);
    EXPECT_EQ(r->cookie_value.size(), 64u);
    EXPECT_EQ(r->session.id_hash, sha256_hex(r->cookie_value));
    EXPECT_EQ(r->session.csrf_token.size(), 64u);
    EXPECT_EQ(r->session.expires_at, kStart + std::chrono::milliseconds(12h).count());

    // The store never sees the cookie value itself.
    EXPECT_FALSE(db_->users().session(r->cookie_value));

    auto su = auth_->authenticate_session(r->cookie_value);
    ASSERT_TRUE(su) << su.error().message;
    EXPECT_EQ(su->user.id, u.id);
    EXPECT_EQ(su->session.csrf_token, r->session.csrf_token);

    auto wrong = auth_->authenticate_session(std::string(64, 'a'));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, Errc::unauthorized);
    auto junk = auth_->authenticate_session("<script>");
    ASSERT_FALSE(junk);
    EXPECT_EQ(junk.error().code, Errc::unauthorized);
}

TEST_F(AuthServiceTest, UnknownEmailAndWrongPasswordGetTheSameAnswer) {
    add("desk@sinmun.example");
    auto wrong = login("desk@sinmun.example", "틀린 비밀번호입니다 123");
    auto unknown = login("nobody@sinmun.example", "틀린 비밀번호입니다 123");
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(wrong.error().code, Errc::unauthorized);
    EXPECT_EQ(unknown.error().code, Errc::unauthorized);
    EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AuthServiceTest, FailuresAreDelayedExponentiallyThenLockedThenUnlockAfterTime) {
    User u = add("desk@sinmun.example");
    const std::string bad = "wrong password!!";
    // Failures 1 and 2: plain refusals, no wait.
    for (int i = 0; i < 2; ++i) {
        auto r = login("desk@sinmun.example", bad);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::unauthorized);
    }
    EXPECT_EQ(auth_->retry_after_ms("desk@sinmun.example"), 0);

    // Failure 3 (= max_failures_before_delay): wait 1 s; each further failure doubles it.
    std::int64_t expected = 1000;
    for (int failure = 3; failure <= 9; ++failure) {
        auto r = login("desk@sinmun.example", bad);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, Errc::rate_limited) << "failure " << failure;
        EXPECT_EQ(auth_->retry_after_ms("desk@sinmun.example"), expected);

        // Even the right password is refused while the wait lasts.
        auto early = login("desk@sinmun.example");
        ASSERT_FALSE(early);
        EXPECT_EQ(early.error().code, Errc::rate_limited);
        EXPECT_EQ(db_->users().user(u.id)->failed_logins, failure);  // not counted

        clock_.advance_ms(expected);
        expected *= 2;
    }

    // Failure 10: locked for 15 minutes.
    auto locked = login("desk@sinmun.example", bad);
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().code, Errc::forbidden);
    EXPECT_NE(locked.error().message.find("계정이 잠겼습니다"), std::string::npos);
    EXPECT_EQ(auth_->retry_after_ms("desk@sinmun.example"), 15 * 60'000);

    clock_.advance_ms(15 * 60'000 - 1);
    auto still = login("desk@sinmun.example");
    ASSERT_FALSE(still);
    EXPECT_EQ(still.error().code, Errc::forbidden);

    clock_.advance_ms(1);
    auto ok = login("desk@sinmun.example");
    ASSERT_TRUE(ok) << ok.error().message;
    auto after = db_->users().user(u.id);
    EXPECT_EQ(after->failed_logins, 0);
    EXPECT_EQ(after->locked_until, 0);

    const auto log = actions();
    EXPECT_EQ(std::count(log.begin(), log.end(), "login_failed"), 10);
    EXPECT_EQ(std::count(log.begin(), log.end(), "locked"), 1);
    EXPECT_EQ(log.back(), "login");
}

TEST_F(AuthServiceTest, UnknownEmailsAreThrottledLikeKnownOnes) {
    for (int i = 0; i < 2; ++i)
        EXPECT_EQ(login("ghost@sinmun.example", "x").error().code, Errc::unauthorized);
    auto third = login("ghost@sinmun.example", "x");
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().code, Errc::rate_limited);
    EXPECT_EQ(auth_->retry_after_ms("ghost@sinmun.example"), 1000);
}

TEST_F(AuthServiceTest, DisabledUserCannotLoginAndLosesSessions) {
    add("desk@sinmun.example");
    auto r = login("desk@sinmun.example");
    ASSERT_TRUE(r);
    ASSERT_TRUE(auth_->set_disabled("desk@sinmun.example", true));

    auto su = auth_->authenticate_session(r->cookie_value);
    ASSERT_FALSE(su);
    EXPECT_EQ(su.error().code, Errc::unauthorized);

    auto again = login("desk@sinmun.example");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, Errc::forbidden);
    // A wrong password on a disabled account says nothing about it being disabled.
    auto wrong = login("desk@sinmun.example", "not the password");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, Errc::unauthorized);

    ASSERT_TRUE(auth_->set_disabled("desk@sinmun.example", false));
    EXPECT_TRUE(login("desk@sinmun.example"));
}

TEST_F(AuthServiceTest, SessionSlidesButNotPastTheAbsoluteCap) {
    add("desk@sinmun.example");
    auto r = login("desk@sinmun.example");
    ASSERT_TRUE(r);
    const std::int64_t idle = std::chrono::milliseconds(12h).count();

    // Used within a minute: no write, expiry unchanged.
    clock_.advance_ms(30'000);
    ASSERT_TRUE(auth_->authenticate_session(r->cookie_value));
    EXPECT_EQ(db_->users().session(r->session.id_hash)->expires_at, kStart + idle);

    // Used every 11 hours: stays alive past the first 12 h.
    std::int64_t now = kStart + 30'000;
    for (int i = 0; i < 14; ++i) {
        clock_.advance_ms(11 * 3600'000LL);
        now += 11 * 3600'000LL;
        auto su = auth_->authenticate_session(r->cookie_value);
        ASSERT_TRUE(su) << "use " << i << ": " << su.error().message;
        EXPECT_EQ(su->session.expires_at,
                  std::min<std::int64_t>(now + idle, kStart + 7 * 86'400'000LL));
    }
    // 154 h in: one more 11 h step reaches the 7-day (168 h) cap.
    clock_.advance_ms(14 * 3600'000LL);
    auto capped = auth_->authenticate_session(r->cookie_value);
    ASSERT_FALSE(capped);
    EXPECT_EQ(capped.error().code, Errc::unauthorized);
    EXPECT_NE(capped.error().message.find("만료"), std::string::npos);
}

TEST_F(AuthServiceTest, IdleSessionExpires) {
    add("desk@sinmun.example");
    auto r = login("desk@sinmun.example");
    ASSERT_TRUE(r);
    clock_.advance_ms(std::chrono::milliseconds(12h).count() - 1);
    ASSERT_TRUE(auth_->authenticate_session(r->cookie_value));  // slides to now + 12 h
    clock_.advance_ms(std::chrono::milliseconds(12h).count());
    auto gone = auth_->authenticate_session(r->cookie_value);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, Errc::unauthorized);
    EXPECT_FALSE(db_->users().session(r->session.id_hash));  // removed
}

TEST_F(AuthServiceTest, LogoutEndsTheSession) {
    add("desk@sinmun.example");
    auto r = login("desk@sinmun.example");
    ASSERT_TRUE(r);
    ASSERT_TRUE(auth_->logout(r->cookie_value));
    EXPECT_FALSE(auth_->authenticate_session(r->cookie_value));
    EXPECT_TRUE(auth_->logout(r->cookie_value));  // twice is fine
    EXPECT_TRUE(auth_->logout("garbage"));
}

TEST_F(AuthServiceTest, CsrfMatchesOnlyTheSessionToken) {
    add("desk@sinmun.example");
    auto r = login("desk@sinmun.example");
    ASSERT_TRUE(r);
    const Session& s = r->session;
    EXPECT_TRUE(AuthService::check_csrf(s, s.csrf_token));
    std::string off = s.csrf_token;
    off.back() = off.back() == '0' ? '1' : '0';
    EXPECT_FALSE(AuthService::check_csrf(s, off));
    EXPECT_FALSE(AuthService::check_csrf(s, ""));
    EXPECT_FALSE(AuthService::check_csrf(s, s.csrf_token.substr(1)));
    Session empty;
    EXPECT_FALSE(AuthService::check_csrf(empty, ""));
}

TEST_F(AuthServiceTest, SetPasswordChangesItRevokesSessionsAndUnlocks) {
    add("desk@sinmun.example");
    auto r = login("desk@sinmun.example");
    ASSERT_TRUE(r);
    for (int i = 0; i < 10; ++i) (void)login("desk@sinmun.example", "wrong wrong wrong");
    ASSERT_EQ(login("desk@sinmun.example").error().code, Errc::rate_limited);

    auto too_short = auth_->set_password("desk@sinmun.example", "short");
    ASSERT_FALSE(too_short);
    EXPECT_EQ(too_short.error().code, Errc::invalid_input);

    ASSERT_TRUE(auth_->set_password("desk@sinmun.example", "새 비밀번호는 길다 42"));
    EXPECT_FALSE(auth_->authenticate_session(r->cookie_value));
    EXPECT_EQ(login("desk@sinmun.example").error().code, Errc::unauthorized);  // old one
    EXPECT_TRUE(login("desk@sinmun.example", "새 비밀번호는 길다 42"));

    auto missing = auth_->set_password("nobody@sinmun.example", "long enough 123");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, Errc::not_found);
}

TEST_F(AuthServiceTest, RoleChangeIsAuditedWithActor) {
    User admin = add("admin@sinmun.example", Role::admin);
    add("desk@sinmun.example");
    ASSERT_TRUE(auth_->set_role("desk@sinmun.example", Role::editor, &admin));
    EXPECT_EQ(auth_->user_by_email("desk@sinmun.example")->role, Role::editor);
    auto log = auth_->recent_audit(1);
    ASSERT_TRUE(log);
    ASSERT_EQ(log->size(), 1u);
    EXPECT_EQ((*log)[0].action, "role_change");
    EXPECT_EQ((*log)[0].user_id, admin.id);
    EXPECT_EQ((*log)[0].actor, "admin@sinmun.example");
    EXPECT_NE((*log)[0].detail.find("reporter → editor"), std::string::npos);
}

TEST_F(AuthServiceTest, TokensAuthenticateUntilRevokedAndOnlyHashesAreStored) {
    User u = add("wire@sinmun.example", Role::editor);
    auto t = auth_->create_token("wire@sinmun.example", "연합 와이어");
    ASSERT_TRUE(t) << t.error().message;
    const std::string& plain = t->second;
    ASSERT_EQ(plain.size(), 44u);
    EXPECT_EQ(plain.rfind("snm_", 0), 0u);
    EXPECT_EQ(t->first.token_hash, sha256_hex(plain));
    EXPECT_FALSE(db_->users().token_by_hash(plain));

    auto who = auth_->authenticate_token("Bearer " + plain);
    ASSERT_TRUE(who) << who.error().message;
    EXPECT_EQ(who->id, u.id);
    EXPECT_TRUE(auth_->authenticate_token(plain));
    EXPECT_EQ(db_->users().token_by_hash(t->first.token_hash)->last_used_at, kStart);

    // last_used_at is written at most once a minute.
    clock_.advance_ms(30'000);
    ASSERT_TRUE(auth_->authenticate_token(plain));
    EXPECT_EQ(db_->users().token_by_hash(t->first.token_hash)->last_used_at, kStart);
    clock_.advance_ms(30'000);
    ASSERT_TRUE(auth_->authenticate_token(plain));
    EXPECT_EQ(db_->users().token_by_hash(t->first.token_hash)->last_used_at, kStart + 60'000);

    auto listed = auth_->tokens("wire@sinmun.example");
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].name, "연합 와이어");

    for (std::string bad : {std::string("snm_short"), std::string(), "Bearer " + plain + "x",
                            "snm_" + std::string(40, 'z')}) {
        auto r = auth_->authenticate_token(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, Errc::unauthorized);
    }

    ASSERT_TRUE(auth_->set_disabled("wire@sinmun.example", true));
    EXPECT_EQ(auth_->authenticate_token(plain).error().code, Errc::unauthorized);
    ASSERT_TRUE(auth_->set_disabled("wire@sinmun.example", false));
    EXPECT_TRUE(auth_->authenticate_token(plain));

    ASSERT_TRUE(auth_->revoke_token(t->first.id));
    auto revoked = auth_->authenticate_token(plain);
    ASSERT_FALSE(revoked);
    EXPECT_EQ(revoked.error().code, Errc::unauthorized);
    EXPECT_EQ(auth_->revoke_token(9999).error().code, Errc::not_found);

    const auto log = actions();
    EXPECT_NE(std::find(log.begin(), log.end(), "token_create"), log.end());
    EXPECT_NE(std::find(log.begin(), log.end(), "token_revoke"), log.end());
}

TEST_F(AuthServiceTest, TokenForUnknownOrDisabledUserIsRefused) {
    EXPECT_EQ(auth_->create_token("nobody@sinmun.example", "x").error().code, Errc::not_found);
    add("off@sinmun.example");
    ASSERT_TRUE(auth_->set_disabled("off@sinmun.example", true));
    EXPECT_EQ(auth_->create_token("off@sinmun.example", "x").error().code, Errc::forbidden);
}

TEST_F(AuthServiceTest, PasswordsInOtherUnicodeFormsStillMatch) {
    // "한글비밀번호입니다만" typed as composed syllables, then sent as decomposed jamo (NFD).
    const std::string composed = "한글비밀번호입니다만";
    add("nfc@sinmun.example", Role::reporter, composed);
    const std::string decomposed =
        "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab\xe1\x84\x80\xe1\x85\xb3\xe1\x86\xaf"
        "비밀번호입니다만";
    EXPECT_TRUE(login("nfc@sinmun.example", decomposed));
}

TEST_F(AuthServiceTest, PurgeRemovesExpiredSessions) {
    add("desk@sinmun.example");
    auto r = login("desk@sinmun.example");
    ASSERT_TRUE(r);
    clock_.advance_ms(std::chrono::milliseconds(13h).count());
    ASSERT_TRUE(auth_->purge_expired_sessions());
    EXPECT_FALSE(db_->users().session(r->session.id_hash));
}

}  // namespace
}  // namespace sinmun::auth
