#include "app/cli_search.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/text.hpp"
#include "store/stores.hpp"

namespace sinmun::app {
namespace {

constexpr int kBarWidth = 30;

class ProgressBar {
public:
    ProgressBar() : tty_(::isatty(STDERR_FILENO) == 1) {}

    void update(std::int64_t done, std::int64_t total) {
        const int pct = total > 0 ? static_cast<int>(done * 100 / total) : 100;
        if (tty_) {
            const int filled = pct * kBarWidth / 100;
            std::string bar(static_cast<std::size_t>(filled), '#');
            bar.append(static_cast<std::size_t>(kBarWidth - filled), '.');
            std::fprintf(stderr, "\r색인 [%s] %s/%s건 (%d%%)", bar.c_str(),
                         text::group_thousands(done).c_str(), text::group_thousands(total).c_str(),
                         pct);
            std::fflush(stderr);
        } else if (pct / 10 > last_decile_ || done == total) {
            last_decile_ = pct / 10;
            std::fprintf(stderr, "색인 %s/%s건 (%d%%)\n", text::group_thousands(done).c_str(),
                         text::group_thousands(total).c_str(), pct);
        }
    }
    void finish() {
        if (tty_) std::fputc('\n', stderr);
    }

private:
    bool tty_;
    int last_decile_ = -1;
};

}  // namespace

int run_reindex(const Config& cfg) {
    if (!std::filesystem::exists(cfg.db_path)) {
        std::fprintf(stderr, "sinmun: error: database '%s' does not exist\n", cfg.db_path.c_str());
        return 1;
    }
    store::SqliteOptions opts;
    opts.path = cfg.db_path;
    opts.create_if_missing = false;
    auto db = store::open_sqlite(opts);
    if (!db) {
        std::fprintf(stderr, "sinmun: error: %s\n", db.error().message.c_str());
        return 1;
    }
    ProgressBar bar;
    const auto start = std::chrono::steady_clock::now();
    auto n = (*db)->search().rebuild_index(
        [&](std::int64_t done, std::int64_t total) { bar.update(done, total); });
    bar.finish();
    if (!n) {
        std::fprintf(stderr, "sinmun: error: reindex failed: %s\n", n.error().message.c_str());
        return 1;
    }
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("sinmun: reindexed %lld published articles in %.1f s (%s)\n",
                static_cast<long long>(*n), s, cfg.db_path.c_str());
    return 0;
}

}  // namespace sinmun::app
