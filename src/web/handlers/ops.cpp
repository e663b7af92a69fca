// Operator endpoints (/healthz, /metrics), robots.txt, static assets and media files.
#include "market/hub.hpp"
#include "reactions/reaction_service.hpp"
#include "render/assets.hpp"
#include "render/page_cache.hpp"
#include "render/renderer.hpp"
#include "store/stores.hpp"
#include "web/errors.hpp"
#include "web/handlers/handler_util.hpp"
#include "web/handlers/pages.hpp"

namespace sinmun::web {

Response healthz(Services& s, Request& req) {
    const auto db = s.db->schema_version();
    const auto snap = s.hub->snapshot();
    int stale = 0;
    for (const auto& row : snap->crypto) stale += row.stale ? 1 : 0;
    std::string body = "{\"status\":\"";
    body += db ? "ok" : "degraded";
    body += "\",\"database\":{\"backend\":\"";
    body += s.db->backend();
    body += "\",\"ok\":";
    body += db ? "true,\"schema_version\":" + std::to_string(*db) : std::string("false");
    body += "},\"market\":{\"demo\":";
    body += snap->demo ? "true" : "false";
    body += ",\"instruments\":" + std::to_string(snap->crypto.size());
    body += ",\"stale\":" + std::to_string(stale);
    body += ",\"krx\":\"" + snap->krx_marker + "\"";
    if (s.feed_health) {
        if (const std::string feed = s.feed_health(); !feed.empty()) body += ",\"feed\":" + feed;
    }
    body += "}}";
    Response r = Response::json(db ? 200 : 503, body);
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response metrics(Services& s, Request& req) {
    std::string out;
    const auto rs = s.reactions->stats();
    out += "# HELP sinmun_reaction_batches_total Group-commit transactions of reader votes.\n";
    out += "# TYPE sinmun_reaction_batches_total counter\n";
    out += "sinmun_reaction_batches_total " + std::to_string(rs.batches) + "\n";
    out +=
        "# HELP sinmun_reaction_votes_total Votes committed.\n# TYPE sinmun_reaction_votes_total "
        "counter\n";
    out += "sinmun_reaction_votes_total " + std::to_string(rs.votes) + "\n";
    out +=
        "# HELP sinmun_reaction_max_batch Largest group commit so far.\n# TYPE "
        "sinmun_reaction_max_batch gauge\n";
    out += "sinmun_reaction_max_batch " + std::to_string(rs.max_batch_seen) + "\n";
    const auto ps = s.pages->stats();
    out +=
        "# HELP sinmun_page_cache_hits_total Pages served from the page cache.\n# TYPE "
        "sinmun_page_cache_hits_total counter\n";
    out += "sinmun_page_cache_hits_total " + std::to_string(ps.hits) + "\n";
    out +=
        "# HELP sinmun_page_cache_misses_total Pages rendered.\n# TYPE "
        "sinmun_page_cache_misses_total counter\n";
    out += "sinmun_page_cache_misses_total " + std::to_string(ps.misses) + "\n";
    out +=
        "# HELP sinmun_page_cache_entries Pages held in memory.\n# TYPE sinmun_page_cache_entries "
        "gauge\n";
    out += "sinmun_page_cache_entries " + std::to_string(s.pages->size()) + "\n";
    const auto snap = s.hub->snapshot();
    int stale = 0;
    for (const auto& row : snap->crypto) stale += row.stale ? 1 : 0;
    out += "# HELP sinmun_market_stale_instruments Crypto instruments without a recent update.\n";
    out += "# TYPE sinmun_market_stale_instruments gauge\nsinmun_market_stale_instruments " +
           std::to_string(stale) + "\n";
    out +=
        "# HELP sinmun_market_seq Market snapshot sequence number.\n# TYPE sinmun_market_seq "
        "counter\n";
    out += "sinmun_market_seq " + std::to_string(snap->seq) + "\n";
    if (s.extra_metrics) out += s.extra_metrics();
    if (s.notifier_metrics) out += s.notifier_metrics();
    Response r = Response::text(200, std::move(out), "text/plain; version=0.0.4; charset=utf-8");
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response robots_txt(Services& s, Request& req) {
    // The sitemaps are named with absolute URLs (robots.txt requires them) from the site URL.
    std::string base = s.site->get()->settings.site_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    Response r =
        Response::text(200,
                       "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /stream/\n"
                       "Disallow: /admin\n\nSitemap: " +
                           base + "/sitemap.xml\nSitemap: " + base + "/news-sitemap.xml\n");
    r.set_header("Cache-Control", "public, max-age=3600");
    return r;
}

Response asset(Services& s, Request& req) {
    std::string name(req.param("dir"));
    if (!name.empty()) name += '/';
    name += req.param("file");
    auto rep = s.renderer->assets().find(name);
    if (!rep) return error_response(make_error(Errc::not_found, "없는 파일입니다."), req);
    return Response::of(rep);
}

Response media(Services& s, Request& req) {
    // /media/{a}[/{b}[/{c}[/{d}]]]: demo photos (demo/x.jpg) and uploads (uploads/YYYY/MM/x.jpg).
    std::string rel;
    for (const char* name : {"a", "b", "c", "d"}) {
        const auto part = req.param(name);
        if (part.empty()) break;
        if (!rel.empty()) rel += '/';
        rel += part;
    }
    auto rep = s.media->find(rel);
    if (!rep) return error_response(make_error(Errc::not_found, "없는 사진입니다."), req);
    return Response::of(rep);
}

Response favicon(Services& s, Request& req) {
    const std::string url = s.renderer->assets().url("favicon.svg");
    if (url.empty() || (url == "/assets/favicon.svg" && !s.renderer->assets().find("favicon.svg")))
        return error_response(make_error(Errc::not_found, "no favicon"), req);
    Response r = Response::redirect(301, url);
    r.set_header("Cache-Control", "public, max-age=86400");
    return r;
}

}  // namespace sinmun::web
