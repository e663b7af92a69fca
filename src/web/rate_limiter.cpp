#include "web/rate_limiter.hpp"

#include <algorithm>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sinmun::web {

namespace {

struct Bucket {
    double tokens = 0;
    std::int64_t updated_ms = 0;
};

// Heterogeneous lookup so allow(string_view) does not build a std::string per call.
struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

}  // namespace

struct RateLimiter::Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket, Hash, std::equal_to<>> buckets;
};

RateLimiter::RateLimiter(const Clock& clock, double rate_per_s, double burst, std::size_t max_keys)
    : clock_(clock),
      rate_per_s_(rate_per_s > 0 ? rate_per_s : 0),
      burst_(burst >= 1 ? burst : 1),
      max_keys_per_shard_(std::max<std::size_t>(1, (max_keys + kShards - 1) / kShards)),
      shards_(new Shard[kShards]) {}

RateLimiter::~RateLimiter() = default;

RateLimiter::Shard& RateLimiter::shard_for(std::string_view key) {
    // The map hashes again with its own seed-free hash; mixing the bits keeps shard choice and
    // bucket placement from correlating.
    std::size_t h = std::hash<std::string_view>{}(key);
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return shards_[h % kShards];
}

bool RateLimiter::allow(std::string_view key) {
    const std::int64_t now = clock_.now_ms();
    Shard& s = shard_for(key);
    std::lock_guard lock(s.mu);
    auto it = s.buckets.find(key);
    if (it == s.buckets.end()) {
        if (s.buckets.size() >= max_keys_per_shard_) {
            // Evict: every bucket that is full again (idle), else the least recently updated.
            auto oldest = s.buckets.end();
            for (auto i = s.buckets.begin(); i != s.buckets.end();) {
                double elapsed = static_cast<double>(now - i->second.updated_ms) / 1000.0;
                if (i->second.tokens + elapsed * rate_per_s_ >= burst_) {
                    i = s.buckets.erase(i);
                    continue;
                }
                if (oldest == s.buckets.end() || i->second.updated_ms < oldest->second.updated_ms)
                    oldest = i;
                ++i;
            }
            if (s.buckets.size() >= max_keys_per_shard_ && oldest != s.buckets.end())
                s.buckets.erase(oldest);
        }
        it = s.buckets.emplace(std::string(key), Bucket{burst_, now}).first;
    }
    Bucket& b = it->second;
    if (now > b.updated_ms) {
        b.tokens = std::min(
            burst_, b.tokens + static_cast<double>(now - b.updated_ms) / 1000.0 * rate_per_s_);
        b.updated_ms = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return true;
    }
    return false;
}

double RateLimiter::retry_after_s(std::string_view key) {
    const std::int64_t now = clock_.now_ms();
    Shard& s = shard_for(key);
    std::lock_guard lock(s.mu);
    auto it = s.buckets.find(key);
    if (it == s.buckets.end()) return 0;
    const Bucket& b = it->second;
    double tokens = b.tokens;
    if (now > b.updated_ms)
        tokens = std::min(burst_,
                          tokens + static_cast<double>(now - b.updated_ms) / 1000.0 * rate_per_s_);
    if (tokens >= 1.0) return 0;
    if (rate_per_s_ <= 0) return 1e9;
    return (1.0 - tokens) / rate_per_s_;
}

std::size_t RateLimiter::size() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < kShards; ++i) {
        std::lock_guard lock(shards_[i].mu);
        n += shards_[i].buckets.size();
    }
    return n;
}

}  // namespace sinmun::web
