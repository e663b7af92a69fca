// The newsroom's handlers (see admin_services.hpp for the surface and the wiring). Declared here
// so the unit tests can call them with hand-built web::Request values, no sockets.
#pragma once

#include "auth/model.hpp"
#include "core/result.hpp"
#include "news/permissions.hpp"
#include "web/handlers/admin_services.hpp"
#include "web/http.hpp"

#include <string>
#include <string_view>

namespace sinmun::web::admin {

// Who is asking, from the session cookie (pages) or the bearer token (API).
struct AdminContext {
    auth::User user;
    auth::Session session;  // empty for bearer tokens
    news::Actor actor;
    bool via_token = false;
};

// The session behind the request's sinmun_session cookie; unauthorized when none is valid.
Result<AdminContext> session_context(AdminServices& s, const Request& req);
// The CSRF token the request carries: the X-CSRF-Token header, else the form field "csrf"
// (urlencoded or multipart, already parsed by the caller and passed in `form_token`).
bool csrf_ok(const AdminContext& ctx, const Request& req, std::string_view form_token);
// The Set-Cookie value for a session cookie (HttpOnly, SameSite=Strict, Path=/); max_age 0 clears.
std::string session_cookie(std::string_view value, std::int64_t max_age_s, bool secure);

// --- pages (admin_pages.cpp, admin_editor.cpp) ---------------------------------------------------
Response login_page(AdminServices& s, Request& req);
Response login_post(AdminServices& s, Request& req);
Response logout_post(AdminServices& s, Request& req);
Response dashboard_page(AdminServices& s, Request& req);
Response new_article_page(AdminServices& s, Request& req);
Response create_article_post(AdminServices& s, Request& req);
Response edit_article_page(AdminServices& s, Request& req);
Response save_article_post(AdminServices& s, Request& req);  // intent: save/submit/publish/schedule
Response unpublish_post(AdminServices& s, Request& req);
Response correct_post(AdminServices& s, Request& req);
Response autosave_post(AdminServices& s, Request& req);  // JSON answer; sendBeacon-friendly
Response preview_post(AdminServices& s, Request& req);   // HTML fragment
Response photo_upload_post(AdminServices& s, Request& req);
Response history_page(AdminServices& s, Request& req);
Response main_news_page(AdminServices& s, Request& req);
Response main_news_post(AdminServices& s, Request& req);
Response sections_page(AdminServices& s, Request& req);
Response sections_post(AdminServices& s, Request& req);
Response settings_page(AdminServices& s, Request& req);
Response settings_post(AdminServices& s, Request& req);
Response users_page(AdminServices& s, Request& req);
Response users_post(AdminServices& s, Request& req);
Response audit_page(AdminServices& s, Request& req);
Response export_page(AdminServices& s, Request& req);
Response export_csv(AdminServices& s, Request& req);

// --- JSON API (admin_api.cpp) ---------------------------------------------------------------
Response api_create_article(AdminServices& s, Request& req);
Response api_get_article(AdminServices& s, Request& req);
Response api_patch_article(AdminServices& s, Request& req);
Response api_publish_article(AdminServices& s, Request& req);
Response api_unpublish_article(AdminServices& s, Request& req);

}  // namespace sinmun::web::admin
