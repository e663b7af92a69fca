// JSON API and live endpoints: reactions (read, vote as JSON, vote from the no-JS form), the
// market snapshot and the market SSE stream.
#include "core/text.hpp"
#include "market/hub.hpp"
#include "market/market_stream.hpp"
#include "reactions/reaction_service.hpp"
#include "reactions/reader_id.hpp"
#include "render/page_cache.hpp"
#include "store/stores.hpp"
#include "web/errors.hpp"
#include "web/handlers/handler_util.hpp"
#include "web/handlers/pages.hpp"
#include "web/rate_limiter.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cmath>

namespace sinmun::web {

namespace {

constexpr const char* kReaderCookie = "rid";
constexpr std::int64_t kReaderCookieMaxAge = 2LL * 365 * 24 * 3600;

std::string state_json(const reactions::State& st) {
    std::string out = "{\"counts\":{";
    bool first = true;
    for (auto k : reactions::kAllKinds) {
        if (!first) out += ',';
        first = false;
        out += '"';
        out += reactions::to_string(k);
        out += "\":";
        out += std::to_string(st.counts[k]);
    }
    out += "},\"mine\":[";
    first = true;
    for (auto k : st.mine) {
        if (!first) out += ',';
        first = false;
        out += '"';
        out += reactions::to_string(k);
        out += '"';
    }
    out += "]}";
    return out;
}

// The reader's id from the HttpOnly cookie, or a new one (and the Set-Cookie to send).
std::string reader_for(const Request& req, std::string& set_cookie) {
    if (auto c = req.cookie(kReaderCookie); c && reactions::is_valid_reader_id(*c)) return *c;
    std::string id = reactions::new_reader_id();
    set_cookie = make_cookie(kReaderCookie, id, kReaderCookieMaxAge, /*http_only=*/true);
    return id;
}

// Cross-site requests may not vote: when the browser says where the request comes from, it
// must be this site. (The JSON endpoint also needs a non-simple Content-Type, which a foreign
// page cannot send without a CORS preflight we never grant.)
bool same_origin(const Request& req) {
    const auto origin = req.header("Origin");
    if (origin.empty() || origin == "null") return origin.empty();
    const auto host = req.header("Host");
    const auto scheme_end = origin.find("://");
    return scheme_end != std::string_view::npos && origin.substr(scheme_end + 3) == host;
}

std::optional<Response> limit_votes(Services& s, const Request& req) {
    return refuse_if_limited(s.vote_limiter, req,
                             "반응을 너무 빠르게 보내고 있습니다. 잠시 후 다시 시도해 주세요.");
}

void submit_vote(Services& s, const Request& req, reactions::Vote vote, std::string set_cookie,
                 Reply reply, std::function<Response(const reactions::State&)> on_ok) {
    // The callback runs on the group-commit thread after the commit. `req` stays valid until
    // `reply` is called (http.hpp), so it is used by reference rather than copied; the cached
    // pages that show the article's counts are dropped once per batch (ReactionService's
    // around_answers, set up by the site), not here once per vote.
    s.reactions->submit(
        std::move(vote), [&req, on_ok = std::move(on_ok), set_cookie = std::move(set_cookie),
                          reply = std::move(reply)](Result<reactions::State> result) mutable {
            Response r = result ? on_ok(*result) : error_response(result.error(), req);
            if (!set_cookie.empty()) r.add_header("Set-Cookie", std::move(set_cookie));
            reply(std::move(r));
        });
}

}  // namespace

void reactions_get(Services& s, Request& req, Reply reply) {
    const auto id = parse_id(req.param("id"));
    if (!id) return reply(error_response(make_error(Errc::not_found, "no such article"), req));
    std::string reader;
    if (auto c = req.cookie(kReaderCookie); c && reactions::is_valid_reader_id(*c)) reader = *c;
    auto st = s.reactions->state(*id, reader);
    if (!st) return reply(error_response(st.error(), req));
    Response r = Response::json(200, state_json(*st));
    r.set_header("Cache-Control", "private, no-store");
    reply(std::move(r));
}

void reactions_post_json(Services& s, Request& req, Reply reply) {
    const auto id = parse_id(req.param("id"));
    if (!id) return reply(error_response(make_error(Errc::not_found, "no such article"), req));
    if (!same_origin(req))
        return reply(
            error_response(make_error(Errc::forbidden, "cross-site votes are not accepted"), req));
    if (auto limited = limit_votes(s, req)) return reply(std::move(*limited));
    const auto ctype = req.header("Content-Type");
    if (ctype.substr(0, 16) != "application/json")
        return reply(error_response(415, "Content-Type must be application/json", req));

    boost::system::error_code ec;
    const boost::json::value body = boost::json::parse(req.body, ec);
    if (ec)
        return reply(error_response(
            make_error(Errc::invalid_input, "malformed JSON: " + ec.message()), req));
    const auto* obj = body.if_object();
    if (!obj)
        return reply(error_response(
            make_error(Errc::invalid_input,
                       "expected a JSON object like {\"kind\":\"like\",\"on\":true}"),
            req));
    const auto* kind_v = obj->if_contains("kind");
    const auto* on_v = obj->if_contains("on");
    if (!kind_v || !kind_v->is_string())
        return reply(error_response(
            make_error(Errc::invalid_input, "\"kind\" must be one of like, angry, sad, want_more"),
            req));
    const auto kind = reactions::parse_kind(std::string_view(kind_v->get_string()));
    if (!kind)
        return reply(error_response(
            make_error(Errc::invalid_input, "unknown reaction kind '" +
                                                std::string(kind_v->get_string()) +
                                                "'; expected one of like, angry, sad, want_more"),
            req));
    if (!on_v || !on_v->is_bool())
        return reply(
            error_response(make_error(Errc::invalid_input,
                                      "\"on\" must be true (vote) or false (take the vote back)"),
                           req));

    std::string set_cookie;
    reactions::Vote vote{*id, reader_for(req, set_cookie), *kind, on_v->get_bool()};
    submit_vote(s, req, std::move(vote), std::move(set_cookie), std::move(reply),
                [](const reactions::State& st) {
                    Response r = Response::json(200, state_json(st));
                    r.set_header("Cache-Control", "private, no-store");
                    return r;
                });
}

// The no-JavaScript path: a form button toggles the reader's vote, then returns to the article.
void reactions_post_form(Services& s, Request& req, Reply reply) {
    const auto id = parse_id(req.param("id"));
    if (!id)
        return reply(error_response(make_error(Errc::not_found, "기사를 찾을 수 없습니다."), req));
    if (!same_origin(req))
        return reply(error_response(
            make_error(Errc::forbidden, "다른 사이트에서 보낸 반응은 받지 않습니다."), req));
    if (auto limited = limit_votes(s, req)) return reply(std::move(*limited));
    const auto form = parse_form(req.body);
    const auto kind_text = form_value(form, "kind");
    const auto kind = kind_text ? reactions::parse_kind(*kind_text) : std::nullopt;
    if (!kind)
        return reply(
            error_response(make_error(Errc::invalid_input, "알 수 없는 반응입니다."), req));
    std::string set_cookie;
    const std::string reader = reader_for(req, set_cookie);
    auto current = s.reactions->state(*id, reader);
    if (!current) return reply(error_response(current.error(), req));
    const bool has =
        std::find(current->mine.begin(), current->mine.end(), *kind) != current->mine.end();
    std::string back = s.canonical->get(*id);
    if (back.empty()) back = "/article/" + std::to_string(*id);
    reactions::Vote vote{*id, reader, *kind, !has};
    submit_vote(s, req, std::move(vote), std::move(set_cookie), std::move(reply),
                [back](const reactions::State&) {
                    return Response::redirect(303, text::percent_encode_path(back) + "#reactions");
                });
}

Response market_snapshot(Services& s, Request& req) {
    Response r = Response::json(200, market::snapshot_json(*s.hub->snapshot()));
    r.set_header("Cache-Control", "no-cache");
    return r;
}

Response market_stream(Services& s, Request& req) {
    Response r;
    r.stream = std::make_shared<market::MarketStream>(*s.hub);
    return r;
}

}  // namespace sinmun::web
