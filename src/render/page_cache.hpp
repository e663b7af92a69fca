// PageCache: rendered pages kept in memory as Representations (ETag + gzip + brotli), so a page
// is rendered and compressed once per version instead of once per request.
//
// An entry is reused while the caller's `stamp` (e.g. article version, or a site-wide publish
// counter) is unchanged and it is younger than the caller's max_age_ms (pages that show moving
// data — market widgets, 주요 뉴스 — pass a short age). Bounded: past max_entries the oldest
// entry is evicted. Keys must include everything the HTML depends on (path, page, font step).
// A render that returns "" (the page failed: not found, database error) is handed back but not
// stored, so a concurrent request never gets the empty page from the cache.
//
// Thread-safety: every member is safe to call from any thread. The entries are split over shards
// by key hash, each with its own mutex, so the io threads' hits rarely meet on one lock (a hit
// holds it for one hash lookup and a shared_ptr copy). Eviction is oldest-first per shard (each
// shard holds max_entries / shards); a cache of fewer than kMinShardedEntries entries has one
// shard, so small caches evict exactly oldest-first. Rendering runs outside the locks, so two
// threads missing the same key at once may both render; the later result wins.
#pragma once

#include "core/clock.hpp"
#include "render/representation.hpp"

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace sinmun::render {

class PageCache {
public:
    static constexpr std::size_t kDefaultMaxEntries = 20'000;
    static constexpr std::size_t kShards = 16;
    static constexpr std::size_t kMinShardedEntries = 1024;
    static constexpr const char* kContentType = "text/html; charset=utf-8";
    static constexpr const char* kCacheControl = "no-cache";

    explicit PageCache(const Clock& clock, std::size_t max_entries = kDefaultMaxEntries);

    // The cached page for `key` when its stamp equals `stamp` and it was built less than
    // max_age_ms ago; otherwise calls render(), stores and returns the new representation.
    std::shared_ptr<const Representation> get_or_render(std::string_view key, std::uint64_t stamp,
                                                        std::int64_t max_age_ms,
                                                        const std::function<std::string()>& render);

    // The same for bodies that are not HTML pages (feeds, sitemaps): render() also says when the
    // content last changed, served as Last-Modified (0: none).
    struct Rendered {
        std::string body;
        std::int64_t last_modified_ms = 0;
    };
    std::shared_ptr<const Representation> get_or_render_typed(
        const std::string& key, std::uint64_t stamp, std::int64_t max_age_ms,
        const std::string& content_type, const std::function<Rendered()>& render);

    // Drops every entry whose key starts with `prefix` ("" drops everything).
    void invalidate_prefix(std::string_view prefix);
    void clear();

    std::size_t size() const;
    struct Stats {
        std::uint64_t hits = 0;
        std::uint64_t misses = 0;
        std::uint64_t evictions = 0;
    };
    Stats stats() const;

private:
    struct Entry {
        std::uint64_t stamp = 0;
        std::int64_t built_ms = 0;
        std::shared_ptr<const Representation> rep;
        std::list<std::string>::iterator age_pos;  // position in age_order
    };
    using Map = std::map<std::string, Entry, std::less<>>;  // ordered: prefix invalidation
    struct alignas(64) Shard {
        mutable std::mutex mu;
        Map entries;
        std::list<std::string> age_order;  // oldest build first
        Stats stats;
    };

    Shard& shard_for(std::string_view key);
    // The entry for key when its stamp matches and it is fresh enough; null otherwise (counted).
    std::shared_ptr<const Representation> lookup(Shard& shard, std::string_view key,
                                                 std::uint64_t stamp, std::int64_t max_age_ms);
    // Stores (replacing) an entry, then evicts the shard's oldest past max_per_shard_.
    void insert(Shard& shard, std::string_view key, std::uint64_t stamp, std::int64_t built_ms,
                std::shared_ptr<const Representation> rep);
    static void erase_locked(Shard& shard, Map::iterator it);

    const Clock& clock_;
    std::size_t shard_count_;
    std::size_t max_per_shard_;
    std::unique_ptr<Shard[]> shards_;
};

}  // namespace sinmun::render
