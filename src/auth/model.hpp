// Newsroom identities: users and their roles, sessions, API tokens, and the audit trail.
// Secrets are never stored: sessions and API tokens are kept as SHA-256 hashes of the random
// value the client holds; passwords as argon2id encoded hashes.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sinmun::auth {

// Ordered by power: a check for "editor" admits editors and admins.
enum class Role { reporter = 1, editor = 2, admin = 3 };
inline const char* to_string(Role r) {
    switch (r) {
        case Role::reporter:
            return "reporter";
        case Role::editor:
            return "editor";
        case Role::admin:
            return "admin";
    }
    return "reporter";
}
inline std::optional<Role> parse_role(std::string_view s) {
    for (Role r : {Role::reporter, Role::editor, Role::admin})
        if (s == to_string(r)) return r;
    return std::nullopt;
}
inline const char* korean_label(Role r) {
    switch (r) {
        case Role::reporter:
            return "기자";
        case Role::editor:
            return "데스크";
        case Role::admin:
            return "관리자";
    }
    return "기자";
}

struct User {
    std::int64_t id = 0;
    std::string email;  // unique, stored lowercase
    std::string name;   // 김서연
    Role role = Role::reporter;
    bool disabled = false;
    std::string password_hash;      // argon2id encoded string ("$argon2id$v=19$…")
    std::int64_t author_id = 0;     // the byline (news::Author) this user writes as; 0: none yet
    std::int64_t created_at = 0;    // unix ms
    int failed_logins = 0;          // consecutive failures since the last success
    std::int64_t locked_until = 0;  // unix ms; logins refused before this
};

struct Session {
    std::string id_hash;  // hex SHA-256 of the cookie value
    std::int64_t user_id = 0;
    std::string csrf_token;  // random, sent in forms and the X-CSRF-Token header
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;  // sliding: extended on use, capped by an absolute lifetime
    std::string remote_addr;
    std::string user_agent;
};

struct ApiToken {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string name;        // what it is for: "연합 뉴스 와이어"
    std::string token_hash;  // hex SHA-256 of the token
    std::int64_t created_at = 0;
    std::int64_t revoked_at = 0;  // 0: active
    std::int64_t last_used_at = 0;
};

struct AuditEntry {
    std::int64_t id = 0;
    std::int64_t at = 0;       // unix ms
    std::int64_t user_id = 0;  // 0: the system (scheduler, CLI without a user)
    std::string actor;         // e-mail or "system"/"cli", kept even if the user is renamed
    std::string
        action;  // "login", "login_failed", "publish", "unpublish", "correct", "role_change", …
    std::string target;  // "article:42", "user:7"
    std::string detail;  // human-readable detail (Korean or English)
    std::string remote_addr;
};

}  // namespace sinmun::auth
