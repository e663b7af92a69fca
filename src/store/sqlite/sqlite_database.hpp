// The SQLite back end of store::Database: one file in WAL mode, one writer connection behind a
// mutex and a small pool of read connections, so readers never wait behind a write transaction.
//
// Thread-safety: every method is safe to call from any thread concurrently (stores.hpp contract).
// Writes serialise on the writer mutex; each read borrows a pool connection for its duration.
#pragma once

#include <memory>

#include "store/stores.hpp"

namespace sinmun::store::sqlite {

// open_sqlite() with access to what only the SQLite back end knows (used by its own tests and
// by `sinmun migrate` to report what it did).
struct OpenedSqlite {
    std::unique_ptr<Database> db;
    int migrations_applied = 0;  // how many migrations this open ran (0 for an up-to-date file)
};
Result<OpenedSqlite> open_sqlite_database(const SqliteOptions& options);

// The highest schema version this binary knows.
int latest_schema_version();

}  // namespace sinmun::store::sqlite
