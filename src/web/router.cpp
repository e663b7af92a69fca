#include "web/router.hpp"

#include "core/text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace sinmun::web {

namespace {

// Splits "/a/b/c" into {"a","b","c"}; "/" into {}. Empty segments are kept ("/a//b" has three),
// so such paths match nothing rather than being silently normalised.
template <class Out>
bool split_path(std::string_view path, Out& out, std::size_t& count) {
    count = 0;
    if (path.empty() || path.front() != '/') return false;
    path.remove_prefix(1);
    if (path.empty()) return true;
    while (true) {
        std::size_t slash = path.find('/');
        if (count == out.size()) return false;  // deeper than any pattern we serve
        out[count++] = path.substr(0, slash);
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return true;
}

constexpr std::size_t kMaxSegments = 16;

std::string_view raw_path_of(const Request& req) {
    if (!req.target.empty() && req.target.front() == '/') {
        std::string_view t = req.target;
        return t.substr(0, t.find('?'));
    }
    return req.path;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
    Route r;
    r.method = std::move(method);
    r.pattern = std::move(pattern);
    r.handler = std::move(handler);
    std::array<std::string_view, kMaxSegments> parts;
    std::size_t n = 0;
    if (!split_path(r.pattern, parts, n)) {
        spdlog::error("router: invalid pattern '{}' ignored", r.pattern);
        return;
    }
    for (std::size_t i = 0; i < n; ++i) {
        std::string_view s = parts[i];
        if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
            r.segments.push_back({std::string(s.substr(1, s.size() - 2)), true});
        } else {
            r.segments.push_back({std::string(s), false});
            ++r.literal_count;
        }
    }
    for (const auto& existing : routes_) {
        if (existing.method == r.method && existing.pattern == r.pattern) {
            spdlog::error("router: duplicate route {} {} ignored", r.method, r.pattern);
            return;
        }
    }
    routes_.push_back(std::move(r));
}

void Router::set_error_renderer(ErrorRenderer renderer) {
    web::set_error_renderer(std::move(renderer));
}

const Handler* Router::route(Request& req, int* status, std::string* allow) const {
    std::array<std::string_view, kMaxSegments> parts;
    std::size_t n = 0;
    const bool split_ok = split_path(raw_path_of(req), parts, n);

    std::string_view method = req.method;
    const bool head = method == "HEAD";
    const Route* best = nullptr;
    bool path_matched = false;
    std::string allowed;

    if (split_ok) {
        for (const auto& r : routes_) {
            if (r.segments.size() != n) continue;
            bool ok = true;
            for (std::size_t i = 0; i < n && ok; ++i) {
                const auto& seg = r.segments[i];
                if (seg.param) {
                    ok = !parts[i].empty();
                } else if (parts[i].find('%') == std::string_view::npos) {
                    ok = parts[i] == seg.text;
                } else {
                    ok = text::percent_decode(parts[i]) == seg.text;
                }
            }
            if (!ok) continue;
            path_matched = true;
            const bool method_ok = r.method == method || (head && r.method == "GET");
            if (method_ok) {
                // An exact HEAD route beats GET-for-HEAD; more literals beat parameters.
                if (!best || r.literal_count > best->literal_count ||
                    (r.literal_count == best->literal_count && head && r.method == "HEAD" &&
                     best->method != "HEAD")) {
                    best = &r;
                }
            } else if (allow) {
                auto add_method = [&](std::string_view m) {
                    // Compare whole tokens in the comma list.
                    std::string_view rest = allowed;
                    while (!rest.empty()) {
                        std::size_t c = rest.find(", ");
                        if (rest.substr(0, c) == m) return;
                        if (c == std::string_view::npos) break;
                        rest.remove_prefix(c + 2);
                    }
                    if (!allowed.empty()) allowed.append(", ");
                    allowed.append(m);
                };
                add_method(r.method);
                if (r.method == "GET") add_method("HEAD");
            }
        }
    }

    if (best) {
        req.params.clear();
        for (std::size_t i = 0; i < n; ++i) {
            if (best->segments[i].param) {
                req.params.emplace_back(best->segments[i].text, text::percent_decode(parts[i]));
            }
        }
        if (status) *status = 200;
        return &best->handler;
    }
    if (status) *status = path_matched ? 405 : 404;
    if (allow) *allow = std::move(allowed);
    return nullptr;
}

void Router::dispatch(Request& req, Reply reply) const {
    int status = 0;
    std::string allow;
    if (const Handler* h = route(req, &status, &allow)) {
        (*h)(req, std::move(reply));
        return;
    }
    if (status == 405) {
        Response r = error_response(405, "이 주소는 " + req.method + " 요청을 받지 않습니다.", req);
        r.set_header("Allow", allow);
        reply(std::move(r));
        return;
    }
    reply(error_response(404, "페이지를 찾을 수 없습니다.", req));
}

}  // namespace sinmun::web
