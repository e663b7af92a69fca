// Middleware: what the server applies around every handler result before it goes on the wire,
// as pure functions over plain values so it is tested without sockets.
//
// finalize() adds X-Request-Id, the security headers and Server; for a Representation it picks
// br / gzip / identity from Accept-Encoding (q=0 respected), adds Vary, ETag, Cache-Control and
// Last-Modified, and answers a matching If-None-Match (lists, W/ weak comparison, "*") with 304;
// plain text-like bodies of at least kCompressMinBytes are compressed on the fly when accepted;
// HEAD keeps the headers (and the length GET would send) but no body.
// Thread-safety: pure functions.
#pragma once

#include "web/http.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::web {

enum class Encoding { identity, gzip, br };

// The encoding to send, given the client's Accept-Encoding and which variants exist. Highest q
// wins, br on ties; "*" covers codings not listed; q=0 forbids. Identity when nothing else fits.
Encoding negotiate_encoding(std::string_view accept_encoding, bool have_gzip, bool have_br);

// If-None-Match evaluation with weak comparison (RFC 9110 13.1.2): true when any listed tag
// (ignoring W/) equals `etag` (ignoring W/), or the header is "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") for Last-Modified and Date.
std::string http_date(std::int64_t unix_ms);
// Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", the only form senders may generate,
// RFC 9110 5.6.7) into unix ms; nullopt for anything else (then If-Modified-Since is ignored).
std::optional<std::int64_t> parse_http_date(std::string_view text);

// text/*, JSON, JavaScript, XML, SVG, manifest: worth compressing.
bool is_compressible_type(std::string_view content_type);

inline constexpr std::size_t kCompressMinBytes = 1024;

// The security headers set on every response unless the handler set its own value.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'";

// A response ready to serialise: final status and headers (everything but Content-Length,
// Transfer-Encoding, Connection and Date, which belong to the connection) and a body that is
// either owned or a view into the shared Representation, never a copy of it.
struct Outgoing {
    int status = 200;
    std::vector<Header> headers;
    std::string owned_body;
    std::shared_ptr<const render::Representation> rep;  // keeps rep_body alive
    const std::string* rep_body = nullptr;
    std::shared_ptr<StreamSource> stream;  // SSE: headers only here, body produced later
    bool head = false;                     // HEAD: declare the length, send no body

    std::string_view selected_body() const {
        return rep_body ? std::string_view(*rep_body) : owned_body;
    }
    // Bytes to put on the wire after the header.
    std::string_view wire_body() const { return head ? std::string_view{} : selected_body(); }
    // Whether Content-Length is sent (not for 1xx/204/304 or streams).
    bool has_length() const { return !stream && status != 204 && status != 304 && status >= 200; }
    std::string_view header(std::string_view name) const;
};

Outgoing finalize(const Request& req, Response&& res);

}  // namespace sinmun::web
