// The newsroom handlers over a real temp SQLite database, called through the router with
// hand-built web::Request values (no sockets): login and sessions, CSRF, role refusals, the
// editor workflow, conflicts, preview, uploads refused by the media pipeline, and the JSON API.
#include "auth/auth_service.hpp"
#include "news/newsroom.hpp"
#include "render/renderer.hpp"
#include "store/stores.hpp"
#include "web/handlers/admin_handlers.hpp"
#include "web/handlers/admin_render.hpp"
#include "web/router.hpp"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

using namespace sinmun;
using namespace sinmun::web;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// Cheap argon2id (256 KiB, one pass) for the many users these tests make: behaviour, not cost,
// is under test here (crypto_test checks the production cost).
const auth::AuthOptions kCheapHashes{.password_cost = {.time_cost = 1, .memory_kib = 256}};

std::string source_dir() {
    const char* env = std::getenv("SINMUN_SOURCE_DIR");
    return env && *env ? env : ".";
}

std::string cookie_value(const Response& r, std::string_view name) {
    for (const auto& h : r.headers) {
        if (h.name != "Set-Cookie") continue;
        if (h.value.rfind(std::string(name) + "=", 0) != 0) continue;
        auto end = h.value.find(';');
        return h.value.substr(name.size() + 1, end - name.size() - 1);
    }
    return {};
}

std::string set_cookie_header(const Response& r, std::string_view name) {
    for (const auto& h : r.headers)
        if (h.name == "Set-Cookie" && h.value.rfind(std::string(name) + "=", 0) == 0)
            return h.value;
    return {};
}

std::string enc(std::string_view s) {
    std::string out;
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

struct Session {
    std::string cookie;
    std::string csrf;
};

class AdminHandlers : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sinmun-admin-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "media");
        store::SqliteOptions o;
        o.path = (dir_ / "t.db").string();
        auto db = store::open_sqlite(o);
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
        ASSERT_TRUE(db_->articles().save_section({0, "politics", "정치", 1}));
        ASSERT_TRUE(db_->articles().save_section({0, "society", "사회", 2}));
        auth_ = std::make_unique<auth::AuthService>(*db_, clock_, kCheapHashes);
        newsroom_ = std::make_unique<news::Newsroom>(*db_, clock_);
        auto reader =
            render::Renderer::create({source_dir() + "/templates", source_dir() + "/assets"});
        ASSERT_TRUE(reader) << reader.error().message;
        auto admin =
            admin::AdminRenderer::create(source_dir() + "/templates", (*reader)->assets_ptr());
        ASSERT_TRUE(admin) << admin.error().message;
        s_.clock = &clock_;
        s_.db = db_.get();
        s_.auth = auth_.get();
        s_.newsroom = newsroom_.get();
        s_.renderer = *admin;
        s_.reader_renderer = *reader;
        s_.media_dir = (dir_ / "media").string();
        s_.invalidate_article = [this](std::int64_t id) { invalidated_.push_back(id); };
        admin::add_admin_routes(router_, s_);

        for (auto [email, name, role] :
             {std::tuple{"reporter@sinmun.example", "김기자", auth::Role::reporter},
              std::tuple{"editor@sinmun.example", "이데스크", auth::Role::editor},
              std::tuple{"admin@sinmun.example", "박관리", auth::Role::admin}}) {
            auto u = auth_->create_user(email, name, role, kPassword);
            ASSERT_TRUE(u) << u.error().message;
        }
    }
    void TearDown() override {
        newsroom_.reset();
        auth_.reset();
        db_.reset();
        fs::remove_all(dir_);
    }

    Response call(std::string method, std::string target, std::string body = {},
                  std::vector<Header> headers = {}) {
        Request req;
        req.method = std::move(method);
        req.target = target;
        auto q = target.find('?');
        req.path = target.substr(0, q);
        if (q != std::string::npos) req.query = target.substr(q + 1);
        req.headers = std::move(headers);
        req.body = std::move(body);
        req.remote_addr = "127.0.0.1";
        std::optional<Response> out;
        router_.dispatch(req, [&](Response r) { out = std::move(r); });
        EXPECT_TRUE(out.has_value());
        return out ? std::move(*out) : Response{};
    }

    Session login(const std::string& email) {
        auto r = auth_->login(email, kPassword, "127.0.0.1", "test");
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return {r->cookie_value, r->session.csrf_token};
    }

    Response form(const Session& who, std::string method, std::string target, std::string body,
                  bool with_csrf = true) {
        if (with_csrf) body = "csrf=" + enc(who.csrf) + (body.empty() ? "" : "&" + body);
        return call(std::move(method), std::move(target), std::move(body),
                    {{"Cookie", "sinmun_session=" + who.cookie},
                     {"Content-Type", "application/x-www-form-urlencoded"}});
    }

    std::int64_t section_id(std::string_view slug) {
        for (const auto& s : *db_->articles().sections())
            if (s.slug == slug) return s.id;
        return 0;
    }

    // A draft by the reporter through the form; returns its id.
    std::int64_t create_draft(const Session& who, std::string headline, std::string body_md) {
        auto r = form(who, "POST", "/admin/articles",
                      "headline=" + enc(headline) + "&section=" +
                          std::to_string(section_id("politics")) + "&body_md=" + enc(body_md));
        EXPECT_EQ(r.status, 303) << r.body;
        auto loc = std::string(r.header("Location"));
        auto p = loc.find("/admin/articles/");
        EXPECT_NE(p, std::string::npos) << loc;
        return std::stoll(loc.substr(p + 16));
    }

    news::Actor actor_of(std::string_view email) {
        auto u = auth_->user_by_email(email);
        news::Actor a;
        a.user_id = u->id;
        a.role = u->role;
        a.author_id = u->author_id;
        a.email = u->email;
        return a;
    }

    static constexpr const char* kPassword = "correct horse battery";
    fs::path dir_;
    ManualClock clock_{1'790'000'000'000};  // 2026-09
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<auth::AuthService> auth_;
    std::unique_ptr<news::Newsroom> newsroom_;
    admin::AdminServices s_;
    Router router_;
    std::vector<std::int64_t> invalidated_;
};

}  // namespace

TEST_F(AdminHandlers, SignedOutPagesRedirectToLoginWithNext) {
    auto r = call("GET", "/admin/articles/new");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), "/admin/login?next=%2Fadmin%2Farticles%2Fnew");
    // A fetch gets JSON 401 instead of a redirect.
    r = call("POST", "/admin/preview", "", {{"X-CSRF-Token", "x"}});
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("\"unauthorized\""), std::string::npos);
}

TEST_F(AdminHandlers, LoginSetsAStrictHttpOnlySessionCookie) {
    auto page = call("GET", "/admin/login?next=/admin/main-news");
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("뉴스룸 로그인"), std::string::npos);
    const std::string token = cookie_value(page, "sinmun_login");
    ASSERT_FALSE(token.empty());

    // Without the login form token: refused.
    auto r =
        call("POST", "/admin/login", "email=editor%40sinmun.example&password=" + enc(kPassword),
             {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 403);

    // Wrong password: 401 and one message for both unknown e-mail and wrong password.
    r = call("POST", "/admin/login",
             "csrf=" + token + "&email=editor%40sinmun.example&password=wrong-password-1",
             {{"Cookie", "sinmun_login=" + token}});
    EXPECT_EQ(r.status, 401);
    EXPECT_TRUE(cookie_value(r, "sinmun_session").empty());

    r = call(
        "POST", "/admin/login",
        "csrf=" + token +
            "&next=%2Fadmin%2Fmain-news&email=editor%40sinmun.example&password=" + enc(kPassword),
        {{"Cookie", "sinmun_login=" + token}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), "/admin/main-news");
    const std::string sc = set_cookie_header(r, "sinmun_session");
    EXPECT_NE(sc.find("HttpOnly"), std::string::npos);
    EXPECT_NE(sc.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(sc.find("Max-Age="), std::string::npos);
    const std::string session = cookie_value(r, "sinmun_session");
    auto dash = call("GET", "/admin", "", {{"Cookie", "sinmun_session=" + session}});
    EXPECT_EQ(dash.status, 200);
    EXPECT_NE(dash.body.find("이데스크"), std::string::npos);
    EXPECT_EQ(dash.header("Cache-Control"), "no-store");
}

TEST_F(AdminHandlers, LoginNeverRedirectsOffSite) {
    auto page = call("GET", "/admin/login");
    const std::string token = cookie_value(page, "sinmun_login");
    auto r = call("POST", "/admin/login",
                  "csrf=" + token + "&next=" + enc("//evil.example/x") +
                      "&email=editor%40sinmun.example&password=" + enc(kPassword),
                  {{"Cookie", "sinmun_login=" + token}});
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), "/admin");
}

TEST_F(AdminHandlers, RepeatedFailuresAreThrottledWithAMessage) {
    auto page = call("GET", "/admin/login");
    const std::string token = cookie_value(page, "sinmun_login");
    Response r;
    for (int i = 0; i < 6; ++i)
        r = call("POST", "/admin/login",
                 "csrf=" + token + "&email=editor%40sinmun.example&password=wrong-password-1",
                 {{"Cookie", "sinmun_login=" + token}});
    EXPECT_EQ(r.status, 429);
    EXPECT_NE(r.body.find("잠시 후 다시 시도"), std::string::npos);
}

TEST_F(AdminHandlers, StateChangesNeedTheCsrfToken) {
    auto rep = login("reporter@sinmun.example");
    auto r = form(rep, "POST", "/admin/articles", "headline=x&body_md=y", /*with_csrf=*/false);
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("보안 토큰"), std::string::npos);
    // Another session's token does not work either.
    auto ed = login("editor@sinmun.example");
    r = call("POST", "/admin/articles", "csrf=" + enc(ed.csrf) + "&headline=x",
             {{"Cookie", "sinmun_session=" + rep.cookie}});
    EXPECT_EQ(r.status, 403);
    // Logout needs it too.
    r = call("POST", "/admin/logout", "", {{"Cookie", "sinmun_session=" + rep.cookie}});
    EXPECT_EQ(r.status, 403);
    r = form(rep, "POST", "/admin/logout", "");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(call("GET", "/admin", "", {{"Cookie", "sinmun_session=" + rep.cookie}}).status, 303);
}

TEST_F(AdminHandlers, ReporterDraftsSubmitsButCannotPublish) {
    auto rep = login("reporter@sinmun.example");
    const auto id = create_draft(rep, "서울시 AI 특구 지정", "첫 문단.\n\n둘째 문단.");
    auto edit = call("GET", "/admin/articles/" + std::to_string(id) + "/edit", "",
                     {{"Cookie", "sinmun_session=" + rep.cookie}});
    ASSERT_EQ(edit.status, 200);
    EXPECT_NE(edit.body.find("서울시 AI 특구 지정"), std::string::npos);
    EXPECT_NE(edit.body.find("검토 요청"), std::string::npos);
    EXPECT_EQ(edit.body.find("id=\"btn-publish\""), std::string::npos);  // no 게재 button

    const std::string base = "/admin/articles/" + std::to_string(id) + "/save";
    auto a = newsroom_->article(actor_of("reporter@sinmun.example"), id);
    ASSERT_TRUE(a);
    const std::string fields =
        "version=" + std::to_string(a->version) + "&headline=" + enc(a->headline) +
        "&section=" + std::to_string(a->section_id) + "&body_md=" + enc(a->body_md);
    // The domain refuses the reporter's publish with 403 and its message.
    auto r = form(rep, "POST", base, fields + "&intent=publish");
    EXPECT_EQ(r.status, 403);
    r = form(rep, "POST", base, fields + "&intent=submit");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(newsroom_->article(actor_of("reporter@sinmun.example"), id)->status,
              news::ArticleStatus::review);

    // The dashboard shows the reporter their article as 검토 대기/요청.
    auto dash = call("GET", "/admin", "", {{"Cookie", "sinmun_session=" + rep.cookie}});
    EXPECT_NE(dash.body.find("서울시 AI 특구 지정"), std::string::npos);
    // Admin-only pages are 403 for a reporter.
    EXPECT_EQ(
        call("GET", "/admin/settings", "", {{"Cookie", "sinmun_session=" + rep.cookie}}).status,
        403);
    EXPECT_EQ(
        call("GET", "/admin/main-news", "", {{"Cookie", "sinmun_session=" + rep.cookie}}).status,
        403);
}

TEST_F(AdminHandlers, EditorPublishesCorrectsAndUnpublishes) {
    auto rep = login("reporter@sinmun.example");
    auto ed = login("editor@sinmun.example");
    const auto id = create_draft(rep, "한강 다리 점검 결과", "본문입니다. 점검 결과 이상 없음.");
    auto a = newsroom_->article(actor_of("editor@sinmun.example"), id);
    const std::string sid = std::to_string(id);
    auto r = form(ed, "POST", "/admin/articles/" + sid + "/save",
                  "intent=publish&version=" + std::to_string(a->version) +
                      "&headline=" + enc(a->headline) +
                      "&section=" + std::to_string(a->section_id) + "&body_md=" + enc(a->body_md));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), "/admin/articles/" + sid + "/edit?notice=published");
    a = newsroom_->article(actor_of("editor@sinmun.example"), id);
    EXPECT_EQ(a->status, news::ArticleStatus::published);
    EXPECT_NE(std::find(invalidated_.begin(), invalidated_.end(), id), invalidated_.end());

    r = form(ed, "POST", "/admin/articles/" + sid + "/correct",
             "type=correction&text=" + enc("점검 일자를 바로잡습니다."));
    ASSERT_EQ(r.status, 303) << r.body;
    a = newsroom_->article(actor_of("editor@sinmun.example"), id);
    ASSERT_EQ(a->corrections.size(), 1u);
    EXPECT_EQ(a->corrections[0].text, "점검 일자를 바로잡습니다.");

    // The reporter may not correct or unpublish.
    EXPECT_EQ(form(rep, "POST", "/admin/articles/" + sid + "/unpublish", "reason=x").status, 403);

    r = form(ed, "POST", "/admin/articles/" + sid + "/unpublish", "reason=" + enc("오보"));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(newsroom_->article(actor_of("editor@sinmun.example"), id)->status,
              news::ArticleStatus::unpublished);

    auto hist = call("GET", "/admin/articles/" + sid + "/history", "",
                     {{"Cookie", "sinmun_session=" + ed.cookie}});
    ASSERT_EQ(hist.status, 200);
    EXPECT_NE(hist.body.find("reporter@sinmun.example"), std::string::npos);
    EXPECT_NE(hist.body.find("editor@sinmun.example"), std::string::npos);
}

TEST_F(AdminHandlers, StaleVersionAndRewriteConflictsKeepTheTypedText) {
    auto ed = login("editor@sinmun.example");
    const auto id =
        create_draft(ed, "제목", "가나다라마바사 아자차카타파하 원래 본문이 충분히 깁니다.");
    const std::string sid = std::to_string(id);
    auto a = newsroom_->article(actor_of("editor@sinmun.example"), id);
    auto save = [&](std::int64_t version, std::string body, std::string extra = {}) {
        return form(ed, "POST", "/admin/articles/" + sid + "/save",
                    "intent=save&version=" + std::to_string(version) + "&headline=" + enc("제목") +
                        "&section=" + std::to_string(a->section_id) + "&body_md=" + enc(body) +
                        extra);
    };
    ASSERT_EQ(save(a->version, a->body_md + " 추가 문장.").status, 303);
    // The old version again: stale.
    auto r = save(a->version, "내가 쓴 다른 본문");
    EXPECT_EQ(r.status, 409);
    EXPECT_NE(r.body.find("다른 사람이 먼저"), std::string::npos);
    EXPECT_NE(r.body.find("내가 쓴 다른 본문"), std::string::npos);

    // Publish, then rewrite most of the body: the confirmation dialog.
    a = newsroom_->article(actor_of("editor@sinmun.example"), id);
    ASSERT_TRUE(newsroom_->publish(actor_of("editor@sinmun.example"), id));
    a = newsroom_->article(actor_of("editor@sinmun.example"), id);
    const std::string rewrite = "완전히 새로운 내용으로 기사를 다시 썼습니다. 전혀 다른 이야기.";
    r = save(a->version, rewrite);
    EXPECT_EQ(r.status, 409);
    EXPECT_NE(r.body.find("rewrite-dialog"), std::string::npos);
    EXPECT_NE(r.body.find("완전히 새로운 내용"), std::string::npos);
    r = save(a->version, rewrite, "&confirm_rewrite=1");
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(newsroom_->article(actor_of("editor@sinmun.example"), id)->body_md, rewrite);
}

TEST_F(AdminHandlers, PreviewIsTheReaderArticleMarkup) {
    auto rep = login("reporter@sinmun.example");
    auto r = call("POST", "/admin/preview",
                  "headline=" + enc("미리 보기 제목") +
                      "&section=" + std::to_string(section_id("society")) +
                      "&body_md=" + enc("**굵은** 문단\n\n둘째 <script>x</script>"),
                  {{"Cookie", "sinmun_session=" + rep.cookie}, {"X-CSRF-Token", rep.csrf}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body.rfind("<article class=\"article\"", 0), 0u) << r.body;
    EXPECT_NE(r.body.find("미리 보기 제목"), std::string::npos);
    EXPECT_NE(r.body.find("<strong>굵은</strong>"), std::string::npos);
    EXPECT_EQ(r.body.find("<script>"), std::string::npos);
    EXPECT_NE(r.body.find("사회"), std::string::npos);
}

TEST_F(AdminHandlers, AutosaveSavesDraftsOnly) {
    auto rep = login("reporter@sinmun.example");
    const auto id = create_draft(rep, "자동 저장", "처음");
    const std::string sid = std::to_string(id);
    auto a = newsroom_->article(actor_of("reporter@sinmun.example"), id);
    auto r = form(rep, "POST", "/admin/articles/" + sid + "/autosave",
                  "version=" + std::to_string(a->version) + "&headline=" + enc("자동 저장") +
                      "&section=" + std::to_string(a->section_id) +
                      "&body_md=" + enc("처음\n\n한글 둘째 문단"));
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = json::parse(r.body).as_object();
    EXPECT_TRUE(j["saved"].as_bool());
    EXPECT_EQ(j["version"].as_int64(), a->version + 1);
    EXPECT_EQ(newsroom_->article(actor_of("reporter@sinmun.example"), id)->body_md,
              "처음\n\n한글 둘째 문단");
}

TEST_F(AdminHandlers, UploadsThatAreNotImagesAreRefusedWithAMessage) {
    auto rep = login("reporter@sinmun.example");
    const auto id = create_draft(rep, "사진 기사", "본문");
    const std::string b = "XyZb0undary";
    std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" +
                       rep.csrf + "\r\n--" + b +
                       "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"shell.jpg\""
                       "\r\nContent-Type: image/jpeg\r\n\r\n<?php system($_GET['c']); ?>\r\n--" +
                       b + "--\r\n";
    auto r = call("POST", "/admin/articles/" + std::to_string(id) + "/photos", body,
                  {{"Cookie", "sinmun_session=" + rep.cookie},
                   {"Content-Type", "multipart/form-data; boundary=" + b},
                   {"Accept", "application/json"}});
    EXPECT_EQ(r.status, 400) << r.body;
    auto j = json::parse(r.body).as_object();
    EXPECT_FALSE(std::string(j["error"].as_object()["message"].as_string()).empty());
    EXPECT_TRUE(newsroom_->article(actor_of("reporter@sinmun.example"), id)->photos.empty());

    // A malformed body is a 400, never a crash.
    r = call("POST", "/admin/articles/" + std::to_string(id) + "/photos", "--" + b + "\r\njunk",
             {{"Cookie", "sinmun_session=" + rep.cookie},
              {"Content-Type", "multipart/form-data; boundary=" + b},
              {"X-CSRF-Token", rep.csrf}});
    EXPECT_EQ(r.status, 400);
}

TEST_F(AdminHandlers, SettingsAreForAdmins) {
    auto ed = login("editor@sinmun.example");
    auto ad = login("admin@sinmun.example");
    EXPECT_EQ(form(ed, "POST", "/admin/settings", "site_name=x").status, 403);
    auto r = form(ad, "POST", "/admin/settings",
                  "site_name=" + enc("새신문") + "&youth_officer=" + enc("정보호"));
    ASSERT_EQ(r.status, 303) << r.body;
    auto st = db_->settings().site_settings();
    EXPECT_EQ(st->site_name, "새신문");
    EXPECT_EQ(st->youth_officer, "정보호");
    auto page = call("GET", "/admin/settings", "", {{"Cookie", "sinmun_session=" + ad.cookie}});
    EXPECT_NE(page.body.find("정보호"), std::string::npos);
}

TEST_F(AdminHandlers, AdminsManageUsers) {
    auto ad = login("admin@sinmun.example");
    auto r = form(ad, "POST", "/admin/users",
                  "op=create&email=new%40sinmun.example&name=" + enc("새기자") +
                      "&role=reporter&password=" + enc("a-long-password"));
    ASSERT_EQ(r.status, 303) << r.body;
    r = form(ad, "POST", "/admin/users", "op=role&email=new%40sinmun.example&role=editor");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(auth_->user_by_email("new@sinmun.example")->role, auth::Role::editor);
    r = form(ad, "POST", "/admin/users", "op=disable&email=new%40sinmun.example");
    ASSERT_EQ(r.status, 303);
    EXPECT_TRUE(auth_->user_by_email("new@sinmun.example")->disabled);
    // An editor cannot.
    auto ed = login("editor@sinmun.example");
    EXPECT_EQ(form(ed, "POST", "/admin/users", "op=disable&email=admin%40sinmun.example").status,
              403);
}

TEST_F(AdminHandlers, ApiNeedsABearerToken) {
    auto r = call("POST", "/api/v1/admin/articles", "{}", {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("\"unauthorized\""), std::string::npos);
    r = call("GET", "/api/v1/admin/articles/1", "", {{"Authorization", "Bearer snm_nope"}});
    EXPECT_EQ(r.status, 401);
}

TEST_F(AdminHandlers, ApiCreatesPatchesPublishesAndUnpublishes) {
    auto tok = auth_->create_token("editor@sinmun.example", "wire");
    ASSERT_TRUE(tok) << tok.error().message;
    const std::vector<Header> h = {{"Authorization", "Bearer " + tok->second},
                                   {"Content-Type", "application/json"}};
    auto r = call(
        "POST", "/api/v1/admin/articles",
        R"({"title":"연합 속보","subtitle":"부제","section":"politics","labels":["속보"],"body_md":"본문 첫 문단."})",
        h);
    ASSERT_EQ(r.status, 201) << r.body;
    auto j = json::parse(r.body).as_object();
    const auto id = j["id"].as_int64();
    EXPECT_EQ(j["status"].as_string(), "draft");
    EXPECT_EQ(j["label"].as_string(), "속보");
    EXPECT_EQ(r.header("Location"), "/api/v1/admin/articles/" + std::to_string(id));
    const std::string path = "/api/v1/admin/articles/" + std::to_string(id);

    r = call("PATCH", path, R"({"subtitle":"바뀐 부제"})", h);
    ASSERT_EQ(r.status, 200) << r.body;
    j = json::parse(r.body).as_object();
    EXPECT_EQ(j["subtitle"].as_string(), "바뀐 부제");
    EXPECT_EQ(j["title"].as_string(), "연합 속보");
    // A stale version: 409.
    r = call("PATCH", path, R"({"subtitle":"x","version":1})", h);
    EXPECT_EQ(r.status, 409) << r.body;
    // Unknown field and bad JSON: 400.
    EXPECT_EQ(call("PATCH", path, R"({"titel":"x"})", h).status, 400);
    EXPECT_EQ(call("PATCH", path, "{", h).status, 400);
    EXPECT_EQ(
        call("POST", "/api/v1/admin/articles", R"({"title":"x","section":"nope","body_md":"y"})", h)
            .status,
        400);

    r = call("POST", path + "/publish", "", h);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).as_object()["status"].as_string(), "published");
    r = call("POST", path + "/unpublish", R"({"reason":"중복"})", h);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).as_object()["status"].as_string(), "unpublished");

    // Schedule with an ISO 8601 time.
    r = call("POST", path + "/publish", R"({"at":"2030-01-02T09:00:00+09:00"})", h);
    ASSERT_EQ(r.status, 200) << r.body;
    j = json::parse(r.body).as_object();
    EXPECT_EQ(j["status"].as_string(), "scheduled");
    EXPECT_EQ(j["scheduled_at"].as_string(), "2030-01-02T09:00:00+09:00");
    EXPECT_EQ(call("POST", path + "/publish", R"({"at":"tomorrow"})", h).status, 400);
    EXPECT_EQ(call("GET", "/api/v1/admin/articles/999999", "", h).status, 404);
}

TEST_F(AdminHandlers, ApiRefusesAReporterPublishing) {
    auto tok = auth_->create_token("reporter@sinmun.example", "script");
    ASSERT_TRUE(tok);
    const std::vector<Header> h = {{"Authorization", "Bearer " + tok->second},
                                   {"Content-Type", "application/json"}};
    auto r = call("POST", "/api/v1/admin/articles",
                  R"({"title":"기자 초안","section":"society","body_md":"본문"})", h);
    ASSERT_EQ(r.status, 201) << r.body;
    const auto id = json::parse(r.body).as_object()["id"].as_int64();
    r = call("POST", "/api/v1/admin/articles/" + std::to_string(id) + "/publish", "", h);
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("\"forbidden\""), std::string::npos);
}

TEST_F(AdminHandlers, MainNewsPinsAndExport) {
    auto ed = login("editor@sinmun.example");
    const auto id = create_draft(ed, "고정할 기사", "본문");
    ASSERT_TRUE(newsroom_->publish(actor_of("editor@sinmun.example"), id));
    auto r = form(ed, "POST", "/admin/main-news", "op=add&add_id=" + std::to_string(id));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(newsroom_->article(actor_of("editor@sinmun.example"), id)->pin_rank, 1);
    auto page = call("GET", "/admin/main-news", "", {{"Cookie", "sinmun_session=" + ed.cookie}});
    EXPECT_NE(page.body.find("고정할 기사"), std::string::npos);

    auto csv = call("GET", "/admin/export.csv?from=2020-01-01&to=2030-12-31", "",
                    {{"Cookie", "sinmun_session=" + ed.cookie}});
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_NE(csv.header("Content-Type").find("text/csv"), std::string::npos);
    EXPECT_NE(csv.body.find("고정할 기사"), std::string::npos);
    EXPECT_EQ(call("GET", "/admin/export.csv?from=bad&to=2030-12-31", "",
                   {{"Cookie", "sinmun_session=" + ed.cookie}})
                  .status,
              400);
    auto audit = call("GET", "/admin/audit", "", {{"Cookie", "sinmun_session=" + ed.cookie}});
    EXPECT_EQ(audit.status, 200);
    EXPECT_NE(audit.body.find("publish"), std::string::npos);
}
