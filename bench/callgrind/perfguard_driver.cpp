// perfguard_driver: serves warm reader pages in-process (router + handler + page cache +
// middleware, no sockets) so valgrind --tool=callgrind can count the instructions one request
// costs. Instruction counts do not depend on what else the machine is doing, so they make a
// regression guard where wall time cannot (bench/callgrind/perfguard.sh compares them with
// bench/callgrind/baseline.txt).
//
//   perfguard_driver --prepare DIR                  seed the demo site into DIR (natively, once)
//   perfguard_driver --db DIR/demo.db [--requests N]  serve N warm requests per page
//
// Under callgrind (--instr-atstart=no) instrumentation starts after the site is open and every
// page is warm; for each page the counters are zeroed, N requests are served, and the counts are
// dumped with the page's name ("article", "home", "section") as the dump's trigger.
#include "bench/common/inprocess_site.hpp"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name)
#endif

namespace {

// Keeps the compiler from dropping the work.
std::size_t g_sink = 0;

void serve_n(const sinmun::bench::InProcessSite& site, const std::string& path, int n) {
    for (int i = 0; i < n; ++i) {
        auto req = sinmun::bench::InProcessSite::get(path);
        auto out = site.serve(req);
        if (out.status != 200) {
            std::fprintf(stderr, "%s answered %d\n", path.c_str(), out.status);
            std::exit(1);
        }
        g_sink += out.wire_body().size() + out.headers.size();
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string prepare, db;
    int requests = 200;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--prepare" && i + 1 < argc) {
            prepare = argv[++i];
        } else if (a == "--db" && i + 1 < argc) {
            db = argv[++i];
        } else if (a == "--requests" && i + 1 < argc) {
            requests = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr,
                         "usage: perfguard_driver --prepare DIR | --db FILE [--requests N]\n");
            return 2;
        }
    }
    try {
        if (!prepare.empty()) {
            sinmun::bench::prepare_demo(prepare);
            return 0;
        }
        if (db.empty() || requests <= 0) {
            std::fprintf(stderr, "--db FILE is required\n");
            return 2;
        }
        sinmun::bench::InProcessSite site(db);
        const std::vector<std::pair<const char*, std::string>> pages = {
            {"article", site.first_article_path()},
            {"home", "/"},
            {"section", site.first_section_path()},
        };
        // Warm: render and cache each page, learn the canonical paths, fill lazy statics.
        for (const auto& [name, path] : pages) serve_n(site, path, 3);
        CALLGRIND_START_INSTRUMENTATION;
        for (const auto& [name, path] : pages) {
            serve_n(site, path, 2);  // the instrumented code's first-call effects stay out
            CALLGRIND_ZERO_STATS;
            serve_n(site, path, requests);
            CALLGRIND_DUMP_STATS_AT(name);
        }
        std::printf("requests %d per page; sink %zu\n", requests, g_sink);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "perfguard_driver: %s\n", e.what());
        return 1;
    }
    return 0;
}
