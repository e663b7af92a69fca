// make_representation: hash, compress, wrap. See representation.hpp.
#include "render/representation.hpp"

#include "core/compress.hpp"
#include "render/hash.hpp"

#include <string_view>

namespace sinmun::render {
namespace {

constexpr std::size_t kMinCompressBytes = 256;

// Text-like types shrink well; images and fonts are already compressed.
bool is_compressible(std::string_view content_type) {
    auto semi = content_type.find(';');
    std::string_view type = content_type.substr(0, semi);
    if (type.starts_with("text/")) return true;
    if (type.ends_with("+xml") || type.ends_with("+json")) return true;
    return type == "application/javascript" || type == "application/json" ||
           type == "application/xml" || type == "image/x-icon" ||
           type == "image/vnd.microsoft.icon";
}

}  // namespace

std::shared_ptr<const Representation> make_representation(std::string body,
                                                          std::string content_type,
                                                          std::string cache_control,
                                                          int brotli_quality) {
    auto rep = std::make_shared<Representation>();
    rep->etag = "\"" + hash_hex(body, 16) + "\"";
    if (body.size() >= kMinCompressBytes && is_compressible(content_type)) {
        // Keep a variant only when it actually saves bytes; web/ falls back to identity.
        std::string gz = gzip_compress(body, 6);
        if (gz.size() < body.size()) rep->gzip = std::move(gz);
        std::string br = brotli_compress(body, brotli_quality);
        if (br.size() < body.size()) rep->br = std::move(br);
    }
    rep->content_type = std::move(content_type);
    rep->cache_control = std::move(cache_control);
    rep->identity = std::move(body);
    return rep;
}

}  // namespace sinmun::render
