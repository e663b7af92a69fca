// A small RAII layer over the sqlite3 C API: connections, prepared statements, transactions.
//
// Only src/store/sqlite/ includes this header; nothing above store/ sees SQLite types or codes.
// Every failure is translated here into sinmun::Error (see error_from_code) with a message naming
// the database path and what was being done.
//
// Thread-safety: a Connection (and its statements) is used by one thread at a time; the owner
// (SqliteDatabase) guarantees that with its writer mutex and its read-connection pool. Connections
// are opened with SQLITE_OPEN_NOMUTEX because of that guarantee.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace sinmun::store::sqlite {

// Maps an SQLite result code to our error kinds: BUSY/LOCKED/CANTOPEN/NOTADB/IO/FULL →
// unavailable, CONSTRAINT → invalid_input, anything else → internal.
Errc errc_from_code(int sqlite_code);

class Statement;

// Registers the deterministic SQL functions the search index triggers call
// (sinmun_search_text, sinmun_search_markdown; sqlite_search.cpp). Every connection has them.
int register_search_functions(sqlite3* db);

class Connection {
public:
    struct Options {
        bool read_only = false;  // PRAGMA query_only: this connection never writes
        bool create_if_missing = true;
        int busy_timeout_ms = 5000;
    };

    // Opens the file and applies the connection pragmas (foreign_keys, busy timeout,
    // synchronous=FULL). Fails with Errc::unavailable naming the path when the file cannot be
    // opened or is not a SQLite database.
    static Result<Connection> open(const std::string& path, const Options& options);

    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    // Runs one or more SQL statements without results (DDL, pragmas, BEGIN/COMMIT).
    Status exec(std::string_view sql);

    // A prepared statement, cached on this connection by its SQL text, so `sql` should be a
    // string literal or otherwise stable text. The returned Statement resets itself when destroyed.
    Result<Statement> prepare(std::string_view sql);

    // An error for the connection's last failure: "<what> (<path>): <sqlite message>".
    Error last_error(std::string_view what) const;
    Error error_for(int code, std::string_view what) const;

    std::int64_t last_insert_rowid() const;
    int changes() const;  // rows changed by the last statement
    const std::string& path() const { return path_; }
    sqlite3* handle() const { return db_; }

private:
    Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    void close() noexcept;

    sqlite3* db_ = nullptr;
    std::string path_;
    // Heterogeneous lookup: prepare(sql) finds a cached statement without copying the SQL text.
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

// A cached prepared statement in use: bind (1-based indexes), step, read columns (0-based).
// Destroying it resets the statement and clears its bindings so the cache can hand it out again.
class Statement {
public:
    Statement(Connection& conn, sqlite3_stmt* stmt) : conn_(&conn), stmt_(stmt) {}
    Statement(Statement&& other) noexcept
        : conn_(other.conn_), stmt_(std::exchange(other.stmt_, nullptr)) {}
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, std::string_view value);  // copied (SQLITE_TRANSIENT)
    // Not copied (SQLITE_STATIC): `value` must stay alive and unchanged until reset() or the
    // Statement's destruction.
    Statement& bind_static(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::optional<std::int64_t> value);
    Statement& bind_null(int index);

    // Advances: true when a row is available, false when done.
    Result<bool> step();
    // Steps to completion, ignoring rows (INSERT/UPDATE/DELETE).
    Status run();
    // Resets so the statement can be stepped again with new bindings.
    void reset();

    std::int64_t int64(int column) const;
    int int32(int column) const { return static_cast<int>(int64(column)); }
    std::string text(int column) const;  // byte-exact copy; "" for NULL
    bool is_null(int column) const;
    std::optional<std::int64_t> optional_int64(int column) const;

private:
    Connection* conn_;
    sqlite3_stmt* stmt_;
    int bind_error_ = 0;  // first bind failure, reported by step()
};

// A write transaction: BEGIN IMMEDIATE on construction (so lock waits happen up front, under the
// busy timeout, instead of failing mid-transaction), ROLLBACK on destruction unless committed.
class Transaction {
public:
    enum class Mode { deferred, immediate };
    static Result<Transaction> begin(Connection& conn, Mode mode = Mode::immediate);
    Transaction(Transaction&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    ~Transaction();

    Status commit();

private:
    explicit Transaction(Connection& conn) : conn_(&conn) {}
    Connection* conn_;
};

}  // namespace sinmun::store::sqlite
