// Plain request/response helpers (see http.hpp). Everything here parses untrusted input and
// therefore never throws on malformed bytes: odd input degrades to "absent" or a literal value.
#include "web/http.hpp"

#include "core/text.hpp"

namespace sinmun::web {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        unsigned char x = static_cast<unsigned char>(a[i]);
        unsigned char y = static_cast<unsigned char>(b[i]);
        if (x >= 'A' && x <= 'Z') x = static_cast<unsigned char>(x + 32);
        if (y >= 'A' && y <= 'Z') y = static_cast<unsigned char>(y + 32);
        if (x != y) return false;
    }
    return true;
}

std::string_view find_header(const std::vector<Header>& headers, std::string_view name) {
    for (const auto& h : headers) {
        if (iequals(h.name, name)) return h.value;
    }
    return {};
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// RFC 6265 cookie-octet: printable ASCII except space, DQUOTE, comma, semicolon, backslash.
// '%' is also encoded so that cookie() can decode symmetrically.
bool is_cookie_octet(unsigned char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
           (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

}  // namespace

std::string_view Request::header(std::string_view name) const { return find_header(headers, name); }

std::optional<std::string> Request::cookie(std::string_view name) const {
    for (const auto& h : headers) {
        if (!iequals(h.name, "cookie")) continue;
        std::string_view rest = h.value;
        while (!rest.empty()) {
            std::size_t semi = rest.find(';');
            std::string_view pair = trim_ows(rest.substr(0, semi));
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            std::size_t eq = pair.find('=');
            if (eq == std::string_view::npos) continue;
            if (trim_ows(pair.substr(0, eq)) != name) continue;
            std::string_view value = trim_ows(pair.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            return text::percent_decode(value);
        }
    }
    return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    std::string_view rest = query;
    while (!rest.empty()) {
        std::size_t amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        std::size_t eq = pair.find('=');
        std::string_view raw_key = pair.substr(0, eq);
        // Fast path: most keys need no decoding.
        bool key_matches = raw_key.find_first_of("%+") == std::string_view::npos
                               ? raw_key == name
                               : text::percent_decode(raw_key, true) == name;
        if (!key_matches) continue;
        if (eq == std::string_view::npos) return std::string{};
        return text::percent_decode(pair.substr(eq + 1), true);
    }
    return std::nullopt;
}

std::string_view Request::param(std::string_view name) const {
    for (const auto& [k, v] : params) {
        if (k == name) return v;
    }
    return {};
}

void Response::set_header(std::string name, std::string value) {
    for (auto& h : headers) {
        if (iequals(h.name, name)) {
            h.value = std::move(value);
            return;
        }
    }
    headers.push_back({std::move(name), std::move(value)});
}

std::string_view Response::header(std::string_view name) const {
    return find_header(headers, name);
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers.push_back({"Content-Type", std::move(content_type)});
    return r;
}

Response Response::redirect(int status, std::string location) {
    Response r;
    r.status = status;
    r.headers.push_back({"Location", std::move(location)});
    return r;
}

Response Response::of(std::shared_ptr<const render::Representation> rep, int status) {
    Response r;
    r.status = status;
    r.rep = std::move(rep);
    return r;
}

Handler sync(SyncHandler h) {
    return [h = std::move(h)](Request& req, Reply reply) { reply(h(req)); };
}

std::string make_cookie(std::string_view name, std::string_view value, std::int64_t max_age_s,
                        bool http_only, bool secure) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(name.size() + value.size() + 64);
    out.append(name);
    out.push_back('=');
    for (char ch : value) {
        auto c = static_cast<unsigned char>(ch);
        if (is_cookie_octet(c) && c != '%') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    out.append("; Path=/");
    if (max_age_s >= 0) {
        out.append("; Max-Age=");
        out.append(std::to_string(max_age_s));
    }
    if (http_only) out.append("; HttpOnly");
    if (secure) out.append("; Secure");
    out.append("; SameSite=Lax");
    return out;
}

}  // namespace sinmun::web
