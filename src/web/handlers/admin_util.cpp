// Session, CSRF and page helpers for the newsroom, and the login/logout pages.
#include "web/handlers/admin_util.hpp"

#include "auth/auth_service.hpp"
#include "auth/crypto.hpp"
#include "core/kst.hpp"
#include "core/text.hpp"
#include "store/stores.hpp"
#include "web/errors.hpp"
#include "web/handlers/handler_util.hpp"
#include "web/handlers/services.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>

namespace sinmun::web::admin {

namespace json = boost::json;

namespace {
constexpr std::string_view kLoginCsrfCookie = "sinmun_login";
}

std::vector<std::string> form_values(const Form& form, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& [k, v] : form)
        if (k == name) out.push_back(v);
    return out;
}

std::string form_str(const Form& form, std::string_view name) {
    return form_value(form, name).value_or(std::string{});
}

bool wants_json(const Request& req) {
    return is_api_request(req) || !req.header("X-CSRF-Token").empty() ||
           req.header("Accept").find("application/json") != std::string_view::npos;
}

std::string kst_text(std::int64_t ms) { return ms > 0 ? kst::format_minute(ms) : std::string(); }

std::string status_label(news::ArticleStatus st) { return news::korean_label(st); }

std::string safe_next(std::string_view next) {
    std::string p = safe_back_path(next);
    if (p != "/admin" && !p.starts_with("/admin/") && !p.starts_with("/admin?")) return "/admin";
    return p;
}

void no_store(Response& r) {
    r.set_header("Cache-Control", "no-store");
    r.set_header("Referrer-Policy", "same-origin");
}

std::string error_json(const Error& e) {
    json::object err;
    err["code"] = to_string(e.code);
    err["message"] = e.message;
    json::object o;
    o["error"] = std::move(err);
    return json::serialize(o);
}

std::string session_cookie(std::string_view value, std::int64_t max_age_s, bool secure) {
    std::string c = std::string(auth::kSessionCookie) + "=" + std::string(value) +
                    "; Path=/; Max-Age=" + std::to_string(max_age_s) +
                    "; HttpOnly; SameSite=Strict";
    if (secure) c += "; Secure";
    return c;
}

Result<AdminContext> session_context(AdminServices& s, const Request& req) {
    auto cookie = req.cookie(auth::kSessionCookie);
    if (!cookie || cookie->empty()) return make_error(Errc::unauthorized, "로그인이 필요합니다.");
    auto su = s.auth->authenticate_session(*cookie);
    if (!su) return su.error();
    AdminContext ctx;
    ctx.user = std::move(su->user);
    ctx.session = std::move(su->session);
    ctx.actor.user_id = ctx.user.id;
    ctx.actor.role = ctx.user.role;
    ctx.actor.author_id = ctx.user.author_id;
    ctx.actor.email = ctx.user.email;
    ctx.actor.remote_addr = req.remote_addr;
    return ctx;
}

bool csrf_ok(const AdminContext& ctx, const Request& req, std::string_view form_token) {
    auto header = req.header("X-CSRF-Token");
    return auth::AuthService::check_csrf(ctx.session, header.empty() ? form_token : header);
}

AdminFrame frame_for(AdminServices& s, const AdminContext* ctx, std::string title,
                     std::string active) {
    AdminFrame f;
    f.title = std::move(title);
    f.active = std::move(active);
    if (auto st = s.db->settings().site_settings()) f.site_name = st->site_name;
    if (ctx) {
        f.user_name = ctx->user.name;
        f.role = auth::to_string(ctx->user.role);
        f.role_label = auth::korean_label(ctx->user.role);
        f.csrf = ctx->session.csrf_token;
    }
    return f;
}

Response admin_page(AdminServices& s, std::string_view tpl, const json::object& data,
                    const AdminFrame& frame, int status) {
    json::object with_csrf = data;
    if (!frame.csrf.empty()) with_csrf["csrf"] = frame.csrf;  // every form's hidden field
    Response r = Response::html(status, s.renderer->page(tpl, with_csrf, frame));
    no_store(r);
    return r;
}

Response admin_error(AdminServices& s, const AdminContext* ctx, const Request& req, int status,
                     std::string message) {
    Errc code = status == 401   ? Errc::unauthorized
                : status == 403 ? Errc::forbidden
                : status == 404 ? Errc::not_found
                : status == 409 ? Errc::conflict
                : status == 413 ? Errc::too_large
                : status == 429 ? Errc::rate_limited
                : status >= 500 ? Errc::internal
                                : Errc::invalid_input;
    if (wants_json(req)) {
        Response r = Response::json(status, error_json(make_error(code, message)));
        no_store(r);
        return r;
    }
    json::object d;
    d["status"] = status;
    d["message"] = message;
    std::string title = status == 403   ? "권한이 없습니다"
                        : status == 404 ? "찾을 수 없습니다"
                        : status == 409 ? "충돌이 있습니다"
                        : status == 413 ? "너무 큽니다"
                        : status >= 500 ? "오류가 발생했습니다"
                                        : "요청을 처리할 수 없습니다";
    d["heading"] = title;
    return admin_page(s, "error", d, frame_for(s, ctx, title, ""), status);
}

Response admin_error(AdminServices& s, const AdminContext* ctx, const Request& req,
                     const Error& e) {
    return admin_error(s, ctx, req, http_status(e.code), e.message);
}

std::variant<AdminContext, Response> require_session(AdminServices& s, const Request& req,
                                                     bool state_changing,
                                                     std::string_view form_token) {
    auto ctx = session_context(s, req);
    if (!ctx) {
        if (ctx.error().code == Errc::unavailable) return admin_error(s, nullptr, req, ctx.error());
        if (wants_json(req) || req.method != "GET") {
            if (wants_json(req))
                return admin_error(s, nullptr, req, 401,
                                   "로그인이 필요합니다. 세션이 만료되었을 수 있습니다.");
        }
        std::string next = req.method == "GET" ? req.target : std::string("/admin");
        Response r =
            Response::redirect(303, "/admin/login?next=" + text::percent_encode(safe_next(next)));
        no_store(r);
        return r;
    }
    if (state_changing && !csrf_ok(*ctx, req, form_token))
        return admin_error(s, &*ctx, req, 403,
                           "보안 토큰이 맞지 않습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.");
    return std::move(*ctx);
}

// --- login / logout --------------------------------------------------------------------------

namespace {

Response login_form(AdminServices& s, const Request& req, int status, std::string error,
                    std::string email, std::string next) {
    // Login CSRF: a random value in a SameSite=Strict cookie and in the form (double submit), so a
    // foreign page cannot sign the browser into someone else's account.
    std::string token = auth::random_hex(16);
    json::object d;
    d["email"] = email;
    d["next"] = safe_next(next);
    d["login_csrf"] = token;
    AdminFrame f = frame_for(s, nullptr, "로그인", "login");
    f.error = std::move(error);
    Response r = admin_page(s, "login", d, f, status);
    std::string c = std::string(kLoginCsrfCookie) + "=" + token +
                    "; Path=/admin; Max-Age=3600; HttpOnly; SameSite=Strict";
    if (s.secure_cookies) c += "; Secure";
    r.add_header("Set-Cookie", c);
    return r;
}

}  // namespace

Response login_page(AdminServices& s, Request& req) {
    if (auto ctx = session_context(s, req))
        return Response::redirect(303, safe_next(req.query_param("next").value_or("/admin")));
    return login_form(s, req, 200, {}, {}, req.query_param("next").value_or("/admin"));
}

Response login_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    const std::string email = form_str(form, "email");
    const std::string next = form_str(form, "next");
    auto cookie = req.cookie(kLoginCsrfCookie);
    if (!cookie || cookie->empty() || !auth::constant_time_equal(*cookie, form_str(form, "csrf")))
        return login_form(s, req, 403, "로그인 양식이 만료되었습니다. 다시 입력해 주세요.", email,
                          next);
    auto res =
        s.auth->login(email, form_str(form, "password"), req.remote_addr, req.header("User-Agent"));
    if (!res) {
        const Error& e = res.error();
        int status = http_status(e.code);
        std::string msg = e.message;
        if (e.code == Errc::rate_limited) {
            const auto wait_ms = s.auth->retry_after_ms(email);
            msg = "로그인 시도가 너무 많습니다. 잠시 후 다시 시도해 주세요." +
                  (wait_ms > 0 ? " (" + std::to_string((wait_ms + 999) / 1000) + "초 후)"
                               : std::string());
        }
        Response r = login_form(s, req, status, msg, email, next);
        if (e.code == Errc::rate_limited || e.code == Errc::forbidden) {
            const auto wait_ms = s.auth->retry_after_ms(email);
            if (wait_ms > 0) r.set_header("Retry-After", std::to_string((wait_ms + 999) / 1000));
        }
        return r;
    }
    Response r = Response::redirect(303, safe_next(next));
    no_store(r);
    const auto max_age =
        std::chrono::duration_cast<std::chrono::seconds>(s.auth->options().session_max_ttl).count();
    r.add_header("Set-Cookie", session_cookie(res->cookie_value, max_age, s.secure_cookies));
    r.add_header("Set-Cookie", std::string(kLoginCsrfCookie) +
                                   "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict");
    return r;
}

Response logout_post(AdminServices& s, Request& req) {
    const Form form = parse_form(req.body);
    auto v = require_session(s, req, true, form_str(form, "csrf"));
    if (auto* r = std::get_if<Response>(&v)) {
        // Already signed out: nothing to end.
        if (r->status == 303) return std::move(*r);
        return std::move(*r);
    }
    if (auto c = req.cookie(auth::kSessionCookie)) (void)s.auth->logout(*c);
    Response r = Response::redirect(303, "/admin/login");
    no_store(r);
    r.add_header("Set-Cookie", session_cookie("", 0, s.secure_cookies));
    return r;
}

}  // namespace sinmun::web::admin
