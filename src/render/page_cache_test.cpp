#include "render/page_cache.hpp"

#include <gtest/gtest.h>

namespace sinmun::render {
namespace {

struct Counter {
    int calls = 0;
    std::function<std::string()> fn(std::string body) {
        return [this, body] {
            ++calls;
            return body + " #" + std::to_string(calls);
        };
    }
};

TEST(PageCache, TypedEntriesKeepTheirContentTypeAndLastModified) {
    ManualClock clock(1'000'000);
    PageCache cache(clock);
    int calls = 0;
    auto render = [&] {
        ++calls;
        return PageCache::Rendered{"<rss/> " + std::to_string(calls), 123'000};
    };
    auto a = cache.get_or_render_typed("feed:/rss", 1, 60'000, "application/rss+xml", render);
    EXPECT_EQ(a->content_type, "application/rss+xml");
    EXPECT_EQ(a->last_modified_ms, 123'000);
    EXPECT_EQ(a->identity, "<rss/> 1");
    EXPECT_FALSE(a->etag.empty());
    auto b = cache.get_or_render_typed("feed:/rss", 1, 60'000, "application/rss+xml", render);
    EXPECT_EQ(a.get(), b.get());
    cache.invalidate_prefix("feed:");
    auto c = cache.get_or_render_typed("feed:/rss", 1, 60'000, "application/rss+xml", render);
    EXPECT_EQ(calls, 2);
    EXPECT_NE(a->etag, c->etag);
}

TEST(PageCache, ReusesWhileStampMatchesAndYoungerThanMaxAge) {
    ManualClock clock(1'000'000);
    PageCache cache(clock);
    Counter c;
    auto a = cache.get_or_render("/article/1|fs2", 7, 60'000, c.fn("기사"));
    EXPECT_EQ(c.calls, 1);
    EXPECT_EQ(a->identity, "기사 #1");
    EXPECT_EQ(a->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(a->cache_control, "no-cache");

    clock.advance_ms(59'999);
    auto b = cache.get_or_render("/article/1|fs2", 7, 60'000, c.fn("기사"));
    EXPECT_EQ(c.calls, 1);
    EXPECT_EQ(a.get(), b.get());

    clock.advance_ms(1);  // exactly max_age old: stale
    auto d = cache.get_or_render("/article/1|fs2", 7, 60'000, c.fn("기사"));
    EXPECT_EQ(c.calls, 2);
    EXPECT_EQ(d->identity, "기사 #2");
    EXPECT_EQ(cache.stats().hits, 1u);
    EXPECT_EQ(cache.stats().misses, 2u);
}

TEST(PageCache, NewStampRerenders) {
    ManualClock clock(0);
    PageCache cache(clock);
    Counter c;
    cache.get_or_render("k", 1, 1'000'000, c.fn("v"));
    auto r = cache.get_or_render("k", 2, 1'000'000, c.fn("v"));
    EXPECT_EQ(c.calls, 2);
    EXPECT_EQ(r->identity, "v #2");
    // The new version is now the cached one.
    cache.get_or_render("k", 2, 1'000'000, c.fn("v"));
    EXPECT_EQ(c.calls, 2);
    EXPECT_EQ(cache.size(), 1u);
}

TEST(PageCache, InvalidatePrefixDropsOnlyMatchingKeys) {
    ManualClock clock(0);
    PageCache cache(clock);
    Counter c;
    for (const char* k :
         {"/article/1|0", "/article/1|2", "/article/12|2", "/section/economy|1", "/|2"}) {
        cache.get_or_render(k, 1, 1'000'000, c.fn(k));
    }
    EXPECT_EQ(cache.size(), 5u);
    cache.invalidate_prefix("/article/1|");
    EXPECT_EQ(cache.size(), 3u);
    int before = c.calls;
    cache.get_or_render("/article/12|2", 1, 1'000'000, c.fn("x"));
    EXPECT_EQ(c.calls, before);  // still cached
    cache.get_or_render("/article/1|2", 1, 1'000'000, c.fn("x"));
    EXPECT_EQ(c.calls, before + 1);
    cache.clear();
    EXPECT_EQ(cache.size(), 0u);
}

TEST(PageCache, BoundedEvictsOldest) {
    ManualClock clock(0);
    PageCache cache(clock, 3);
    Counter c;
    for (const char* k : {"a", "b", "c"}) cache.get_or_render(k, 1, 1'000'000, c.fn(k));
    cache.get_or_render("a", 2, 1'000'000, c.fn("a"));  // re-render makes "a" the newest
    cache.get_or_render("d", 1, 1'000'000, c.fn("d"));  // evicts "b", the oldest
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_EQ(cache.stats().evictions, 1u);
    int before = c.calls;
    cache.get_or_render("c", 1, 1'000'000, c.fn("c"));
    cache.get_or_render("a", 2, 1'000'000, c.fn("a"));
    EXPECT_EQ(c.calls, before);
    cache.get_or_render("b", 1, 1'000'000, c.fn("b"));
    EXPECT_EQ(c.calls, before + 1);
}

TEST(PageCache, EmptyRenderIsHandedBackButNotStored) {
    ManualClock clock(0);
    PageCache cache(clock);
    int calls = 0;
    auto failing = [&] {
        ++calls;
        return std::string();
    };
    auto rep = cache.get_or_render("s:politics:99:fs2", 1, 1'000'000, failing);
    ASSERT_TRUE(rep);
    EXPECT_TRUE(rep->identity.empty());
    EXPECT_EQ(cache.size(), 0u);  // a concurrent request must not be served the empty page
    cache.get_or_render("s:politics:99:fs2", 1, 1'000'000, failing);
    EXPECT_EQ(calls, 2);
}

TEST(PageCache, ShardedCacheStaysBoundedAndCountsEveryHit) {
    ManualClock clock(0);
    PageCache cache(clock, 2048);  // large enough to be split into shards
    Counter c;
    for (int i = 0; i < 5000; ++i) {
        const std::string key = "a:" + std::to_string(i) + "::fs2";
        cache.get_or_render(key, 1, 1'000'000, c.fn(key));
    }
    EXPECT_LE(cache.size(), 2048u + PageCache::kShards);
    EXPECT_GE(cache.size(), 2048u - PageCache::kShards * 64);
    EXPECT_GT(cache.stats().evictions, 0u);
    const int before = c.calls;
    cache.get_or_render("a:4999::fs2", 1, 1'000'000, c.fn("x"));  // the newest stays
    EXPECT_EQ(c.calls, before);
    EXPECT_EQ(cache.stats().hits, 1u);
    EXPECT_EQ(cache.stats().misses, 5000u);
    cache.invalidate_prefix("a:4999:");
    cache.get_or_render("a:4999::fs2", 1, 1'000'000, c.fn("x"));
    EXPECT_EQ(c.calls, before + 1);
}

}  // namespace
}  // namespace sinmun::render
