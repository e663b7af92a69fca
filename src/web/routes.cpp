// The site's route table, in one place.
#include "web/handlers/feeds.hpp"
#include "web/handlers/pages.hpp"
#include "web/handlers/services.hpp"
#include "web/router.hpp"

namespace sinmun::web {

void add_routes(Router& router, Services& s) {
    auto page = [&s](Response (*fn)(Services&, Request&)) {
        return sync([&s, fn](Request& req) { return fn(s, req); });
    };
    auto async = [&s](void (*fn)(Services&, Request&, Reply)) {
        return Handler([&s, fn](Request& req, Reply reply) { fn(s, req, std::move(reply)); });
    };

    // Reader pages
    router.add("GET", "/", page(home_page));
    router.add("GET", "/section/{slug}", page(section_page));
    router.add("GET", "/article/{id}", page(article_page));
    router.add("GET", "/article/{id}/{slug}", page(article_page));
    router.add("POST", "/article/{id}/reactions", async(reactions_post_form));
    router.add("POST", "/prefs/font-size", page(font_size_pref));
    router.add("GET", "/search", page(search_page));

    // JSON API and live data
    router.add("GET", "/api/v1/articles/{id}/reactions", async(reactions_get));
    router.add("POST", "/api/v1/articles/{id}/reactions", async(reactions_post_json));
    router.add("GET", "/api/v1/market/snapshot", page(market_snapshot));
    router.add("GET", "/api/v1/search", page(search_api));
    router.add("GET", "/stream/market", page(market_stream));

    // Static files
    router.add("GET", "/assets/{file}", page(asset));
    router.add("GET", "/assets/{dir}/{file}", page(asset));
    router.add("GET", "/media/{a}", page(media));
    router.add("GET", "/media/{a}/{b}", page(media));
    router.add("GET", "/media/{a}/{b}/{c}", page(media));
    router.add("GET", "/media/{a}/{b}/{c}/{d}", page(media));
    router.add("GET", "/favicon.ico", page(favicon));
    router.add("GET", "/robots.txt", page(robots_txt));

    // Feeds, sitemaps and the IndexNow key file (handlers/feeds.cpp)
    router.add("GET", "/rss", page(rss_feed));
    router.add("GET", "/rss/{section}", page(rss_section_feed));
    router.add("GET", "/atom.xml", page(atom_feed));
    router.add("GET", "/feed.json", page(json_feed));
    router.add("GET", "/sitemap.xml", page(sitemap_index));
    router.add("GET", "/sitemaps/{file}", page(article_sitemap));
    router.add("GET", "/news-sitemap.xml", page(news_sitemap));
    if (!s.indexnow_key.empty())
        router.add("GET", "/" + s.indexnow_key + ".txt", page(indexnow_key_file));

    // Operator
    router.add("GET", "/healthz", page(healthz));
    router.add("GET", "/metrics", page(metrics));

    router.set_error_renderer([&s](int status, std::string_view message, const Request& req) {
        return render_error_page(s, status, message, req);
    });
}

}  // namespace sinmun::web
