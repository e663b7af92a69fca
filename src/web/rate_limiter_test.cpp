#include "web/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace sinmun::web {
namespace {

TEST(RateLimiter, BurstThenRefillAtRate) {
    ManualClock clock(1'000'000);
    RateLimiter limiter(clock, 2.0, 3.0, 100);
    EXPECT_TRUE(limiter.allow("1.2.3.4"));
    EXPECT_TRUE(limiter.allow("1.2.3.4"));
    EXPECT_TRUE(limiter.allow("1.2.3.4"));
    EXPECT_FALSE(limiter.allow("1.2.3.4"));
    EXPECT_NEAR(limiter.retry_after_s("1.2.3.4"), 0.5, 1e-9);
    EXPECT_TRUE(limiter.allow("5.6.7.8"));  // keys are independent

    clock.advance_ms(499);
    EXPECT_FALSE(limiter.allow("1.2.3.4"));
    clock.advance_ms(1);
    EXPECT_TRUE(limiter.allow("1.2.3.4"));
    EXPECT_FALSE(limiter.allow("1.2.3.4"));

    clock.advance_ms(60'000);  // refill never exceeds the burst
    EXPECT_EQ(limiter.retry_after_s("1.2.3.4"), 0.0);
    EXPECT_TRUE(limiter.allow("1.2.3.4"));
    EXPECT_TRUE(limiter.allow("1.2.3.4"));
    EXPECT_TRUE(limiter.allow("1.2.3.4"));
    EXPECT_FALSE(limiter.allow("1.2.3.4"));
}

TEST(RateLimiter, MemoryIsBoundedByEvictingIdleKeys) {
    ManualClock clock(0);
    RateLimiter limiter(clock, 1.0, 1.0, 64);
    for (int i = 0; i < 10'000; ++i) {
        EXPECT_TRUE(limiter.allow("10.0." + std::to_string(i)));
        clock.advance_ms(10);
    }
    EXPECT_LE(limiter.size(), 64u);
}

TEST(RateLimiter, ActiveKeyKeepsItsStateUnderChurn) {
    ManualClock clock(0);
    RateLimiter limiter(clock, 0.001, 1.0, 1024);
    EXPECT_TRUE(limiter.allow("abuser"));
    for (int i = 0; i < 500; ++i) limiter.allow("visitor" + std::to_string(i));
    EXPECT_FALSE(limiter.allow("abuser"));
}

TEST(RateLimiter, ThreadSafeCounting) {
    ManualClock clock(0);
    RateLimiter limiter(clock, 0.0, 1000.0, 1024);
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                if (limiter.allow("shared")) allowed.fetch_add(1);
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(allowed.load(), 1000);
}

}  // namespace
}  // namespace sinmun::web
