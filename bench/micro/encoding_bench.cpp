// Compression selection: Accept-Encoding negotiation for the headers real clients send, and the
// whole middleware step (finalize) for a cached page: encoding choice, ETag/304 check, headers.
#include "render/representation.hpp"
#include "web/middleware.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace sinmun;

void negotiate(benchmark::State& state, const char* accept) {
    for (auto _ : state) {
        auto e = web::negotiate_encoding(accept, true, true);
        benchmark::DoNotOptimize(e);
    }
}
BENCHMARK_CAPTURE(negotiate, chrome, "gzip, deflate, br, zstd");
BENCHMARK_CAPTURE(negotiate, wrk_gzip, "gzip");
BENCHMARK_CAPTURE(negotiate, q_values, "br;q=0.9, gzip;q=1.0, *;q=0.1");
BENCHMARK_CAPTURE(negotiate, absent, "");

void BM_EtagMatches(benchmark::State& state) {
    for (auto _ : state) {
        bool m = web::etag_matches(R"(W/"a1b2", "c3d4e5f6a7b8c9d0")", R"("c3d4e5f6a7b8c9d0")");
        benchmark::DoNotOptimize(m);
    }
}
BENCHMARK(BM_EtagMatches);

std::shared_ptr<const render::Representation> page() {
    static auto rep = [] {
        std::string html = "<!doctype html><html lang=\"ko\"><body>";
        for (int i = 0; i < 300; ++i)
            html += "<p>서울시가 성수동과 상암동 일대를 특구로 지정했다.</p>";
        html += "</body></html>";
        return render::make_representation(std::move(html), "text/html; charset=utf-8", "no-cache");
    }();
    return rep;
}

web::Request reader_get(std::string accept, std::string if_none_match = "") {
    web::Request r;
    r.method = "GET";
    r.path = r.target = "/article/42";
    r.headers = {{"Host", "127.0.0.1:8080"},
                 {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"},
                 {"Accept-Encoding", std::move(accept)}};
    if (!if_none_match.empty()) r.headers.push_back({"If-None-Match", std::move(if_none_match)});
    r.request_id = "bench-1";
    return r;
}

void finalize_page(benchmark::State& state, const char* accept, bool conditional) {
    auto rep = page();
    auto req = reader_get(accept, conditional ? rep->etag : "");
    for (auto _ : state) {
        auto out = web::finalize(req, web::Response::of(rep));
        benchmark::DoNotOptimize(out.rep_body);
    }
}
BENCHMARK_CAPTURE(finalize_page, gzip, "gzip", false);
BENCHMARK_CAPTURE(finalize_page, br, "gzip, deflate, br", false);
BENCHMARK_CAPTURE(finalize_page, not_modified_304, "gzip, deflate, br", true);

}  // namespace
