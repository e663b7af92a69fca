// The group-commit writer's store work: ReactionStore::apply on a SQLite file with batches of
// new readers voting on one article, as under bench/http/votes.lua (every vote a new row).
// Each iteration is one batch of state.range(0) votes and one durable commit (fsync), so the
// wall-clock figure follows the disk; under callgrind (valgrind --tool=callgrind
// --collect-atstart=no --toggle-collect='*SqliteReactionStore::apply*') it gives the CPU
// instructions per batch that the writer thread spends in the store.
#include "news/model.hpp"
#include "reactions/model.hpp"
#include "store/stores.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using namespace sinmun;

void BM_ApplyNewReaders(benchmark::State& state) {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() / ("sinmun-votes-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
        auto db = store::open_sqlite({.path = (dir / "votes.db").string()});
        if (!db) {
            state.SkipWithError(db.error().message.c_str());
            return;
        }
        const auto sec = (*db)->articles().save_section({0, "society", "사회", 0}).value();
        news::Article a;
        a.section_id = sec;
        a.headline = "반응 벤치마크";
        a.status = news::ArticleStatus::published;
        a.published_at = 1'700'000'000'000;
        const auto article = (*db)->articles().save_article(a).value();
        std::mt19937_64 rng(42);
        const auto batch_size = static_cast<std::size_t>(state.range(0));
        std::vector<reactions::Vote> batch(batch_size);
        std::uint64_t votes = 0;
        for (auto _ : state) {
            state.PauseTiming();
            for (auto& v : batch) {
                char id[33];
                std::snprintf(id, sizeof id, "%016llx%016llx",
                              static_cast<unsigned long long>(rng()),
                              static_cast<unsigned long long>(rng()));
                v = {article, id, reactions::kAllKinds[rng() % 4], true};
            }
            state.ResumeTiming();
            auto r = (*db)->reactions().apply(batch);
            if (!r) {
                state.SkipWithError(r.error().message.c_str());
                break;
            }
            votes += batch.size();
        }
        state.counters["votes/s"] =
            benchmark::Counter(static_cast<double>(votes), benchmark::Counter::kIsRate);
    }
    fs::remove_all(dir);
}
BENCHMARK(BM_ApplyNewReaders)->Arg(64)->Arg(256)->Iterations(300)->UseRealTime();

}  // namespace
