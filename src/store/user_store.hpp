// Storage of newsroom users, sessions, API tokens and the audit log. Implemented by each back
// end and covered by the conformance suite. Same contract as stores.hpp: thread-safe, durable on
// success, errors as Errc values with messages (duplicate e-mail → conflict; missing → not_found).
#pragma once

#include "auth/model.hpp"
#include "core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sinmun::store {

class UserStore {
public:
    virtual ~UserStore() = default;

    // Users. `email` is matched case-insensitively.
    virtual Result<std::int64_t> create_user(const auth::User& u) = 0;
    virtual Status update_user(const auth::User& u) = 0;  // all fields by id
    virtual Result<auth::User> user(std::int64_t id) = 0;
    virtual Result<auth::User> user_by_email(std::string_view email) = 0;
    virtual Result<std::vector<auth::User>> users() = 0;
    // Login bookkeeping without rewriting the whole row.
    virtual Status set_login_state(std::int64_t user_id, int failed_logins,
                                   std::int64_t locked_until) = 0;

    // Sessions, keyed by the hash of the cookie value.
    virtual Status create_session(const auth::Session& s) = 0;
    virtual Result<auth::Session> session(std::string_view id_hash) = 0;
    virtual Status extend_session(std::string_view id_hash, std::int64_t expires_at) = 0;
    virtual Status delete_session(std::string_view id_hash) = 0;
    virtual Status delete_user_sessions(std::int64_t user_id) = 0;
    virtual Status delete_expired_sessions(std::int64_t now_ms) = 0;

    // API tokens, looked up by hash.
    virtual Result<std::int64_t> create_token(const auth::ApiToken& t) = 0;
    virtual Result<auth::ApiToken> token_by_hash(std::string_view token_hash) = 0;
    virtual Result<std::vector<auth::ApiToken>> tokens(std::int64_t user_id) = 0;
    virtual Status revoke_token(std::int64_t token_id, std::int64_t at) = 0;
    virtual Status touch_token(std::int64_t token_id, std::int64_t at) = 0;
};

class AuditStore {
public:
    virtual ~AuditStore() = default;
    virtual Result<std::int64_t> append(const auth::AuditEntry& e) = 0;
    // Newest first; entries with id < before_id (0: from the newest), at most `limit`.
    virtual Result<std::vector<auth::AuditEntry>> recent(int limit, std::int64_t before_id = 0) = 0;
};

}  // namespace sinmun::store
