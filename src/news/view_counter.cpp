#include "news/view_counter.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace sinmun::news {

void ViewCounter::record(std::int64_t article_id) {
    auto& shard = shards_[static_cast<std::size_t>(article_id) % kShards];
    std::lock_guard lock(shard.mu);
    ++shard.counts[article_id];
}

std::vector<std::pair<std::int64_t, std::int64_t>> ViewCounter::drain() {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (auto& shard : shards_) {
        std::unordered_map<std::int64_t, std::int64_t> taken;
        {
            std::lock_guard lock(shard.mu);
            taken.swap(shard.counts);
        }
        out.insert(out.end(), taken.begin(), taken.end());
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool is_probably_bot(std::string_view ua) {
    if (ua.empty()) return true;
    // Lower-cased into a stack buffer (this runs on every article view); longer agents, rare,
    // fall back to the heap.
    char buf[512];
    std::string heap;
    char* data = buf;
    if (ua.size() > sizeof buf) {
        heap.resize(ua.size());
        data = heap.data();
    }
    std::transform(ua.begin(), ua.end(), data,
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::string_view lower(data, ua.size());
    static constexpr std::string_view kMarkers[] = {"bot",        "crawl",
                                                    "spider",     "slurp",
                                                    "curl/",      "wget/",
                                                    "python-",    "go-http",
                                                    "httpclient", "headlesschrome",
                                                    "monitor",    "preview",
                                                    "wrk",        "facebookexternalhit",
                                                    "yeti",       "daum"};
    for (auto m : kMarkers)
        if (lower.find(m) != std::string_view::npos) return true;
    return false;
}

}  // namespace sinmun::news
