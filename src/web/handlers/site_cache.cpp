#include "web/handlers/services.hpp"

#include "news/main_news.hpp"
#include "render/representation.hpp"
#include "store/stores.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

namespace sinmun::web {

namespace {
constexpr std::int64_t kMainNewsWindowMs = 72LL * 3600 * 1000;  // candidates: last 3 days
constexpr std::size_t kMainNewsCount = 10;
}  // namespace

SiteCache::SiteCache(store::Database& db, const Clock& clock, std::int64_t refresh_ms)
    : db_(db), clock_(clock), refresh_ms_(refresh_ms) {}

std::shared_ptr<const SiteCache::Data> SiteCache::build(std::uint64_t generation) {
    auto d = std::make_shared<Data>();
    d->generation = generation;
    d->built_ms = clock_.now_ms();
    if (auto s = db_.settings().site_settings())
        d->settings = std::move(*s);
    else
        spdlog::error("site settings: {}", s.error().message);
    if (auto s = db_.articles().sections())
        d->sections = std::move(*s);
    else
        spdlog::error("sections: {}", s.error().message);
    if (auto c = db_.articles().main_news_candidates(d->built_ms - kMainNewsWindowMs, 200))
        d->main_news = news::rank_main_news(std::move(*c), d->built_ms, kMainNewsCount);
    else
        spdlog::error("main news: {}", c.error().message);
    return d;
}

std::shared_ptr<const SiteCache::Data> SiteCache::get() {
    std::shared_ptr<const Data> current;
    {
        std::lock_guard lock(mu_);
        current = data_;
    }
    const std::int64_t now = clock_.now_ms();
    if (current && !dirty_.load() && now - current->built_ms < refresh_ms_) return current;
    // One thread rebuilds; the others keep serving the previous data meanwhile.
    std::unique_lock build_lock(build_mu_, std::try_to_lock);
    if (!build_lock.owns_lock()) {
        if (current) return current;
        build_lock.lock();
        std::lock_guard lock(mu_);
        if (data_) return data_;
    }
    dirty_.store(false);
    auto fresh = build(generation_.load());
    std::lock_guard lock(mu_);
    data_ = fresh;
    return fresh;
}

void SiteCache::invalidate(bool settings_changed) {
    if (settings_changed) generation_.fetch_add(1);
    dirty_.store(true);
}

const news::Section* SiteCache::find_section(const Data& d, std::string_view slug) const {
    for (const auto& s : d.sections)
        if (s.slug == slug) return &s;
    return nullptr;
}

const news::Section* SiteCache::find_section(const Data& d, std::int64_t id) const {
    for (const auto& s : d.sections)
        if (s.id == id) return &s;
    return nullptr;
}

std::string CanonicalPaths::get(std::int64_t id) {
    std::lock_guard lock(mu_);
    auto it = paths_.find(id);
    return it == paths_.end() ? std::string{} : it->second;
}

void CanonicalPaths::set(std::int64_t id, std::string decoded_path) {
    std::lock_guard lock(mu_);
    paths_[id] = std::move(decoded_path);
}

void CanonicalPaths::erase(std::int64_t id) {
    std::lock_guard lock(mu_);
    paths_.erase(id);
}

namespace {

bool allowed_media_name(const std::string& rel) {
    if (rel.empty() || rel.size() > 200 || rel.front() == '/') return false;
    std::size_t segment_start = 0;
    for (std::size_t i = 0; i <= rel.size(); ++i) {
        if (i == rel.size() || rel[i] == '/') {
            const std::string seg = rel.substr(segment_start, i - segment_start);
            if (seg.empty() || seg[0] == '.') return false;  // no "..", no hidden files
            segment_start = i + 1;
            continue;
        }
        const char c = rel[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

std::string media_type(const std::string& name) {
    auto ends = [&](const char* ext) {
        const std::size_t n = std::char_traits<char>::length(ext);
        return name.size() >= n && name.compare(name.size() - n, n, ext) == 0;
    };
    if (ends(".jpg") || ends(".jpeg")) return "image/jpeg";
    if (ends(".png")) return "image/png";
    if (ends(".webp")) return "image/webp";
    if (ends(".svg")) return "image/svg+xml";
    if (ends(".gif")) return "image/gif";
    return {};
}

}  // namespace

std::shared_ptr<const render::Representation> MediaFiles::find(const std::string& relative) {
    if (!allowed_media_name(relative)) return nullptr;
    const std::string type = media_type(relative);
    if (type.empty()) return nullptr;
    {
        std::lock_guard lock(mu_);
        if (auto it = cache_.find(relative); it != cache_.end()) return it->second;
    }
    std::ifstream in(dir_ + "/" + relative, std::ios::binary);
    if (!in) return nullptr;
    std::ostringstream ss;
    ss << in.rdbuf();
    // Uploads are named by the hash of their content: they never change under the same name.
    const bool immutable = relative.rfind("uploads/", 0) == 0;
    auto rep = render::make_representation(
        ss.str(), type,
        immutable ? "public, max-age=31536000, immutable" : "public, max-age=86400");
    std::lock_guard lock(mu_);
    if (bytes_ + rep->identity.size() <= max_bytes_) {
        bytes_ += rep->identity.size();
        cache_.emplace(relative, rep);
    }
    return rep;
}

}  // namespace sinmun::web
