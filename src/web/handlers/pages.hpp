// Reader page handlers (see pages.cpp).
#pragma once

#include "web/handlers/services.hpp"
#include "web/http.hpp"

#include <string_view>

namespace sinmun::web {

Response home_page(Services& s, Request& req);
Response section_page(Services& s, Request& req);
Response article_page(Services& s, Request& req);
Response font_size_pref(Services& s, Request& req);
Response render_error_page(Services& s, int status, std::string_view message, const Request& req);

// JSON and live endpoints (api.cpp).
void reactions_get(Services& s, Request& req, Reply reply);
void reactions_post_json(Services& s, Request& req, Reply reply);
void reactions_post_form(Services& s, Request& req, Reply reply);
Response market_snapshot(Services& s, Request& req);
Response market_stream(Services& s, Request& req);

// Search page and API (search.cpp).
Response search_page(Services& s, Request& req);
Response search_api(Services& s, Request& req);

// Operator and static endpoints (ops.cpp).
Response healthz(Services& s, Request& req);
Response metrics(Services& s, Request& req);
Response robots_txt(Services& s, Request& req);
Response asset(Services& s, Request& req);
Response media(Services& s, Request& req);
Response favicon(Services& s, Request& req);

}  // namespace sinmun::web
