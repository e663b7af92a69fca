// SQLite UserStore and AuditStore (schema: migrations/sqlite/0002_users.sql).
//
// Writes go through the shared writer connection (one at a time, committed with synchronous=FULL
// before returning); reads borrow a pool connection and see the last committed snapshot. E-mails
// are lowercased here as well as in auth::AuthService, so the store alone keeps the uniqueness
// promise; the column's NOCASE collation is a second guard.
#include <cctype>

#include "store/sqlite/internal.hpp"

namespace sinmun::store::sqlite {
namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& ch : out)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
}

constexpr std::string_view kUserColumns =
    "SELECT id, email, name, role, disabled, password_hash, author_id, created_at,"
    " failed_logins, locked_until FROM users ";

auth::User user_from_row(const Statement& st) {
    auth::User u;
    u.id = st.int64(0);
    u.email = st.text(1);
    u.name = st.text(2);
    u.role = auth::parse_role(st.text(3)).value_or(auth::Role::reporter);
    u.disabled = st.int64(4) != 0;
    u.password_hash = st.text(5);
    u.author_id = st.optional_int64(6).value_or(0);
    u.created_at = st.int64(7);
    u.failed_logins = st.int32(8);
    u.locked_until = st.int64(9);
    return u;
}

std::optional<std::int64_t> author_or_null(std::int64_t author_id) {
    if (author_id == 0) return std::nullopt;
    return author_id;
}

Status check_user_fields(const auth::User& u) {
    if (u.email.empty()) return make_error(Errc::invalid_input, "a user needs an e-mail address");
    if (u.name.empty()) return make_error(Errc::invalid_input, "a user needs a name");
    if (u.password_hash.empty())
        return make_error(Errc::invalid_input, "a user needs a password hash");
    return ok();
}

Error user_not_found(std::int64_t id) {
    return make_error(Errc::not_found, "user " + std::to_string(id) + " not found");
}

const std::string kUserById = std::string(kUserColumns) + "WHERE id = ?1";
const std::string kUserByEmail = std::string(kUserColumns) + "WHERE email = ?1";
const std::string kAllUsers = std::string(kUserColumns) + "ORDER BY id";

constexpr std::string_view kTokenColumns =
    "SELECT id, user_id, name, token_hash, created_at, revoked_at, last_used_at FROM api_tokens ";
const std::string kTokenByHash = std::string(kTokenColumns) + "WHERE token_hash = ?1";
const std::string kTokensOfUser = std::string(kTokenColumns) + "WHERE user_id = ?1 ORDER BY id";

auth::ApiToken token_from_row(const Statement& st) {
    auth::ApiToken t;
    t.id = st.int64(0);
    t.user_id = st.int64(1);
    t.name = st.text(2);
    t.token_hash = st.text(3);
    t.created_at = st.int64(4);
    t.revoked_at = st.int64(5);
    t.last_used_at = st.int64(6);
    return t;
}

// Parameters ?1–?9 mean the same in the INSERT and the UPDATE of a user.
Statement& bind_user_fields(Statement& st, const auth::User& u, const std::string& email) {
    return st.bind(1, email)
        .bind(2, u.name)
        .bind(3, auth::to_string(u.role))
        .bind(4, u.disabled)
        .bind(5, u.password_hash)
        .bind(6, author_or_null(u.author_id))
        .bind(7, u.created_at)
        .bind(8, u.failed_logins)
        .bind(9, u.locked_until);
}

class SqliteUserStore final : public UserStore {
public:
    explicit SqliteUserStore(Connections& conns) : conns_(conns) {}

    Result<std::int64_t> create_user(const auth::User& u) override {
        SINMUN_TRY_STATUS(check_user_fields(u));
        const std::string email = lower_ascii(u.email);
        return conns_.write([&](Connection& c) -> Result<std::int64_t> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_ASSIGN(dup, c.prepare("SELECT 1 FROM users WHERE email = ?1"));
            dup.bind(1, email);
            SINMUN_TRY_ASSIGN(taken, dup.step());
            if (taken)
                return make_error(Errc::conflict,
                                  "the e-mail address " + email + " is already in use");
            SINMUN_TRY_ASSIGN(
                st, c.prepare("INSERT INTO users (email, name, role, disabled, password_hash,"
                              " author_id, created_at, failed_logins, locked_until)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
            bind_user_fields(st, u, email);
            SINMUN_TRY_STATUS(st.run());
            const std::int64_t id = c.last_insert_rowid();
            SINMUN_TRY_STATUS(tx.commit());
            return id;
        });
    }

    Status update_user(const auth::User& u) override {
        SINMUN_TRY_STATUS(check_user_fields(u));
        const std::string email = lower_ascii(u.email);
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_ASSIGN(dup, c.prepare("SELECT 1 FROM users WHERE email = ?1 AND id <> ?2"));
            dup.bind(1, email).bind(2, u.id);
            SINMUN_TRY_ASSIGN(taken, dup.step());
            if (taken)
                return make_error(Errc::conflict,
                                  "the e-mail address " + email + " is already in use");
            SINMUN_TRY_ASSIGN(
                st, c.prepare("UPDATE users SET email = ?1, name = ?2, role = ?3, disabled = ?4,"
                              " password_hash = ?5, author_id = ?6, created_at = ?7,"
                              " failed_logins = ?8, locked_until = ?9 WHERE id = ?10"));
            bind_user_fields(st, u, email).bind(10, u.id);
            SINMUN_TRY_STATUS(st.run());
            if (c.changes() == 0) return user_not_found(u.id);
            return tx.commit();
        });
    }

    Result<auth::User> user(std::int64_t id) override {
        return conns_.read([&](Connection& c) -> Result<auth::User> {
            SINMUN_TRY_ASSIGN(st, c.prepare(kUserById));
            st.bind(1, id);
            SINMUN_TRY_ASSIGN(row, st.step());
            if (!row) return user_not_found(id);
            return user_from_row(st);
        });
    }

    Result<auth::User> user_by_email(std::string_view email) override {
        const std::string key = lower_ascii(email);
        return conns_.read([&](Connection& c) -> Result<auth::User> {
            SINMUN_TRY_ASSIGN(st, c.prepare(kUserByEmail));
            st.bind(1, key);
            SINMUN_TRY_ASSIGN(row, st.step());
            if (!row) return make_error(Errc::not_found, "no user with e-mail " + key);
            return user_from_row(st);
        });
    }

    Result<std::vector<auth::User>> users() override {
        return conns_.read([&](Connection& c) -> Result<std::vector<auth::User>> {
            SINMUN_TRY_ASSIGN(st, c.prepare(kAllUsers));
            std::vector<auth::User> out;
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& s) { out.push_back(user_from_row(s)); }));
            return out;
        });
    }

    Status set_login_state(std::int64_t user_id, int failed_logins,
                           std::int64_t locked_until) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(
                st,
                c.prepare("UPDATE users SET failed_logins = ?1, locked_until = ?2 WHERE id = ?3"));
            st.bind(1, failed_logins).bind(2, locked_until).bind(3, user_id);
            SINMUN_TRY_STATUS(st.run());
            if (c.changes() == 0) return user_not_found(user_id);
            return ok();
        });
    }

    Status create_session(const auth::Session& s) override {
        if (s.id_hash.empty() || s.csrf_token.empty())
            return make_error(Errc::invalid_input, "a session needs an id hash and a CSRF token");
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_ASSIGN(has_user, exists(c, "SELECT 1 FROM users WHERE id = ?1", s.user_id));
            if (!has_user) return user_not_found(s.user_id);
            SINMUN_TRY_ASSIGN(
                st, c.prepare("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at,"
                              " expires_at, remote_addr, user_agent)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
            st.bind(1, s.id_hash)
                .bind(2, s.user_id)
                .bind(3, s.csrf_token)
                .bind(4, s.created_at)
                .bind(5, s.expires_at)
                .bind(6, s.remote_addr)
                .bind(7, s.user_agent);
            if (auto r = st.run(); !r) {
                if (r.error().code == Errc::invalid_input)
                    return make_error(Errc::conflict, "a session with this id already exists");
                return r.error();
            }
            return tx.commit();
        });
    }

    Result<auth::Session> session(std::string_view id_hash) override {
        return conns_.read([&](Connection& c) -> Result<auth::Session> {
            SINMUN_TRY_ASSIGN(st, c.prepare("SELECT id_hash, user_id, csrf_token, created_at,"
                                            " expires_at, remote_addr, user_agent"
                                            " FROM sessions WHERE id_hash = ?1"));
            st.bind(1, id_hash);
            SINMUN_TRY_ASSIGN(row, st.step());
            if (!row) return make_error(Errc::not_found, "no such session");
            auth::Session s;
            s.id_hash = st.text(0);
            s.user_id = st.int64(1);
            s.csrf_token = st.text(2);
            s.created_at = st.int64(3);
            s.expires_at = st.int64(4);
            s.remote_addr = st.text(5);
            s.user_agent = st.text(6);
            return s;
        });
    }

    Status extend_session(std::string_view id_hash, std::int64_t expires_at) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(st,
                              c.prepare("UPDATE sessions SET expires_at = ?1 WHERE id_hash = ?2"));
            st.bind(1, expires_at).bind(2, id_hash);
            SINMUN_TRY_STATUS(st.run());
            if (c.changes() == 0) return make_error(Errc::not_found, "no such session");
            return ok();
        });
    }

    Status delete_session(std::string_view id_hash) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(st, c.prepare("DELETE FROM sessions WHERE id_hash = ?1"));
            st.bind(1, id_hash);
            return st.run();
        });
    }

    Status delete_user_sessions(std::int64_t user_id) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(st, c.prepare("DELETE FROM sessions WHERE user_id = ?1"));
            st.bind(1, user_id);
            return st.run();
        });
    }

    Status delete_expired_sessions(std::int64_t now_ms) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(st, c.prepare("DELETE FROM sessions WHERE expires_at <= ?1"));
            st.bind(1, now_ms);
            return st.run();
        });
    }

    Result<std::int64_t> create_token(const auth::ApiToken& t) override {
        if (t.token_hash.empty())
            return make_error(Errc::invalid_input, "an API token needs its hash");
        return conns_.write([&](Connection& c) -> Result<std::int64_t> {
            SINMUN_TRY_ASSIGN(tx, Transaction::begin(c));
            SINMUN_TRY_ASSIGN(has_user, exists(c, "SELECT 1 FROM users WHERE id = ?1", t.user_id));
            if (!has_user) return user_not_found(t.user_id);
            SINMUN_TRY_ASSIGN(
                st, c.prepare("INSERT INTO api_tokens (user_id, name, token_hash, created_at,"
                              " revoked_at, last_used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
            st.bind(1, t.user_id)
                .bind(2, t.name)
                .bind(3, t.token_hash)
                .bind(4, t.created_at)
                .bind(5, t.revoked_at)
                .bind(6, t.last_used_at);
            if (auto r = st.run(); !r) {
                if (r.error().code == Errc::invalid_input)
                    return make_error(Errc::conflict, "an API token with this hash already exists");
                return r.error();
            }
            const std::int64_t id = c.last_insert_rowid();
            SINMUN_TRY_STATUS(tx.commit());
            return id;
        });
    }

    Result<auth::ApiToken> token_by_hash(std::string_view token_hash) override {
        return conns_.read([&](Connection& c) -> Result<auth::ApiToken> {
            SINMUN_TRY_ASSIGN(st, c.prepare(kTokenByHash));
            st.bind(1, token_hash);
            SINMUN_TRY_ASSIGN(row, st.step());
            if (!row) return make_error(Errc::not_found, "no such API token");
            return token_from_row(st);
        });
    }

    Result<std::vector<auth::ApiToken>> tokens(std::int64_t user_id) override {
        return conns_.read([&](Connection& c) -> Result<std::vector<auth::ApiToken>> {
            SINMUN_TRY_ASSIGN(st, c.prepare(kTokensOfUser));
            st.bind(1, user_id);
            std::vector<auth::ApiToken> out;
            SINMUN_TRY_STATUS(
                each_row(st, [&](Statement& s) { out.push_back(token_from_row(s)); }));
            return out;
        });
    }

    // Revoking twice keeps the first time: the audit trail should show when it stopped working.
    Status revoke_token(std::int64_t token_id, std::int64_t at) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(st, c.prepare("UPDATE api_tokens SET revoked_at = ?1"
                                            " WHERE id = ?2 AND revoked_at = 0"));
            st.bind(1, at).bind(2, token_id);
            SINMUN_TRY_STATUS(st.run());
            if (c.changes() > 0) return ok();
            SINMUN_TRY_ASSIGN(found, exists(c, "SELECT 1 FROM api_tokens WHERE id = ?1", token_id));
            if (!found)
                return make_error(Errc::not_found,
                                  "API token " + std::to_string(token_id) + " not found");
            return ok();
        });
    }

    Status touch_token(std::int64_t token_id, std::int64_t at) override {
        return conns_.write([&](Connection& c) -> Status {
            SINMUN_TRY_ASSIGN(st,
                              c.prepare("UPDATE api_tokens SET last_used_at = ?1 WHERE id = ?2"));
            st.bind(1, at).bind(2, token_id);
            SINMUN_TRY_STATUS(st.run());
            if (c.changes() == 0)
                return make_error(Errc::not_found,
                                  "API token " + std::to_string(token_id) + " not found");
            return ok();
        });
    }

private:
    Connections& conns_;
};

class SqliteAuditStore final : public AuditStore {
public:
    explicit SqliteAuditStore(Connections& conns) : conns_(conns) {}

    Result<std::int64_t> append(const auth::AuditEntry& e) override {
        if (e.action.empty())
            return make_error(Errc::invalid_input, "an audit entry needs an action");
        return conns_.write([&](Connection& c) -> Result<std::int64_t> {
            SINMUN_TRY_ASSIGN(
                st, c.prepare("INSERT INTO audit_log (at, user_id, actor, action, target, detail,"
                              " remote_addr) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
            st.bind(1, e.at)
                .bind(2, e.user_id)
                .bind(3, e.actor.empty() ? std::string("system") : e.actor)
                .bind(4, e.action)
                .bind(5, e.target)
                .bind(6, e.detail)
                .bind(7, e.remote_addr);
            SINMUN_TRY_STATUS(st.run());
            return c.last_insert_rowid();
        });
    }

    Result<std::vector<auth::AuditEntry>> recent(int limit, std::int64_t before_id) override {
        if (limit < 1 || limit > 1000)
            return make_error(Errc::invalid_input, "audit limit must be between 1 and 1000");
        return conns_.read([&](Connection& c) -> Result<std::vector<auth::AuditEntry>> {
            SINMUN_TRY_ASSIGN(
                st, c.prepare("SELECT id, at, user_id, actor, action, target, detail, remote_addr"
                              " FROM audit_log WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC"
                              " LIMIT ?2"));
            st.bind(1, before_id).bind(2, limit);
            std::vector<auth::AuditEntry> out;
            SINMUN_TRY_STATUS(each_row(st, [&](Statement& s) {
                auth::AuditEntry e;
                e.id = s.int64(0);
                e.at = s.int64(1);
                e.user_id = s.int64(2);
                e.actor = s.text(3);
                e.action = s.text(4);
                e.target = s.text(5);
                e.detail = s.text(6);
                e.remote_addr = s.text(7);
                out.push_back(std::move(e));
            }));
            return out;
        });
    }

private:
    Connections& conns_;
};

}  // namespace

std::unique_ptr<UserStore> make_user_store(Connections& conns) {
    return std::make_unique<SqliteUserStore>(conns);
}
std::unique_ptr<AuditStore> make_audit_store(Connections& conns) {
    return std::make_unique<SqliteAuditStore>(conns);
}

}  // namespace sinmun::store::sqlite
