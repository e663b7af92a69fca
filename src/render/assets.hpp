// AssetCatalog: the static files under assets/ (CSS, JS, SVG, images, fonts), loaded once at
// startup, fingerprinted by content hash and pre-compressed.
//
// Pages link "/assets/site.3f2a9c1b.css" (url()), served with a one-year immutable Cache-Control;
// the plain name "/assets/site.css" is also served, with a short max-age, for hand-typed links.
// A fingerprint that no longer matches the content is not found (never served as immutable).
// Thread-safety: immutable after load(); share it through shared_ptr<const AssetCatalog>.
#pragma once

#include "core/result.hpp"
#include "render/representation.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::render {

class AssetCatalog {
public:
    static constexpr std::size_t kMaxFileBytes = 16u << 20;
    static constexpr const char* kUrlPrefix = "/assets/";

    // Loads every regular file under `dir` (recursively; names use '/', dot files skipped).
    // Errors: not_found when dir is missing, too_large for a file over kMaxFileBytes,
    // unavailable when a file cannot be read.
    static Result<std::shared_ptr<const AssetCatalog>> load(const std::string& dir);

    // "/assets/site.3f2a9c1b.css" for "site.css". An unknown name yields "/assets/<name>" (and a
    // warning in the log) so a missing asset is a 404, never a crash.
    std::string url(std::string_view name) const;

    // The representation for a request path below /assets/: "site.3f2a9c1b.css" (immutable) or
    // "site.css" (max-age=300). nullptr when unknown.
    std::shared_ptr<const Representation> find(std::string_view request_file) const;

    // The content-type the catalog uses for a file name ("application/octet-stream" if unknown).
    static std::string content_type_for(std::string_view name);

    std::vector<std::string> names() const;

private:
    struct Entry {
        std::string fingerprinted;  // "site.3f2a9c1b.css"
        std::shared_ptr<const Representation> immutable_rep;
        std::shared_ptr<const Representation> plain_rep;
    };
    std::map<std::string, Entry, std::less<>> by_name_;
    std::map<std::string, std::shared_ptr<const Representation>, std::less<>> by_request_;
};

}  // namespace sinmun::render
