// PageCache implementation. See page_cache.hpp.
#include "render/page_cache.hpp"

namespace sinmun::render {

PageCache::PageCache(const Clock& clock, std::size_t max_entries) : clock_(clock) {
    if (max_entries == 0) max_entries = 1;
    shard_count_ = max_entries >= kMinShardedEntries ? kShards : 1;
    max_per_shard_ = (max_entries + shard_count_ - 1) / shard_count_;
    shards_ = std::make_unique<Shard[]>(shard_count_);
}

PageCache::Shard& PageCache::shard_for(std::string_view key) {
    if (shard_count_ == 1) return shards_[0];
    return shards_[std::hash<std::string_view>{}(key) % shard_count_];
}

std::shared_ptr<const Representation> PageCache::lookup(Shard& shard, std::string_view key,
                                                        std::uint64_t stamp,
                                                        std::int64_t max_age_ms) {
    std::lock_guard lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end() && it->second.stamp == stamp &&
        clock_.now_ms() - it->second.built_ms < max_age_ms) {
        ++shard.stats.hits;
        return it->second.rep;
    }
    ++shard.stats.misses;
    return nullptr;
}

void PageCache::insert(Shard& shard, std::string_view key, std::uint64_t stamp,
                       std::int64_t built_ms, std::shared_ptr<const Representation> rep) {
    std::lock_guard lock(shard.mu);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end()) erase_locked(shard, it);
    shard.age_order.emplace_back(key);
    shard.entries.emplace(shard.age_order.back(),
                          Entry{stamp, built_ms, std::move(rep), std::prev(shard.age_order.end())});
    while (shard.entries.size() > max_per_shard_) {
        erase_locked(shard, shard.entries.find(shard.age_order.front()));
        ++shard.stats.evictions;
    }
}

std::shared_ptr<const Representation> PageCache::get_or_render(
    std::string_view key, std::uint64_t stamp, std::int64_t max_age_ms,
    const std::function<std::string()>& render) {
    Shard& shard = shard_for(key);
    if (auto hit = lookup(shard, key, stamp, max_age_ms)) return hit;
    // Render and compress without the lock: this is the expensive part.
    const std::int64_t built = clock_.now_ms();
    std::string html = render();
    const bool failed = html.empty();
    auto rep = make_representation(std::move(html), kContentType, kCacheControl);
    if (!failed) insert(shard, key, stamp, built, rep);
    return rep;
}

std::shared_ptr<const Representation> PageCache::get_or_render_typed(
    const std::string& key, std::uint64_t stamp, std::int64_t max_age_ms,
    const std::string& content_type, const std::function<Rendered()>& render) {
    Shard& shard = shard_for(key);
    if (auto hit = lookup(shard, key, stamp, max_age_ms)) return hit;
    const std::int64_t built = clock_.now_ms();
    Rendered r = render();
    const bool failed = r.body.empty();
    auto made = make_representation(std::move(r.body), content_type, kCacheControl);
    auto typed =
        std::make_shared<Representation>(std::move(*std::const_pointer_cast<Representation>(made)));
    typed->last_modified_ms = r.last_modified_ms;
    std::shared_ptr<const Representation> rep = std::move(typed);
    if (!failed) insert(shard, key, stamp, built, rep);
    return rep;
}

void PageCache::erase_locked(Shard& shard, Map::iterator it) {
    shard.age_order.erase(it->second.age_pos);
    shard.entries.erase(it);
}

void PageCache::invalidate_prefix(std::string_view prefix) {
    for (std::size_t i = 0; i < shard_count_; ++i) {
        Shard& shard = shards_[i];
        std::lock_guard lock(shard.mu);
        auto it = shard.entries.lower_bound(prefix);
        while (it != shard.entries.end() && std::string_view(it->first).starts_with(prefix)) {
            auto next = std::next(it);
            erase_locked(shard, it);
            it = next;
        }
    }
}

void PageCache::clear() {
    for (std::size_t i = 0; i < shard_count_; ++i) {
        std::lock_guard lock(shards_[i].mu);
        shards_[i].entries.clear();
        shards_[i].age_order.clear();
    }
}

std::size_t PageCache::size() const {
    std::size_t n = 0;
    for (std::size_t i = 0; i < shard_count_; ++i) {
        std::lock_guard lock(shards_[i].mu);
        n += shards_[i].entries.size();
    }
    return n;
}

PageCache::Stats PageCache::stats() const {
    Stats total;
    for (std::size_t i = 0; i < shard_count_; ++i) {
        std::lock_guard lock(shards_[i].mu);
        total.hits += shards_[i].stats.hits;
        total.misses += shards_[i].stats.misses;
        total.evictions += shards_[i].stats.evictions;
    }
    return total;
}

}  // namespace sinmun::render
