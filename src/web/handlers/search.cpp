// Search: the reader page /search and the JSON API /api/v1/search, over store::SearchStore.
//
// Input is checked against an allowlist before the store sees it: q through
// text::parse_search_query (UTF-8, length, term and token limits), section against the known
// slugs, sort ∈ {relevance, newest}, page 1..kMaxPage and within the result count. Every refusal
// is a Korean message: 400 JSON in the API, the search page with the message (status 400) on
// /search. Cost is bounded per request (≤ 8 terms, ≤ 48 tokens, 10 results, offset ≤ 990) and
// per client by a token bucket (Services::search_limiter, when wired).
#include <cmath>

#include "core/kst.hpp"
#include "core/search_query.hpp"
#include "core/text.hpp"
#include "render/renderer.hpp"
#include "store/stores.hpp"
#include "web/errors.hpp"
#include "web/handlers/handler_util.hpp"
#include "web/handlers/pages.hpp"
#include "web/rate_limiter.hpp"

namespace sinmun::web {
namespace {

constexpr int kPageSize = 10;
constexpr int kMaxPage = 100;

struct Params {
    std::string q;  // raw (decoded) query text; empty when absent
    bool has_q = false;
    const news::Section* section = nullptr;
    store::SearchSort sort = store::SearchSort::relevance;
    int page = 1;
};

Error bad(std::string message) { return make_error(Errc::invalid_input, std::move(message)); }

// sort, section and page; q is parsed separately so the page can show it back.
Result<Params> parse_params(Services& s, const SiteCache::Data& site, const Request& req) {
    Params p;
    if (auto q = req.query_param("q")) {
        p.q = std::move(*q);
        p.has_q = true;
    }
    if (auto sort = req.query_param("sort"); sort && !sort->empty()) {
        if (*sort == "newest")
            p.sort = store::SearchSort::newest;
        else if (*sort != "relevance")
            return bad("정렬 방식은 relevance(정확도순) 또는 newest(최신순)만 쓸 수 있습니다.");
    }
    if (auto section = req.query_param("section"); section && !section->empty()) {
        p.section = s.site->find_section(site, *section);
        if (!p.section) return bad("없는 섹션입니다. 섹션을 다시 골라 주세요.");
    }
    if (auto page = req.query_param("page"); page && !page->empty()) {
        auto n = parse_id(*page);
        if (!n) return bad("페이지 번호가 올바르지 않습니다. 1 이상의 숫자여야 합니다.");
        if (*n > kMaxPage)
            return bad("검색결과는 " + std::to_string(kMaxPage) +
                       "쪽까지 볼 수 있습니다. 검색어를 더 구체적으로 입력해 주세요.");
        p.page = static_cast<int>(*n);
    }
    return p;
}

int page_count(std::int64_t total) {
    return static_cast<int>(std::min<std::int64_t>(kMaxPage, (total + kPageSize - 1) / kPageSize));
}

// Runs the search; Errc::invalid_input when the page is past the last one.
Result<store::SearchResults> run(Services& s, const Params& p, text::SearchQuery query) {
    store::SearchRequest r;
    r.query = std::move(query);
    if (p.section) r.section_id = p.section->id;
    r.sort = p.sort;
    r.limit = kPageSize;
    r.offset = (p.page - 1) * kPageSize;
    auto res = s.db->search().search(r);
    if (!res) return res.error();
    if (res->total > 0 && p.page > page_count(res->total))
        return bad("페이지 범위를 벗어났습니다. 이 검색의 결과는 " +
                   std::to_string(page_count(res->total)) + "쪽까지 있습니다.");
    return res;
}

std::optional<Response> limit(Services& s, const Request& req) {
    return refuse_if_limited(s.search_limiter, req,
                             "검색 요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.");
}

}  // namespace

Response search_page(Services& s, Request& req) {
    if (auto limited = limit(s, req)) return std::move(*limited);
    auto site = s.site->get();
    render::SearchView v;
    v.frame = make_frame(s, *site, req);
    v.frame.canonical_path = "/search";
    auto respond = [&](int status) {
        Response r = Response::html(status, s.renderer->search(v));
        r.set_header("Cache-Control", "no-cache");
        r.set_header("X-Robots-Tag", "noindex");
        return r;
    };
    auto params = parse_params(s, *site, req);
    if (params) {
        if (params->section) v.section_slug = params->section->slug;
        v.sort = params->sort == store::SearchSort::newest ? "newest" : "relevance";
    }
    // Show the typed text back only when it is valid UTF-8 (it is escaped either way).
    if (params && text::is_valid_utf8(params->q)) v.query = std::string(text::trim(params->q));
    if (!params) {
        v.error = params.error().message;
        return respond(400);
    }
    if (!params->has_q) return respond(200);  // the bare search page: a prompt
    auto query = text::parse_search_query(params->q);
    if (!query) {
        v.error = query.error().message;
        return respond(400);
    }
    v.query = query->normalized;
    auto res = run(s, *params, std::move(*query));
    if (!res) {
        if (res.error().code != Errc::invalid_input) return error_response(res.error(), req);
        v.error = res.error().message;
        return respond(400);
    }
    v.searched = true;
    v.total = res->total;
    v.page = params->page;
    v.page_count = std::max(1, page_count(res->total));
    for (auto& hit : res->hits) {
        render::SearchView::Item item;
        if (const auto* sec = s.site->find_section(*site, hit.article.section_id)) {
            item.section_slug = sec->slug;
            item.section_name = sec->name;
        }
        item.headline_html = std::move(hit.headline_html);
        item.snippet_html = std::move(hit.snippet_html);
        item.article = std::move(hit.article);
        v.items.push_back(std::move(item));
    }
    return respond(200);
}

Response search_api(Services& s, Request& req) {
    if (auto limited = limit(s, req)) return std::move(*limited);
    auto site = s.site->get();
    auto params = parse_params(s, *site, req);
    if (!params) return error_response(params.error(), req);
    auto query = text::parse_search_query(params->q);
    if (!query) return error_response(query.error(), req);
    auto res = run(s, *params, std::move(*query));
    if (!res) return error_response(res.error(), req);
    std::string body = "{\"total\":" + std::to_string(res->total) + ",\"results\":[";
    bool first = true;
    for (const auto& hit : res->hits) {
        if (!first) body += ',';
        first = false;
        body += "{\"id\":" + std::to_string(hit.article.id);
        body += ",\"title\":\"" + text::json_escape(hit.article.headline);
        body += "\",\"url\":\"" + text::json_escape(hit.article.url_path());
        body += "\",\"snippet\":\"" + text::json_escape(hit.snippet_html);
        body += "\",\"published_at\":\"" + kst::format_iso8601(hit.article.published_at) + "\"}";
    }
    body += "]}";
    Response r = Response::json(200, std::move(body));
    r.set_header("Cache-Control", "public, max-age=10");
    r.set_header("X-Robots-Tag", "noindex");
    return r;
}

}  // namespace sinmun::web
