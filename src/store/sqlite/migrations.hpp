// The SQLite schema migrations, embedded into the binary at build time from
// src/store/migrations/sqlite/NNNN_name.sql (see src/store/embed_migrations.cmake).
// Thread-safety: immutable static data.
#pragma once

#include <span>
#include <string_view>

namespace sinmun::store::sqlite {

struct Migration {
    int version;            // NNNN: applied in increasing order, recorded in PRAGMA user_version
    std::string_view name;  // "0001_init"
    std::string_view sql;
};

// Every migration this binary knows, sorted by version (1, 2, … without gaps).
std::span<const Migration> embedded_migrations();

}  // namespace sinmun::store::sqlite
