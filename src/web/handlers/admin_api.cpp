// The admin JSON API for wire services and scripts: /api/v1/admin/articles…, authenticated by a
// bearer token (auth::AuthService::authenticate_token). Input is parsed against an allowlist of
// fields (an unknown field is a 400, so a typo is not silently ignored); the Newsroom enforces
// the role rules of the token's user.
#include "auth/auth_service.hpp"
#include "core/kst.hpp"
#include "core/text.hpp"
#include "news/newsroom.hpp"
#include "store/stores.hpp"
#include "web/errors.hpp"
#include "web/handlers/admin_util.hpp"
#include "web/handlers/handler_util.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace sinmun::web::admin {

namespace json = boost::json;

namespace {

Response api_error(const Error& e) {
    Response r = Response::json(http_status(e.code), error_json(e));
    r.set_header("Cache-Control", "no-store");
    if (e.code == Errc::unauthorized) r.set_header("WWW-Authenticate", "Bearer realm=\"sinmun\"");
    return r;
}
Response api_error(Errc code, std::string message) {
    return api_error(make_error(code, std::move(message)));
}

Result<AdminContext> token_context(AdminServices& s, const Request& req) {
    auto header = req.header("Authorization");
    if (header.empty())
        return make_error(Errc::unauthorized,
                          "Authorization: Bearer <token> header required (sinmun token create)");
    if (header.size() < 7 ||
        !(header.substr(0, 7) == "Bearer " || header.substr(0, 7) == "bearer "))
        return make_error(Errc::unauthorized, "Authorization must be \"Bearer <token>\"");
    auto user = s.auth->authenticate_token(header);
    if (!user) return user.error();
    AdminContext ctx;
    ctx.user = std::move(*user);
    ctx.via_token = true;
    ctx.actor.user_id = ctx.user.id;
    ctx.actor.role = ctx.user.role;
    ctx.actor.author_id = ctx.user.author_id;
    ctx.actor.email = ctx.user.email;
    ctx.actor.remote_addr = req.remote_addr;
    return ctx;
}

std::string section_slug(AdminServices& s, std::int64_t id) {
    if (auto secs = s.newsroom->sections())
        for (const auto& sec : *secs)
            if (sec.id == id) return sec.slug;
    return {};
}

json::object article_json(AdminServices& s, const news::Article& a) {
    json::object o;
    o["id"] = a.id;
    o["status"] = news::to_string(a.status);
    o["version"] = a.version;
    o["url"] = a.url_path();
    o["title"] = a.headline;
    o["subtitle"] = a.subtitle;
    o["section"] = section_slug(s, a.section_id);
    o["label"] = a.label;
    json::array labels;
    if (!a.label.empty()) labels.push_back(json::value(a.label));
    o["labels"] = std::move(labels);
    o["body_md"] = a.body_md;
    json::array authors;
    for (const auto& au : a.authors)
        authors.push_back(json::object{{"id", au.id}, {"name", au.name}, {"email", au.email}});
    o["authors"] = std::move(authors);
    json::array photos;
    for (const auto& p : a.photos)
        photos.push_back(json::object{{"id", p.id},
                                      {"src", p.src},
                                      {"width", p.width},
                                      {"height", p.height},
                                      {"caption", p.caption},
                                      {"alt", p.alt},
                                      {"credit", p.credit}});
    o["photos"] = std::move(photos);
    auto iso = [](std::int64_t ms) {
        return ms ? json::value(kst::format_iso8601(ms)) : json::value(nullptr);
    };
    o["created_at"] = iso(a.created_at);
    o["published_at"] = iso(a.published_at);
    o["updated_at"] = iso(a.updated_at);
    o["scheduled_at"] = iso(a.status == news::ArticleStatus::scheduled ? a.scheduled_at : 0);
    json::array corrections;
    for (const auto& c : a.corrections)
        corrections.push_back(json::object{{"type", news::to_string(c.type)},
                                           {"text", c.text},
                                           {"at", kst::format_iso8601(c.at)}});
    o["corrections"] = std::move(corrections);
    return o;
}

Response article_reply(AdminServices& s, int status, const news::Article& a) {
    Response r = Response::json(status, json::serialize(article_json(s, a)));
    r.set_header("Cache-Control", "no-store");
    if (status == 201) r.set_header("Location", "/api/v1/admin/articles/" + std::to_string(a.id));
    return r;
}

Result<json::object> parse_body(const Request& req, bool allow_empty) {
    if (allow_empty && text::trim(req.body).empty()) return json::object{};
    const auto ctype = req.header("Content-Type");
    if (ctype.substr(0, 16) != "application/json")
        return make_error(Errc::invalid_input, "Content-Type must be application/json");
    boost::system::error_code ec;
    json::value v = json::parse(req.body, ec);
    if (ec) return make_error(Errc::invalid_input, "malformed JSON: " + ec.message());
    if (!v.is_object()) return make_error(Errc::invalid_input, "expected a JSON object");
    return std::move(v.get_object());
}

// Applies the allowed fields of `o` onto `in`. `expected` receives "version" when present.
Status apply_fields(AdminServices& s, const json::object& o, news::ArticleInput& in,
                    std::optional<std::int64_t>* expected, bool* confirm) {
    static const std::vector<std::string_view> kAllowed = {
        "title", "headline", "subtitle", "section", "labels",
        "label", "body_md",  "authors",  "version", "confirm_rewrite"};
    for (const auto& [k, v] : o) {
        if (std::find(kAllowed.begin(), kAllowed.end(), std::string_view(k)) == kAllowed.end())
            return make_error(Errc::invalid_input, "unknown field \"" + std::string(k) +
                                                       "\"; allowed: title, subtitle, section, "
                                                       "labels, body_md, authors, version");
    }
    auto str = [&](std::string_view key, std::string& out) -> Status {
        if (const auto* v = o.if_contains(key)) {
            if (!v->is_string())
                return make_error(Errc::invalid_input,
                                  "\"" + std::string(key) + "\" must be a string");
            out = std::string(v->get_string());
        }
        return ok();
    };
    if (auto st = str("title", in.headline); !st) return st;
    if (auto st = str("headline", in.headline); !st) return st;
    if (auto st = str("subtitle", in.subtitle); !st) return st;
    if (auto st = str("body_md", in.body_md); !st) return st;
    if (auto st = str("label", in.label); !st) return st;
    if (const auto* v = o.if_contains("labels")) {
        if (!v->is_array())
            return make_error(Errc::invalid_input, "\"labels\" must be an array of strings");
        const auto& arr = v->get_array();
        if (arr.size() > 1)
            return make_error(Errc::invalid_input, "an article has at most one label (말머리)");
        if (arr.empty()) {
            in.label.clear();
        } else {
            if (!arr[0].is_string())
                return make_error(Errc::invalid_input, "\"labels\" must be an array of strings");
            in.label = std::string(arr[0].get_string());
        }
    }
    if (const auto* v = o.if_contains("section")) {
        if (!v->is_string())
            return make_error(Errc::invalid_input, "\"section\" must be a slug string");
        const std::string slug(v->get_string());
        auto secs = s.newsroom->sections();
        if (!secs) return secs.error();
        auto it = std::find_if(secs->begin(), secs->end(),
                               [&](const news::Section& x) { return x.slug == slug; });
        if (it == secs->end()) {
            std::string known;
            for (const auto& x : *secs) known += (known.empty() ? "" : ", ") + x.slug;
            return make_error(Errc::invalid_input,
                              "unknown section \"" + slug + "\"; known: " + known);
        }
        in.section_id = it->id;
    }
    if (const auto* v = o.if_contains("authors")) {
        if (!v->is_array())
            return make_error(Errc::invalid_input,
                              "\"authors\" must be an array of author ids or e-mails");
        auto all = s.db->articles().authors();
        if (!all) return all.error();
        in.author_ids.clear();
        for (const auto& e : v->get_array()) {
            std::int64_t id = 0;
            if (e.is_int64() && e.get_int64() > 0) {
                id = e.get_int64();
            } else if (e.is_string()) {
                const std::string key(e.get_string());
                for (const auto& a : *all)
                    if (a.email == key || a.name == key) id = a.id;
            }
            if (!id || std::none_of(all->begin(), all->end(),
                                    [&](const news::Author& a) { return a.id == id; }))
                return make_error(Errc::invalid_input, "unknown author " + json::serialize(e));
            if (std::find(in.author_ids.begin(), in.author_ids.end(), id) == in.author_ids.end())
                in.author_ids.push_back(id);
        }
    }
    if (const auto* v = o.if_contains("version")) {
        if (!v->is_int64() || v->get_int64() < 0)
            return make_error(Errc::invalid_input, "\"version\" must be a non-negative integer");
        if (expected) *expected = v->get_int64();
    }
    if (const auto* v = o.if_contains("confirm_rewrite")) {
        if (!v->is_bool())
            return make_error(Errc::invalid_input, "\"confirm_rewrite\" must be true or false");
        if (confirm) *confirm = v->get_bool();
    }
    return ok();
}

// The article an API call names (/{id}) and who calls: the token checked first, then the id.
struct ApiTarget {
    AdminContext ctx;
    std::int64_t id = 0;
};

Result<ApiTarget> api_target(AdminServices& s, const Request& req) {
    auto ctx = token_context(s, req);
    if (!ctx) return ctx.error();
    auto id = parse_id(req.param("id"));
    if (!id) return make_error(Errc::not_found, "no such article");
    return ApiTarget{std::move(*ctx), *id};
}

// The one optional string field an action's body may carry (`at` of publish, `reason` of
// unpublish): its value, or nullopt when absent or null. Any other field is refused by name.
Result<std::optional<std::string>> single_string_field(const boost::json::object& body,
                                                       std::string_view key,
                                                       std::string_view what) {
    std::optional<std::string> out;
    for (const auto& [k, v] : body) {
        if (k != key)
            return make_error(Errc::invalid_input, "unknown field \"" + std::string(k) +
                                                       "\"; allowed: " + std::string(key));
        if (v.is_null()) continue;
        if (!v.is_string())
            return make_error(Errc::invalid_input,
                              "\"" + std::string(key) + "\" must be " + std::string(what));
        out = std::string(v.get_string());
    }
    return out;
}

void changed(AdminServices& s, const news::Article& a) {
    if (s.invalidate_article) s.invalidate_article(a.id);
}

}  // namespace

Response api_create_article(AdminServices& s, Request& req) {
    auto ctx = token_context(s, req);
    if (!ctx) return api_error(ctx.error());
    auto body = parse_body(req, false);
    if (!body) return api_error(body.error());
    news::ArticleInput in;
    if (auto st = apply_fields(s, *body, in, nullptr, nullptr); !st) return api_error(st.error());
    if (!body->if_contains("section"))
        return api_error(Errc::invalid_input, "\"section\" (a section slug) is required");
    auto a = s.newsroom->create_draft(ctx->actor, in);
    if (!a) return api_error(a.error());
    return article_reply(s, 201, *a);
}

Response api_get_article(AdminServices& s, Request& req) {
    auto t = api_target(s, req);
    if (!t) return api_error(t.error());
    auto a = s.newsroom->article(t->ctx.actor, t->id);
    if (!a) return api_error(a.error());
    return article_reply(s, 200, *a);
}

Response api_patch_article(AdminServices& s, Request& req) {
    auto t = api_target(s, req);
    if (!t) return api_error(t.error());
    auto body = parse_body(req, false);
    if (!body) return api_error(body.error());
    auto current = s.newsroom->article(t->ctx.actor, t->id);
    if (!current) return api_error(current.error());
    news::ArticleInput in = news::ArticleInput::of(*current);
    std::optional<std::int64_t> expected;
    bool confirm = false;
    if (auto st = apply_fields(s, *body, in, &expected, &confirm); !st)
        return api_error(st.error());
    auto a =
        s.newsroom->update(t->ctx.actor, t->id, in, expected.value_or(current->version), confirm);
    if (!a) return api_error(a.error());
    if (a->status == news::ArticleStatus::published) changed(s, *a);
    return article_reply(s, 200, *a);
}

Response api_publish_article(AdminServices& s, Request& req) {
    auto t = api_target(s, req);
    if (!t) return api_error(t.error());
    auto body = parse_body(req, true);
    if (!body) return api_error(body.error());
    auto at_text = single_string_field(*body, "at", "an ISO 8601 time string");
    if (!at_text) return api_error(at_text.error());
    std::optional<std::int64_t> at;
    if (*at_text) {
        at = kst::parse(std::string_view(**at_text));
        if (!at)
            return api_error(Errc::invalid_input,
                             "\"at\" must be ISO 8601, e.g. 2026-11-26T09:00:00+09:00");
    }
    auto a = s.newsroom->publish(t->ctx.actor, t->id, at);
    if (!a) return api_error(a.error());
    changed(s, *a);
    return article_reply(s, 200, *a);
}

Response api_unpublish_article(AdminServices& s, Request& req) {
    auto t = api_target(s, req);
    if (!t) return api_error(t.error());
    auto body = parse_body(req, true);
    if (!body) return api_error(body.error());
    auto given = single_string_field(*body, "reason", "a string");
    if (!given) return api_error(given.error());
    std::string reason = given->value_or("");
    if (reason.empty()) reason = "API";
    auto a = s.newsroom->unpublish(t->ctx.actor, t->id, reason);
    if (!a) return api_error(a.error());
    changed(s, *a);
    return article_reply(s, 200, *a);
}

}  // namespace sinmun::web::admin
