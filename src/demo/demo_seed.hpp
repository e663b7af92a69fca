// Seeds a demo newsroom into an empty database: site settings marked demo, sections, reporters,
// the articles under demo/articles (published over the last ~3 days, three pinned 주요 뉴스),
// plausible view counts and reader reactions, and the procedural photos under <media_dir>/demo/.
//
// Safety: demo mode must never touch a real database. The settings key "meta.demo" = "1" marks a
// demo database; seed() writes it before anything else and refuses any database that holds content
// without it.
//
// Photo ids: the body files place photos as ![alt](photo:N) by 1-based position, but the renderer
// needs news::Photo::id, which the store assigns on insert. seed() saves each article, reads it
// back to learn the ids, rewrites the references (rewrite_photo_refs) and saves it once more, so
// every seeded article has version 2 and its body names real photo ids.
//
// Thread-safety: call once at startup, before serving; not concurrently with itself on one
// database.
#pragma once

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/stores.hpp"

#include <string>
#include <string_view>

namespace sinmun::demo {

// Settings keys written by seed().
constexpr std::string_view kDemoMarkerKey = "meta.demo";         // "1": a demo database
constexpr std::string_view kDemoSeededKey = "meta.demo_seeded";  // article count, once complete

struct SeedReport {
    int articles = 0;         // articles written this run (0 when content already existed)
    int photos_rendered = 0;  // photo files (main + thumbnail pairs) generated this run
    bool content_existed = false;
};

// On an empty database: marks it demo and loads everything (see above). On a database already
// marked demo with its content: changes nothing in it, only re-renders photo files missing from
// <media_dir>/demo/. On a database with content and no demo marker: Errc::conflict
// "<db_label> is not a demo database; refusing to load demo content", leaving it untouched.
// Other errors come from the store, the embedded data (invalid_input) or image encoding (internal).
Result<SeedReport> seed_with_report(store::Database& db, const std::string& media_dir,
                                    const Clock& clock, std::string_view db_label = "database");

// The same, for callers that only need success or the error.
Status seed(store::Database& db, const std::string& media_dir, const Clock& clock,
            std::string_view db_label = "database");

}  // namespace sinmun::demo
