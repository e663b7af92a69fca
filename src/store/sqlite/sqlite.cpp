#include "store/sqlite/sqlite.hpp"

#include <sqlite3.h>

namespace sinmun::store::sqlite {

Errc errc_from_code(int sqlite_code) {
    switch (sqlite_code & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_CANTOPEN:
        case SQLITE_NOTADB:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_PROTOCOL:
            return Errc::unavailable;
        case SQLITE_CONSTRAINT:
        case SQLITE_TOOBIG:
        case SQLITE_MISMATCH:
            return Errc::invalid_input;
        default:
            return Errc::internal;
    }
}

Result<Connection> Connection::open(const std::string& path, const Options& options) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (options.create_if_missing) flags |= SQLITE_OPEN_CREATE;
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = "cannot open SQLite database '" + path +
                          "': " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        return make_error(errc_from_code(rc), std::move(msg));
    }
    Connection conn(db, path);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, options.busy_timeout_ms);
    if (const int frc = register_search_functions(db); frc != SQLITE_OK)
        return make_error(Errc::internal, "cannot register search functions on '" + path +
                                              "': " + sqlite3_errstr(frc));
    // The first statement that reads the file is where "not a database" shows up.
    std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;";
    if (options.read_only) pragmas += " PRAGMA query_only=ON;";
    if (auto st = conn.exec("SELECT count(*) FROM sqlite_schema;"); !st) {
        const int code = sqlite3_errcode(db);
        if ((code & 0xff) == SQLITE_NOTADB)
            return make_error(Errc::unavailable, "'" + path + "' is not a SQLite database (" +
                                                     sqlite3_errmsg(db) + ")");
        return make_error(Errc::unavailable,
                          "cannot read SQLite database '" + path + "': " + sqlite3_errmsg(db));
    }
    if (auto st = conn.exec(pragmas); !st) return st.error();
    return conn;
}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {
    other.cache_.clear();
}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
        cache_ = std::move(other.cache_);
        other.cache_.clear();
    }
    return *this;
}

Connection::~Connection() { close(); }

void Connection::close() noexcept {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
    if (db_) sqlite3_close_v2(db_);
    db_ = nullptr;
}

Status Connection::exec(std::string_view sql) {
    const std::string text(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        std::string head(sql.substr(0, 60));
        return make_error(errc_from_code(rc),
                          "SQLite '" + path_ + "': " + msg + " (in: " + head + ")");
    }
    return ok();
}

Result<Statement> Connection::prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return Statement(*this, it->second);
    std::string key(sql);
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return error_for(rc, "preparing '" + key.substr(0, 60) + "'");
    cache_.emplace(std::move(key), stmt);
    return Statement(*this, stmt);
}

Error Connection::last_error(std::string_view what) const {
    return error_for(sqlite3_extended_errcode(db_), what);
}

Error Connection::error_for(int code, std::string_view what) const {
    return make_error(errc_from_code(code), std::string(what) + " (" + path_ + "): " +
                                                (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code)));
}

std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Connection::changes() const { return sqlite3_changes(db_); }

Statement::~Statement() {
    if (stmt_) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
}

Statement& Statement::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK && !bind_error_) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    const int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                       SQLITE_UTF8);
    if (rc != SQLITE_OK && !bind_error_) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind_static(int index, std::string_view value) {
    const int rc =
        sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
    if (rc != SQLITE_OK && !bind_error_) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK && !bind_error_) bind_error_ = rc;
    return *this;
}

Result<bool> Statement::step() {
    if (bind_error_) return conn_->error_for(bind_error_, "binding a parameter");
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const char* sql = sqlite3_sql(stmt_);
    std::string head = sql ? std::string(sql).substr(0, 60) : std::string();
    Error e = conn_->error_for(rc, "executing '" + head + "'");
    sqlite3_reset(stmt_);
    return e;
}

Status Statement::run() {
    for (;;) {
        auto r = step();
        if (!r) return r.error();
        if (!*r) return ok();
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_error_ = 0;
}

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (!p) return {};
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
}

Result<Transaction> Transaction::begin(Connection& conn, Mode mode) {
    if (auto st = conn.exec(mode == Mode::immediate ? "BEGIN IMMEDIATE" : "BEGIN"); !st)
        return st.error();
    return Transaction(conn);
}

Transaction::~Transaction() {
    if (conn_) (void)conn_->exec("ROLLBACK");
}

Status Transaction::commit() {
    if (!conn_) return make_error(Errc::internal, "transaction already finished");
    auto st = conn_->exec("COMMIT");
    if (!st) return st;  // the destructor rolls back what is left
    conn_ = nullptr;
    return ok();
}

}  // namespace sinmun::store::sqlite
