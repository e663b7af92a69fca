// Small helpers shared by the handlers: id parsing, form bodies, page frames, JSON errors.
#pragma once

#include "core/result.hpp"
#include "render/renderer.hpp"
#include "web/handlers/services.hpp"
#include "web/http.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sinmun::web {

// A positive decimal id without sign, leading zeros or trailing junk; nullopt otherwise.
std::optional<std::int64_t> parse_id(std::string_view text);

// application/x-www-form-urlencoded pairs, decoded.
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body);
std::optional<std::string> form_value(const std::vector<std::pair<std::string, std::string>>& form,
                                      std::string_view name);

// A local path to return to: must start with a single '/', else "/".
std::string safe_back_path(std::string_view back);

// The frame every page shares (settings, nav, widgets, 주요 뉴스).
render::PageFrame make_frame(Services& s, const SiteCache::Data& site, const Request& req);

// An error as the right kind of response (Korean HTML page or JSON for /api/).
Response error_page(const Error& e, const Request& req);

// nullopt when `limiter` (may be null: not wired) lets this client's request through; otherwise
// the 429 answer with `message` and Retry-After in whole seconds.
std::optional<Response> refuse_if_limited(RateLimiter* limiter, const Request& req,
                                          std::string message);

}  // namespace sinmun::web
