// Routing: the real reader route table (web/routes.cpp) matching typical paths.
#include "web/handlers/services.hpp"
#include "web/router.hpp"

#include <benchmark/benchmark.h>

namespace {

const sinmun::web::Router& reader_router() {
    static sinmun::web::Services services;  // route() never calls the handlers
    static sinmun::web::Router router = [] {
        sinmun::web::Router r;
        sinmun::web::add_routes(r, services);
        return r;
    }();
    return router;
}

void route(benchmark::State& state, const char* method, const char* path) {
    const auto& router = reader_router();
    sinmun::web::Request req;
    req.method = method;
    req.path = path;
    for (auto _ : state) {
        req.params.clear();
        int status = 0;
        benchmark::DoNotOptimize(router.route(req, &status));
        benchmark::DoNotOptimize(req.params.data());
    }
}

BENCHMARK_CAPTURE(route, home, "GET", "/");
BENCHMARK_CAPTURE(route, article, "GET", "/article/1042");
BENCHMARK_CAPTURE(route, article_slug, "GET", "/article/1042/서울시-ai-특구-지정");
BENCHMARK_CAPTURE(route, section, "GET", "/section/economy");
BENCHMARK_CAPTURE(route, asset, "GET", "/assets/site.3f2a9c1d.css");
BENCHMARK_CAPTURE(route, vote_api, "POST", "/api/v1/articles/1042/reactions");
BENCHMARK_CAPTURE(route, not_found, "GET", "/wp-login.php");

}  // namespace
