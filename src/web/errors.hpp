// The one mapping from error kinds (Errc) to HTTP statuses, and the one place error responses
// are rendered: requests under /api/ get `{"error":{"code":"…","message":"…"}}`, everything else
// goes through the error renderer the application installs (Korean HTML pages), falling back to
// a short plain-text body when none is installed.
// Thread-safety: all functions may be called from any thread. set_error_renderer is meant for
// start-up; it is nevertheless safe to call while requests are being served.
#pragma once

#include "core/result.hpp"
#include "web/http.hpp"

#include <functional>
#include <string_view>

namespace sinmun::web {

using ErrorRenderer = std::function<Response(int status, std::string_view message, const Request&)>;

// not_found 404, invalid_input 400, conflict 409, unauthorized 401, forbidden 403, too_large 413,
// rate_limited 429, unavailable 503, internal 500.
int http_status(Errc code) noexcept;
// The error code name used in JSON bodies for a status (404 → "not_found", 405 →
// "method_not_allowed", 410 → "gone", 415 → "unsupported_media_type"; other 4xx → "bad_request",
// 5xx → "internal").
std::string_view error_code_for_status(int status) noexcept;
// Standard reason phrase ("Not Found"), "" when unknown.
std::string_view reason_phrase(int status) noexcept;

// Installs the renderer used for non-API error pages (process-wide; Router::set_error_renderer
// forwards here). An empty function restores the plain-text fallback.
void set_error_renderer(ErrorRenderer renderer);

// An error response for `status` with a message a person can act on.
Response error_response(int status, std::string_view message, const Request& req);
// The same for an Error value: status from http_status(e.code), JSON code from to_string(e.code).
Response error_response(const Error& e, const Request& req);

// True when the request targets the JSON API (path starts with /api/).
bool is_api_request(const Request& req) noexcept;

}  // namespace sinmun::web
