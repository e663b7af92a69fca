// Feed, sitemap and IndexNow key-file handlers (see feeds.cpp).
#pragma once

#include "web/handlers/services.hpp"
#include "web/http.hpp"

namespace sinmun::web {

Response rss_feed(Services& s, Request& req);           // /rss
Response rss_section_feed(Services& s, Request& req);   // /rss/{section}
Response atom_feed(Services& s, Request& req);          // /atom.xml
Response json_feed(Services& s, Request& req);          // /feed.json
Response sitemap_index(Services& s, Request& req);      // /sitemap.xml
Response article_sitemap(Services& s, Request& req);    // /sitemaps/{file}
Response news_sitemap(Services& s, Request& req);       // /news-sitemap.xml
Response indexnow_key_file(Services& s, Request& req);  // /{key}.txt

}  // namespace sinmun::web
