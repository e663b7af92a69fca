#include "web/middleware.hpp"

#include "core/compress.hpp"

#include <charconv>
#include <chrono>
#include <ctime>

namespace sinmun::web {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// q-value in thousandths: "1" → 1000, "0.5" → 500, "0" → 0; malformed → 1000 (lenient, as
// browsers never send malformed values and a proxy's oddity should not disable compression).
int parse_q(std::string_view params) {
    while (!params.empty()) {
        std::size_t semi = params.find(';');
        std::string_view p = trim_ows(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
        if (p.size() < 2 || lower(p[0]) != 'q' || trim_ows(p.substr(1)).empty()) continue;
        std::string_view rest = trim_ows(p.substr(1));
        if (rest.front() != '=') continue;
        std::string_view v = trim_ows(rest.substr(1));
        if (v.empty()) return 1000;
        int whole = v[0] == '1' ? 1000 : 0;
        if (v[0] != '0' && v[0] != '1') return 1000;
        if (v.size() >= 2 && v[1] == '.') {
            int scale = 100;
            for (std::size_t i = 2; i < v.size() && i < 5; ++i) {
                if (v[i] < '0' || v[i] > '9') break;
                whole += (v[i] - '0') * scale;
                scale /= 10;
            }
        }
        return whole > 1000 ? 1000 : whole;
    }
    return 1000;
}

bool has_header(const std::vector<Header>& headers, std::string_view name) {
    for (const auto& h : headers) {
        if (iequals(h.name, name)) return true;
    }
    return false;
}

void set_default(std::vector<Header>& headers, std::string_view name, std::string_view value) {
    if (!has_header(headers, name)) headers.push_back({std::string(name), std::string(value)});
}

void add_vary_accept_encoding(std::vector<Header>& headers) {
    for (auto& h : headers) {
        if (!iequals(h.name, "vary")) continue;
        if (h.value.find("Accept-Encoding") == std::string::npos &&
            h.value.find("accept-encoding") == std::string::npos) {
            h.value.append(", Accept-Encoding");
        }
        return;
    }
    headers.push_back({"Vary", "Accept-Encoding"});
}

void add_common_headers(const Request& req, std::vector<Header>& headers) {
    if (!req.request_id.empty()) set_default(headers, "X-Request-Id", req.request_id);
    set_default(headers, "Content-Security-Policy", kContentSecurityPolicy);
    set_default(headers, "X-Content-Type-Options", "nosniff");
    set_default(headers, "Referrer-Policy", "strict-origin-when-cross-origin");
    set_default(headers, "X-Frame-Options", "DENY");
    set_default(headers, "Server", "sinmun");
}

// The compressors return "" on an internal failure: then the identity body goes out instead.
void replace_if_compressed(Outgoing& out, std::string compressed, const char* coding) {
    if (compressed.empty()) return;
    out.owned_body = std::move(compressed);
    out.headers.push_back({"Content-Encoding", coding});
}

}  // namespace

Encoding negotiate_encoding(std::string_view accept_encoding, bool have_gzip, bool have_br) {
    if (accept_encoding.empty() || (!have_gzip && !have_br)) return Encoding::identity;
    int q_br = -1, q_gzip = -1, q_star = -1;
    std::string_view rest = accept_encoding;
    while (!rest.empty()) {
        std::size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        std::size_t semi = item.find(';');
        std::string_view coding = trim_ows(item.substr(0, semi));
        int q = semi == std::string_view::npos ? 1000 : parse_q(item.substr(semi + 1));
        if (iequals(coding, "br")) {
            q_br = q;
        } else if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
            q_gzip = q;
        } else if (coding == "*") {
            q_star = q;
        }
    }
    if (q_br < 0) q_br = q_star;
    if (q_gzip < 0) q_gzip = q_star;
    if (!have_br) q_br = -1;
    if (!have_gzip) q_gzip = -1;
    if (q_br > 0 && q_br >= q_gzip) return Encoding::br;
    if (q_gzip > 0) return Encoding::gzip;
    return Encoding::identity;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    if (etag.starts_with("W/")) etag.remove_prefix(2);
    std::string_view s = if_none_match;
    while (true) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == ','))
            s.remove_prefix(1);
        if (s.empty()) return false;
        if (s.front() == '*') return true;
        if (s.starts_with("W/")) s.remove_prefix(2);
        if (s.empty() || s.front() != '"') {
            // Not a valid entity-tag: skip to the next comma.
            std::size_t comma = s.find(',');
            if (comma == std::string_view::npos) return false;
            s.remove_prefix(comma);
            continue;
        }
        std::size_t close = s.find('"', 1);
        if (close == std::string_view::npos) return false;
        if (s.substr(0, close + 1) == etag) return true;
        s.remove_prefix(close + 1);
    }
}

std::string http_date(std::int64_t unix_ms) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

std::optional<std::int64_t> parse_http_date(std::string_view t) {
    static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
    // "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters in fixed positions.
    if (t.size() != 29 || t[3] != ',' || t[4] != ' ' || t[7] != ' ' || t[11] != ' ' ||
        t[16] != ' ' || t[19] != ':' || t[22] != ':' || t.substr(25) != " GMT")
        return std::nullopt;
    auto num = [&](std::size_t pos, std::size_t len) -> int {
        int v = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            if (t[i] < '0' || t[i] > '9') return -1;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    const auto m = kMonths.find(t.substr(8, 3));
    const int day = num(5, 2), year = num(12, 4), hh = num(17, 2), mm = num(20, 2), ss = num(23, 2);
    if (m == std::string_view::npos || m % 3 != 0 || day < 1 || day > 31 || year < 1970 || hh < 0 ||
        hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{year},
                                          std::chrono::month{static_cast<unsigned>(m / 3 + 1)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) return std::nullopt;
    const auto days = std::chrono::sys_days{ymd}.time_since_epoch().count();
    return (static_cast<std::int64_t>(days) * 86400 + hh * 3600 + mm * 60 + ss) * 1000;
}

bool is_compressible_type(std::string_view ct) {
    ct = trim_ows(ct.substr(0, ct.find(';')));
    if (istarts_with(ct, "text/")) return true;
    static constexpr std::string_view kTypes[] = {
        "application/json",      "application/javascript",    "application/xml",
        "application/rss+xml",   "application/atom+xml",      "application/feed+json",
        "image/svg+xml",         "application/manifest+json", "application/ld+json",
        "application/xhtml+xml", "text/javascript",
    };
    for (auto t : kTypes) {
        if (iequals(ct, t)) return true;
    }
    return ct.size() > 5 && (iequals(ct.substr(ct.size() - 5), "+json") ||
                             iequals(ct.substr(ct.size() - 4), "+xml"));
}

std::string_view Outgoing::header(std::string_view name) const {
    for (const auto& h : headers) {
        if (iequals(h.name, name)) return h.value;
    }
    return {};
}

Outgoing finalize(const Request& req, Response&& res) {
    Outgoing out;
    out.status = res.status;
    out.headers = std::move(res.headers);
    out.headers.reserve(out.headers.size() + 12);  // what is added below: no regrowth per request
    out.head = req.is_head();
    const bool get_like = req.method == "GET" || req.method == "HEAD";

    if (res.stream) {
        out.stream = std::move(res.stream);
        set_default(out.headers, "Content-Type", "text/event-stream; charset=utf-8");
        set_default(out.headers, "Cache-Control", "no-cache");
        set_default(out.headers, "X-Accel-Buffering", "no");
    } else if (res.rep) {
        const auto& rep = *res.rep;
        add_vary_accept_encoding(out.headers);
        if (!rep.etag.empty()) set_default(out.headers, "ETag", rep.etag);
        if (!rep.cache_control.empty())
            set_default(out.headers, "Cache-Control", rep.cache_control);
        if (rep.last_modified_ms > 0)
            set_default(out.headers, "Last-Modified", http_date(rep.last_modified_ms));
        std::string_view inm = req.header("If-None-Match");
        // If-Modified-Since counts only without If-None-Match (RFC 9110 13.1.3); HTTP dates
        // have whole seconds, so the comparison is in seconds.
        std::optional<std::int64_t> ims;
        if (inm.empty() && rep.last_modified_ms > 0)
            ims = parse_http_date(req.header("If-Modified-Since"));
        if (get_like && out.status == 200 && !inm.empty() && !rep.etag.empty() &&
            etag_matches(inm, rep.etag)) {
            out.status = 304;
        } else if (get_like && out.status == 200 && ims &&
                   rep.last_modified_ms / 1000 <= *ims / 1000) {
            out.status = 304;
        } else {
            set_default(out.headers, "Content-Type", rep.content_type);
            switch (negotiate_encoding(req.header("Accept-Encoding"), !rep.gzip.empty(),
                                       !rep.br.empty())) {
                case Encoding::br:
                    out.rep_body = &rep.br;
                    out.headers.push_back({"Content-Encoding", "br"});
                    break;
                case Encoding::gzip:
                    out.rep_body = &rep.gzip;
                    out.headers.push_back({"Content-Encoding", "gzip"});
                    break;
                case Encoding::identity:
                    out.rep_body = &rep.identity;
                    break;
            }
            out.rep = std::move(res.rep);
        }
    } else {
        out.owned_body = std::move(res.body);
        bool compressible = out.owned_body.size() >= kCompressMinBytes && out.status != 206 &&
                            !has_header(out.headers, "Content-Encoding") &&
                            is_compressible_type(out.header("Content-Type"));
        if (compressible) {
            add_vary_accept_encoding(out.headers);
            switch (negotiate_encoding(req.header("Accept-Encoding"), true, true)) {
                case Encoding::br:
                    replace_if_compressed(out, brotli_compress(out.owned_body), "br");
                    break;
                case Encoding::gzip:
                    replace_if_compressed(out, gzip_compress(out.owned_body), "gzip");
                    break;
                case Encoding::identity:
                    break;
            }
        }
    }
    if (out.status == 304 || out.status == 204) out.owned_body.clear();
    add_common_headers(req, out.headers);
    return out;
}

}  // namespace sinmun::web
