// Internals shared by the SQLite store implementations (one .cpp per group of stores):
// the connection set (one writer behind a mutex, a pool of readers), error-propagation macros
// and small statement helpers. Not part of the store interface.
// Thread-safety: Connections is thread-safe; statements belong to one connection at a time.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/sqlite.hpp"
#include "store/stores.hpp"

// Early return of the error of a Result/Status; SQLite failures are ordinary values here.
#define SINMUN_TRY_STATUS(expr)                                              \
    do {                                                                     \
        if (auto try_s_ = (expr); !try_s_) return std::move(try_s_).error(); \
    } while (0)
#define SINMUN_TRY_ASSIGN(name, expr)                   \
    auto name##_result_ = (expr);                       \
    if (!name##_result_) return name##_result_.error(); \
    [[maybe_unused]] auto& name = *name##_result_

namespace sinmun::store::sqlite {

// ---------------------------------------------------------------------------------------------
// Connections

class Connections {
public:
    Connections(Connection writer, std::vector<Connection> readers)
        : writer_(std::move(writer)), readers_(std::move(readers)) {
        for (auto& r : readers_) free_.push_back(&r);
    }

    const std::string& path() const { return writer_.path(); }

    // Runs f(Connection&) on the writer connection, one caller at a time.
    template <class F>
    auto write(F&& f) {
        std::lock_guard lock(write_mu_);
        return f(writer_);
    }

    // Runs f(Connection&) on a read connection borrowed from the pool for the call's duration.
    template <class F>
    auto read(F&& f) {
        Connection* conn = nullptr;
        {
            std::unique_lock lock(read_mu_);
            read_cv_.wait(lock, [&] { return !free_.empty(); });
            conn = free_.back();
            free_.pop_back();
        }
        struct Return {
            Connections* self;
            Connection* conn;
            ~Return() {
                {
                    std::lock_guard lock(self->read_mu_);
                    self->free_.push_back(conn);
                }
                self->read_cv_.notify_one();
            }
        } give_back{this, conn};
        return f(*conn);
    }

private:
    std::mutex write_mu_;
    Connection writer_;
    std::mutex read_mu_;
    std::condition_variable read_cv_;
    std::vector<Connection> readers_;
    std::vector<Connection*> free_;
};

template <class F>
inline Status each_row(Statement& st, F&& f) {
    for (;;) {
        SINMUN_TRY_ASSIGN(row, st.step());
        if (!row) return ok();
        f(st);
    }
}

// Whether `sql` (one ?1 parameter bound to id) yields a row.
inline Result<bool> exists(Connection& c, std::string_view sql, std::int64_t id) {
    SINMUN_TRY_ASSIGN(st, c.prepare(sql));
    st.bind(1, id);
    return st.step();
}

// Factories for the stores implemented in their own files (sqlite_users.cpp).
std::unique_ptr<UserStore> make_user_store(Connections& conns);
std::unique_ptr<AuditStore> make_audit_store(Connections& conns);
std::unique_ptr<SearchStore> make_search_store(Connections& conns);  // sqlite_search.cpp

}  // namespace sinmun::store::sqlite
