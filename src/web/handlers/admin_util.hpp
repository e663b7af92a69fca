// Helpers shared by the admin handlers (internal to admin_*.cpp).
#pragma once

#include "news/model.hpp"
#include "web/handlers/admin_handlers.hpp"
#include "web/handlers/admin_render.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sinmun::web::admin {

using Form = std::vector<std::pair<std::string, std::string>>;

// Every value of a repeated form field, in order.
std::vector<std::string> form_values(const Form& form, std::string_view name);
std::string form_str(const Form& form, std::string_view name);

// True when the caller wants JSON (fetch from admin.js: X-CSRF-Token or Accept: application/json).
bool wants_json(const Request& req);

// The admin frame for a signed-in page.
AdminFrame frame_for(AdminServices& s, const AdminContext* ctx, std::string title,
                     std::string active);

// An admin error page (or {"error":…} JSON when wants_json / under /api/).
Response admin_error(AdminServices& s, const AdminContext* ctx, const Request& req, const Error& e);
Response admin_error(AdminServices& s, const AdminContext* ctx, const Request& req, int status,
                     std::string message);

// A signed-in page or form post: either the context, or the response to send instead (303 to the
// login page for pages, 401 JSON for fetch). When `state_changing`, also checks the CSRF token
// (form field "csrf" from `form`, or the X-CSRF-Token header): 403 when it does not match.
std::variant<AdminContext, Response> require_session(AdminServices& s, const Request& req,
                                                     bool state_changing,
                                                     std::string_view form_token = {});

// In a handler with `s` and `req` in scope: declares `AdminContext& ctx` or returns the response
// require_session() gave instead.
#define SINMUN_ADMIN_SESSION(ctx, state_changing, token)                         \
    auto ctx##_v = require_session(s, req, state_changing, token);               \
    if (auto* early = std::get_if<Response>(&ctx##_v)) return std::move(*early); \
    AdminContext& ctx = std::get<AdminContext>(ctx##_v)

// A rendered admin page, never cached.
Response admin_page(AdminServices& s, std::string_view tpl, const boost::json::object& data,
                    const AdminFrame& frame, int status = 200);

// Korean labels and KST text.
std::string kst_text(std::int64_t ms);  // "2026-11-26 10:30" or ""
std::string status_label(news::ArticleStatus st);

// A path to return to after login: a local /admin path, else "/admin".
std::string safe_next(std::string_view next);

// Responses that must not be cached anywhere.
void no_store(Response& r);

// JSON string for an error body: {"error":{"code","message"}}.
std::string error_json(const Error& e);

}  // namespace sinmun::web::admin
