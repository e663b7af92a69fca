// ViewCounter: counts article page views in memory so the hot path never writes to the
// database; the owner drains it periodically into ArticleStore::add_views (one transaction).
// A crash loses at most one flush interval of views, which is acceptable for a popularity signal
// (votes, by contrast, are durable before they are acknowledged).
// Thread-safety: record() and drain() may be called from any thread; sharded locks keep io
// threads from contending on one mutex.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sinmun::news {

class ViewCounter {
public:
    void record(std::int64_t article_id);
    // Returns and resets the pending counts.
    std::vector<std::pair<std::int64_t, std::int64_t>> drain();

private:
    static constexpr std::size_t kShards = 16;
    struct Shard {
        std::mutex mu;
        std::unordered_map<std::int64_t, std::int64_t> counts;
    };
    std::array<Shard, kShards> shards_;
};

// True for user agents that announce themselves as crawlers, bots, monitors or command-line
// tools; their requests are not counted as reads.
bool is_probably_bot(std::string_view user_agent);

}  // namespace sinmun::news
