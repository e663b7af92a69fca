// RateLimiter: a token bucket per key (the client IP), for endpoints that write (reactions,
// login) and anything else a single client could hammer.
//
// Each key gets `burst` tokens, refilled at `rate_per_s`; allow() takes one token. Memory is
// bounded: at most `max_keys` keys are tracked (split over shards); when a shard is full, keys
// whose bucket has refilled completely (idle, hence indistinguishable from a new key) are
// dropped first, then the least recently seen one. Time comes from the injected Clock.
// Thread-safety: allow() and retry_after_s() may be called from any thread; keys are spread over
// independently locked shards so io threads rarely contend.
#pragma once

#include "core/clock.hpp"

#include <cstddef>
#include <memory>
#include <string_view>

namespace sinmun::web {

class RateLimiter {
public:
    RateLimiter(const Clock& clock, double rate_per_s, double burst, std::size_t max_keys);
    ~RateLimiter();
    RateLimiter(const RateLimiter&) = delete;
    RateLimiter& operator=(const RateLimiter&) = delete;

    // Takes a token for `key`; false when its bucket is empty (answer 429).
    bool allow(std::string_view key);
    // Seconds until `key` will have a token again (0 when it has one now); for Retry-After.
    double retry_after_s(std::string_view key);
    // Number of keys currently tracked (for tests and /metrics).
    std::size_t size() const;

private:
    struct Shard;
    static constexpr std::size_t kShards = 16;
    const Clock& clock_;
    double rate_per_s_;
    double burst_;
    std::size_t max_keys_per_shard_;
    std::unique_ptr<Shard[]> shards_;

    Shard& shard_for(std::string_view key);
};

}  // namespace sinmun::web
