// The page-cache hit path: PageCache::get_or_render alone (one and two threads, as on the
// server's io threads), and a whole warm reader request in-process (router + handler + page
// cache + middleware, bench/common/inprocess_site.hpp) for the article, home and section page,
// which is the per-request CPU cost the HTTP benchmark sees apart from sockets and parsing.
#include "bench/common/inprocess_site.hpp"
#include "render/page_cache.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <mutex>

#include <unistd.h>

namespace {

using namespace sinmun;

void BM_PageCacheHit(benchmark::State& state) {
    static ManualClock clock(1'700'000'000'000);
    static render::PageCache cache(clock);
    static std::once_flag filled;
    std::call_once(filled, [] {
        for (int i = 0; i < 2000; ++i)
            cache.get_or_render("a:" + std::to_string(i) + "::fs2", 1, 2000,
                                [] { return std::string(8000, 'x'); });
    });
    const std::string key = "a:" + std::to_string(1000 + state.thread_index()) + "::fs2";
    for (auto _ : state) {
        auto rep = cache.get_or_render(key, 1, 2000, [] { return std::string(); });
        benchmark::DoNotOptimize(rep.get());
    }
}
BENCHMARK(BM_PageCacheHit)->Threads(1)->Threads(2);

// The demo site, seeded once per process into a temporary directory (takes a few seconds).
const bench::InProcessSite& site() {
    static std::string dir = [] {
        auto d =
            std::filesystem::temp_directory_path() / ("sinmun-micro-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        bench::prepare_demo(d.string());
        return d.string();
    }();
    static bench::InProcessSite s(dir + "/demo.db");
    return s;
}

void warm_request(benchmark::State& state, int which) {
    const auto& s = site();
    const std::string path = which == 0   ? s.first_article_path()
                             : which == 1 ? std::string("/")
                                          : s.first_section_path();
    for (int i = 0; i < 3; ++i) {
        auto req = bench::InProcessSite::get(path);
        s.serve(req);
    }
    for (auto _ : state) {
        auto req = bench::InProcessSite::get(path);
        auto out = s.serve(req);
        if (out.status != 200) state.SkipWithError("not 200");
        benchmark::DoNotOptimize(out.rep_body);
    }
}
BENCHMARK_CAPTURE(warm_request, article, 0);
BENCHMARK_CAPTURE(warm_request, home, 1);
BENCHMARK_CAPTURE(warm_request, section, 2);

}  // namespace
