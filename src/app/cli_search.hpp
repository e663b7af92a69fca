// `sinmun reindex [--db PATH]`: rebuilds the full-text search index from the articles
// (store::SearchStore::rebuild_index) in one transaction, drawing a progress bar with counts on
// stderr (a line per 10% when stderr is not a terminal) and a summary on stdout. Needed after a
// tokenizer change; the index is otherwise kept current by every article change. A running
// server keeps answering searches from the old index until the rebuild commits; newsroom saves
// wait for it (up to the busy timeout), so run it when the desk is quiet.
// Exit codes: 0 rebuilt, 1 the database could not be opened or written.
#pragma once

#include "app/config.hpp"

namespace sinmun::app {

int run_reindex(const Config& cfg);

}  // namespace sinmun::app
