#include "news/view_counter.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace sinmun::news;

TEST(ViewCounter, CountsFromManyThreadsAndDrainsOnce) {
    ViewCounter vc;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) vc.record(i % 3 + 1);
        });
    for (auto& t : threads) t.join();
    auto drained = vc.drain();
    ASSERT_EQ(drained.size(), 3u);
    std::int64_t total = 0;
    for (auto& [id, n] : drained) total += n;
    EXPECT_EQ(total, 4000);
    EXPECT_TRUE(vc.drain().empty());
}

TEST(ViewCounter, RecognisesCrawlersAndTools) {
    EXPECT_TRUE(is_probably_bot(
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));
    EXPECT_TRUE(is_probably_bot("Mozilla/5.0 (compatible; Yeti/1.1; +http://naver.me/spd)"));
    EXPECT_TRUE(is_probably_bot("curl/7.88.1"));
    EXPECT_TRUE(is_probably_bot(""));
    EXPECT_FALSE(
        is_probably_bot("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                        "AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"));
}
