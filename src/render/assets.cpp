// AssetCatalog implementation. See assets.hpp.
#include "render/assets.hpp"

#include "render/hash.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace sinmun::render {
namespace {

namespace fs = std::filesystem;

// Assets are compressed once, at start-up, so this is start-up time: quality 11 spent ~85 % of
// the CPU from exec to the first page (~270 ms for 56 KB of CSS/JS/SVG); quality 5 takes a fifth
// of that for bodies 10 % larger (16.4 KB instead of 14.9 KB in all), fetched once per visitor
// (fingerprinted URLs are cached for a year). bench/run measures the start-up.
constexpr int kStaticBrotliQuality = 5;
constexpr const char* kImmutable = "public, max-age=31536000, immutable";
constexpr const char* kShortLived = "public, max-age=300";

// "site.css" + "3f2a9c1b" → "site.3f2a9c1b.css"; "fonts/a" → "fonts/a.3f2a9c1b".
std::string fingerprint_name(std::string_view name, std::string_view hash) {
    auto slash = name.rfind('/');
    auto dot = name.rfind('.');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash) ||
        dot == (slash == std::string_view::npos ? 0 : slash + 1)) {
        return std::string(name) + "." + std::string(hash);
    }
    return std::string(name.substr(0, dot)) + "." + std::string(hash) +
           std::string(name.substr(dot));
}

}  // namespace

std::string AssetCatalog::content_type_for(std::string_view name) {
    auto dot = name.rfind('.');
    std::string ext = dot == std::string_view::npos ? "" : std::string(name.substr(dot + 1));
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js" || ext == "mjs") return "application/javascript; charset=utf-8";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "png") return "image/png";
    if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
    if (ext == "webp") return "image/webp";
    if (ext == "gif") return "image/gif";
    if (ext == "ico") return "image/x-icon";
    if (ext == "woff2") return "font/woff2";
    if (ext == "woff") return "font/woff";
    if (ext == "json") return "application/json";
    if (ext == "webmanifest") return "application/manifest+json";
    if (ext == "txt") return "text/plain; charset=utf-8";
    if (ext == "xml") return "application/xml";
    return "application/octet-stream";
}

Result<std::shared_ptr<const AssetCatalog>> AssetCatalog::load(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        return make_error(Errc::not_found, "assets directory not found: " + dir);
    }
    auto cat = std::make_shared<AssetCatalog>();
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec)
        return make_error(Errc::unavailable,
                          "cannot list assets directory " + dir + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec)
            return make_error(Errc::unavailable,
                              "cannot list assets directory " + dir + ": " + ec.message());
        const fs::path& path = it->path();
        std::string leaf = path.filename().string();
        if (!leaf.empty() && leaf[0] == '.') {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec)) continue;
        std::string name = fs::relative(path, dir, ec).generic_string();
        if (ec) return make_error(Errc::unavailable, "cannot resolve asset path " + path.string());
        auto size = it->file_size(ec);
        if (ec) return make_error(Errc::unavailable, "cannot stat asset " + path.string());
        if (size > kMaxFileBytes) {
            return make_error(Errc::too_large, "asset larger than 16 MiB: " + path.string());
        }
        std::ifstream in(path, std::ios::binary);
        std::ostringstream buf;
        buf << in.rdbuf();
        if (!in.good() && !in.eof())
            return make_error(Errc::unavailable, "cannot read asset " + path.string());
        std::string bytes = std::move(buf).str();

        Entry e;
        e.fingerprinted = fingerprint_name(name, hash_hex(bytes, 8));
        std::string type = content_type_for(name);
        e.immutable_rep = make_representation(bytes, type, kImmutable, kStaticBrotliQuality);
        // Same bytes and ETag; only the caching policy differs (a copy: assets are small).
        auto plain = std::make_shared<Representation>(*e.immutable_rep);
        plain->cache_control = kShortLived;
        e.plain_rep = std::move(plain);
        cat->by_request_[e.fingerprinted] = e.immutable_rep;
        cat->by_request_[name] = e.plain_rep;
        cat->by_name_[name] = std::move(e);
    }
    return std::shared_ptr<const AssetCatalog>(std::move(cat));
}

std::string AssetCatalog::url(std::string_view name) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) {
        spdlog::warn("asset not in catalog: {}", name);
        return std::string(kUrlPrefix) + std::string(name);
    }
    return std::string(kUrlPrefix) + it->second.fingerprinted;
}

std::shared_ptr<const Representation> AssetCatalog::find(std::string_view request_file) const {
    auto it = by_request_.find(request_file);
    return it == by_request_.end() ? nullptr : it->second;
}

std::vector<std::string> AssetCatalog::names() const {
    std::vector<std::string> out;
    for (const auto& [name, e] : by_name_) out.push_back(name);
    return out;
}

}  // namespace sinmun::render
