// Bulk import of articles from JSON Lines (`sinmun import FILE.jsonl`).
//
// One JSON object per line:
//   {"title": "…", "subtitle": "…", "section": "<slug>", "labels": ["단독"] | "label": "단독",
//    "body_md": "…", "authors": ["email or name", …], "published_at": "ISO 8601" (optional),
//    "status": "draft|review|published" (optional; published when published_at is given, else
//    draft), "external_id": "…" (optional, dedupes re-imports)}
// Each line is validated on its own; a bad line is rejected with its number and reason and the
// others still import. Unknown authors are created (name, and e-mail when it looks like one).
// Good lines are written in batches, each batch one transaction. Blank lines are ignored.
//
// Thread-safety: a call is self-contained; run one import per database at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/stores.hpp"

namespace sinmun::news {

struct ImportProgress {
    std::int64_t lines = 0;        // lines read so far
    std::int64_t bytes = 0;        // bytes read so far
    std::int64_t total_bytes = 0;  // 0 when unknown
    std::int64_t imported = 0, skipped = 0, rejected = 0;
};

struct ImportOptions {
    std::int64_t user_id = 0;      // who imports (recorded in each revision); 0: the CLI
    std::string actor = "cli";     // e-mail or "cli"
    int batch_size = 200;          // lines per transaction
    std::int64_t total_bytes = 0;  // for progress; 0 when unknown
    std::function<void(const ImportProgress&)> progress;  // after each batch
};

struct ImportRejection {
    std::int64_t line = 0;  // 1-based
    std::string reason;     // Korean, e.g. "알 수 없는 섹션 'sports2'"
};

struct ImportReport {
    std::int64_t lines = 0;
    std::int64_t imported = 0;
    std::int64_t skipped = 0;  // duplicates by external_id
    std::vector<ImportRejection> rejected;
    std::vector<std::int64_t> ids;  // imported article ids, in order
};

// Errors only for what stops the whole import (the database failing); bad lines are in the report.
Result<ImportReport> import_jsonl(store::Database& db, const Clock& clock, std::istream& in,
                                  const ImportOptions& options = {});

}  // namespace sinmun::news
