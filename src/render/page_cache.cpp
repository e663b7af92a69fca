// PageCache implementation. See page_cache.hpp.
#include "render/page_cache.hpp"

namespace sinmun::render {

PageCache::PageCache(const Clock& clock, std::size_t max_entries)
    : clock_(clock), max_entries_(max_entries == 0 ? 1 : max_entries) {}

std::shared_ptr<const Representation> PageCache::get_or_render(
    const std::string& key, std::uint64_t stamp, std::int64_t max_age_ms,
    const std::function<std::string()>& render) {
    {
        std::lock_guard lock(mu_);
        auto it = entries_.find(key);
        if (it != entries_.end() && it->second.stamp == stamp &&
            clock_.now_ms() - it->second.built_ms < max_age_ms) {
            ++stats_.hits;
            return it->second.rep;
        }
        ++stats_.misses;
    }
    // Render and compress without the lock: this is the expensive part.
    std::int64_t built = clock_.now_ms();
    auto rep = make_representation(render(), kContentType, kCacheControl);

    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) erase_locked(it);
    age_order_.push_back(key);
    entries_.emplace(key, Entry{stamp, built, rep, std::prev(age_order_.end())});
    while (entries_.size() > max_entries_) {
        erase_locked(entries_.find(age_order_.front()));
        ++stats_.evictions;
    }
    return rep;
}

std::shared_ptr<const Representation> PageCache::get_or_render_typed(
    const std::string& key, std::uint64_t stamp, std::int64_t max_age_ms,
    const std::string& content_type, const std::function<Rendered()>& render) {
    {
        std::lock_guard lock(mu_);
        auto it = entries_.find(key);
        if (it != entries_.end() && it->second.stamp == stamp &&
            clock_.now_ms() - it->second.built_ms < max_age_ms) {
            ++stats_.hits;
            return it->second.rep;
        }
        ++stats_.misses;
    }
    std::int64_t built = clock_.now_ms();
    Rendered r = render();
    auto made = make_representation(std::move(r.body), content_type, kCacheControl);
    auto typed =
        std::make_shared<Representation>(std::move(*std::const_pointer_cast<Representation>(made)));
    typed->last_modified_ms = r.last_modified_ms;
    std::shared_ptr<const Representation> rep = std::move(typed);

    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) erase_locked(it);
    age_order_.push_back(key);
    entries_.emplace(key, Entry{stamp, built, rep, std::prev(age_order_.end())});
    while (entries_.size() > max_entries_) {
        erase_locked(entries_.find(age_order_.front()));
        ++stats_.evictions;
    }
    return rep;
}

void PageCache::erase_locked(std::map<std::string, Entry, std::less<>>::iterator it) {
    age_order_.erase(it->second.age_pos);
    entries_.erase(it);
}

void PageCache::invalidate_prefix(std::string_view prefix) {
    std::lock_guard lock(mu_);
    auto it = entries_.lower_bound(prefix);
    while (it != entries_.end() && std::string_view(it->first).starts_with(prefix)) {
        auto next = std::next(it);
        erase_locked(it);
        it = next;
    }
}

void PageCache::clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
    age_order_.clear();
}

std::size_t PageCache::size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
}

PageCache::Stats PageCache::stats() const {
    std::lock_guard lock(mu_);
    return stats_;
}

}  // namespace sinmun::render
