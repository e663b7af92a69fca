#include "web/handlers/handler_util.hpp"

#include "core/text.hpp"
#include "market/hub.hpp"
#include "web/errors.hpp"
#include "web/rate_limiter.hpp"

#include <charconv>
#include <cmath>

namespace sinmun::web {

std::optional<std::int64_t> parse_id(std::string_view text) {
    if (text.empty() || text.size() > 18 || text[0] == '0') return std::nullopt;
    std::int64_t v = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (r.ec != std::errc{} || r.ptr != text.data() + text.size() || v <= 0) return std::nullopt;
    return v;
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        const auto eq = pair.find('=');
        if (!pair.empty())
            out.emplace_back(text::percent_decode(pair.substr(0, eq), true),
                             eq == std::string_view::npos
                                 ? std::string{}
                                 : text::percent_decode(pair.substr(eq + 1), true));
        if (amp == std::string_view::npos) break;
        body.remove_prefix(amp + 1);
    }
    return out;
}

std::optional<std::string> form_value(const std::vector<std::pair<std::string, std::string>>& form,
                                      std::string_view name) {
    for (const auto& [k, v] : form)
        if (k == name) return v;
    return std::nullopt;
}

std::string safe_back_path(std::string_view back) {
    if (back.size() < 1 || back.size() > 2000 || back[0] != '/') return "/";
    if (back.size() > 1 && (back[1] == '/' || back[1] == '\\')) return "/";
    for (char c : back)
        if (c == '\r' || c == '\n' || static_cast<unsigned char>(c) < 0x20) return "/";
    return std::string(back);
}

render::PageFrame make_frame(Services& s, const SiteCache::Data& site, const Request& req) {
    render::PageFrame f;
    f.settings = &site.settings;
    f.sections = site.sections;
    f.font_step = render::font_step_from_cookie(req.cookie("fs"));
    f.market = s.hub ? s.hub->snapshot() : nullptr;
    f.main_news = site.main_news;
    f.now_ms = s.clock->now_ms();
    return f;
}

Response error_page(const Error& e, const Request& req) { return error_response(e, req); }

std::optional<Response> refuse_if_limited(RateLimiter* limiter, const Request& req,
                                          std::string message) {
    if (!limiter || limiter->allow(req.remote_addr)) return std::nullopt;
    Response r = error_response(make_error(Errc::rate_limited, std::move(message)), req);
    r.set_header(
        "Retry-After",
        std::to_string(static_cast<long long>(std::ceil(limiter->retry_after_s(req.remote_addr)))));
    return r;
}

}  // namespace sinmun::web
