// AuthService: who is in the newsroom and what they hold. Creates users (argon2id passwords,
// each with a byline), logs them in (throttled, then locked, after repeated failures), keeps
// their sessions (sliding expiry with an absolute cap, one CSRF token per session), issues and
// checks API tokens, and writes the audit log.
//
// Every secret the client holds (session cookie, API token) is 32 random bytes from getrandom(2);
// the store keeps only its SHA-256 hash, so a leaked database does not log anyone in.
//
// For HTTP handlers: the session cookie is "sinmun_session" (kSessionCookie), HttpOnly,
// SameSite=Strict, Secure when configured, Max-Age = options().session_max_ttl. State-changing
// requests must pass check_csrf(session, token-from-form-or-X-CSRF-Token-header).
//
// Errors (Result values, messages in Korean where a newsroom user sees them):
//   invalid_input  bad e-mail shape, empty name, short password, unknown role
//   unauthorized   wrong e-mail or password (one message for both), expired/unknown session or
//                  token, revoked token, disabled user on an existing session/token
//   rate_limited   too many failures: wait (message says how long; see retry_after_ms())
//   forbidden      account locked or disabled at login
//   conflict       e-mail already used
//   not_found      no such user / token for the CLI-style calls
//   unavailable    the database is busy or unreachable
//
// Thread-safety: every method may be called concurrently from any thread. Its own state is the
// failure counts of unknown e-mails (behind a mutex); everything else lives in the store.
// Concurrent failed logins for one user may count as fewer failures than they were (the count is
// read, then written); the throttle still engages.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "auth/model.hpp"
#include "auth/passwords.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/stores.hpp"

namespace sinmun::auth {

inline constexpr std::string_view kSessionCookie = "sinmun_session";
inline constexpr std::size_t kMinPasswordChars = 10;

struct AuthOptions {
    std::chrono::milliseconds session_idle_ttl = std::chrono::hours(12);     // sliding
    std::chrono::milliseconds session_max_ttl = std::chrono::hours(24 * 7);  // absolute cap
    int max_failures_before_delay = 3;  // failures allowed before a wait is imposed
    int lock_after_failures = 10;       // at this many consecutive failures: locked
    std::chrono::milliseconds lock_duration = std::chrono::minutes(15);
    std::chrono::milliseconds first_delay = std::chrono::seconds(1);  // doubles per failure
    PasswordCost password_cost;  // argon2id cost of new hashes (and of the unknown-e-mail path)
};

struct LoginResult {
    User user;
    std::string cookie_value;  // set as the sinmun_session cookie; never stored
    Session session;           // session.csrf_token goes into forms
};

struct SessionUser {
    User user;
    Session session;
};

class AuthService {
public:
    AuthService(store::Database& db, const Clock& clock, AuthOptions options = {});

    const AuthOptions& options() const { return options_; }

    // Creates a user with an argon2id password hash and a matching news::Author byline (name,
    // e-mail); audits "user_add". `email` is trimmed and lowercased; it must look like an
    // address. `name` must not be empty; `password` at least kMinPasswordChars characters.
    // `actor` (may be null: the CLI) is recorded in the audit entry.
    Result<User> create_user(std::string email, std::string name, Role role, std::string password,
                             const User* actor = nullptr);

    // Checks e-mail and password and opens a session. Unknown e-mails cost the same time and get
    // the same message as a wrong password. After options().max_failures_before_delay consecutive
    // failures, logins are refused with rate_limited until a delay growing exponentially passed;
    // at options().lock_after_failures the account is locked (forbidden) for lock_duration.
    // Audits "login", "login_failed" and "locked".
    Result<LoginResult> login(std::string_view email, std::string_view password,
                              std::string_view remote_addr, std::string_view user_agent);

    // The user and session behind a cookie value. unauthorized when unknown, expired, or the
    // user is disabled. Slides the idle expiry (written at most once a minute), never past
    // created_at + session_max_ttl.
    Result<SessionUser> authenticate_session(std::string_view cookie_value);

    // Constant-time comparison of the session's CSRF token with the one the request carries.
    // An empty token never matches.
    static bool check_csrf(const Session& session, std::string_view token);

    // Ends the session of this cookie value (ok also when it no longer exists).
    Status logout(std::string_view cookie_value);

    // Operator/admin actions by e-mail. set_password and set_disabled revoke the user's
    // sessions; set_disabled(true) also makes their API tokens refuse (they are kept, and work
    // again when re-enabled). Each is audited ("password_set", "user_disable"/"user_enable",
    // "role_change") with `actor` (null: the CLI).
    Status set_password(std::string_view email, std::string new_password,
                        const User* actor = nullptr);
    Status set_disabled(std::string_view email, bool disabled, const User* actor = nullptr);
    Status set_role(std::string_view email, Role role, const User* actor = nullptr);

    Result<User> user_by_email(std::string_view email);
    Result<User> user(std::int64_t id);
    Result<std::vector<User>> users();

    // API tokens: "snm_" + 40 hex characters; only the SHA-256 hash is stored. The plaintext is
    // returned once. Audited "token_create" / "token_revoke".
    Result<std::pair<ApiToken, std::string>> create_token(std::string_view email, std::string name,
                                                          const User* actor = nullptr);
    // Accepts the token itself or "Bearer <token>". Revoked tokens, unknown tokens and disabled
    // users are unauthorized. Touches last_used_at at most once a minute.
    Result<User> authenticate_token(std::string_view bearer);
    Result<std::vector<ApiToken>> tokens(std::string_view email);
    Status revoke_token(std::int64_t id, const User* actor = nullptr);

    // Appends to the audit log; a store failure is logged as a warning, never thrown or returned.
    void audit(const User* actor, std::string action, std::string target, std::string detail,
               std::string remote_addr = {});
    Result<std::vector<AuditEntry>> recent_audit(int limit, std::int64_t before_id = 0);

    // Removes expired sessions (call now and then, e.g. at start-up).
    Status purge_expired_sessions();

    // Milliseconds until login() for this e-mail is accepted again (0: now, or unknown e-mail).
    // For the Retry-After header after a rate_limited or forbidden (locked) login.
    std::int64_t retry_after_ms(std::string_view email);

private:
    // What one more failed login leads to.
    struct FailureState {
        int failures = 0;
        std::int64_t locked_until = 0;
        bool locked = false;  // reached lock_after_failures
        Error error;
    };
    FailureState after_failure(int failures_before, std::int64_t now) const;
    Error refused_while_waiting(int failures, std::int64_t wait_ms) const;

    // Failure counts of e-mails that match no user, so they are throttled like real ones.
    struct UnknownEmail {
        int failures = 0;
        std::int64_t locked_until = 0;
    };

    store::Database& db_;
    const Clock& clock_;
    AuthOptions options_;
    std::mutex unknown_mu_;
    std::unordered_map<std::string, UnknownEmail> unknown_;
};

// Lowercased, trimmed e-mail; empty when it does not look like local@domain.tld.
std::string normalize_email(std::string_view email);

}  // namespace sinmun::auth
