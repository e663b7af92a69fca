// Representation: an immutable, pre-encoded response body with pre-compressed variants and a
// strong ETag. Built once per page version (render/page_cache) or static asset and served from
// memory; web/ picks the encoding from Accept-Encoding and answers If-None-Match with 304.
// Thread-safety: immutable once built; share through shared_ptr<const Representation>.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace sinmun::render {

struct Representation {
    std::string content_type;   // "text/html; charset=utf-8"
    std::string etag;           // quoted strong ETag: "\"a1b2c3d4e5f6a7b8\""
    std::string cache_control;  // e.g. "no-cache" or "public, max-age=31536000, immutable"
    std::string identity;
    std::string gzip;                   // empty when not worth compressing
    std::string br;                     // empty when not worth compressing
    std::int64_t last_modified_ms = 0;  // 0: no Last-Modified header
};

// Builds a representation, compressing `body` with gzip and brotli when its content type is
// compressible text and it is at least 256 bytes. The ETag is a 64-bit hash of the identity bytes.
std::shared_ptr<const Representation> make_representation(std::string body,
                                                          std::string content_type,
                                                          std::string cache_control,
                                                          int brotli_quality = 5);

}  // namespace sinmun::render
