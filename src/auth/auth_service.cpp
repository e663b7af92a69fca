#include "auth/auth_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "auth/crypto.hpp"
#include "auth/passwords.hpp"
#include "core/text.hpp"

// Early return of a failed Status/Result's error.
#define SINMUN_TRY_STATUS_AUTH(expr)                                         \
    do {                                                                     \
        if (auto try_s_ = (expr); !try_s_) return std::move(try_s_).error(); \
    } while (0)

namespace sinmun::auth {
namespace {

using text::is_valid_utf8;
using text::nfc;
using text::utf8_length;

constexpr std::size_t kSecretBytes = 32;       // cookie values and CSRF tokens: 256 bits
constexpr std::size_t kTokenRandomBytes = 20;  // "snm_" + 40 hex characters
constexpr std::string_view kTokenPrefix = "snm_";
constexpr std::int64_t kTouchIntervalMs = 60'000;  // session slide / token last_used writes
constexpr std::size_t kMaxPasswordBytes = 1024;    // argon2 cost is per byte; refuse megabytes
constexpr std::size_t kMaxNameChars = 100;
constexpr std::size_t kMaxUserAgentBytes = 512;
constexpr std::size_t kMaxUnknownTracked = 10'000;

const char kBadCredentials[] = "이메일 또는 비밀번호가 올바르지 않습니다.";

std::string_view trim(std::string_view s) {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

bool is_hex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Seconds, rounded up, for messages.
std::int64_t ceil_seconds(std::int64_t ms) { return (ms + 999) / 1000; }

std::string wait_phrase(std::int64_t ms) {
    const std::int64_t s = ceil_seconds(ms);
    if (s >= 120) return std::to_string((s + 59) / 60) + "분";
    return std::to_string(s) + "초";
}

Status check_password(std::string_view password) {
    if (!is_valid_utf8(password))
        return make_error(Errc::invalid_input, "비밀번호가 올바른 UTF-8 문자열이 아닙니다.");
    if (utf8_length(password) < kMinPasswordChars)
        return make_error(Errc::invalid_input, "비밀번호는 " + std::to_string(kMinPasswordChars) +
                                                   "자 이상이어야 합니다.");
    if (password.size() > kMaxPasswordBytes)
        return make_error(
            Errc::invalid_input,
            "비밀번호가 너무 깁니다 (" + std::to_string(kMaxPasswordBytes) + "바이트 이하).");
    return ok();
}

// The same password typed on two systems can arrive in different Unicode forms (한글 composed
// or as jamo); NFC makes them one. Invalid UTF-8 is hashed as given (it can never match a hash
// made by create_user, which refuses it).
std::string password_form(std::string_view password) {
    if (password.size() > kMaxPasswordBytes || !is_valid_utf8(password))
        return std::string(password);
    return nfc(password);
}

std::string user_target(std::int64_t id) { return "user:" + std::to_string(id); }

}  // namespace

std::string normalize_email(std::string_view email) {
    email = trim(email);
    if (email.empty() || email.size() > 254) return {};
    std::string out;
    out.reserve(email.size());
    int ats = 0;
    for (char c : email) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
            c == '(' || c == ')' || c == '\\')
            return {};
        if (c == '@') ++ats;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (ats != 1) return {};
    const auto at = out.find('@');
    const std::string_view local(out.data(), at);
    const std::string_view domain(out.data() + at + 1, out.size() - at - 1);
    if (local.empty() || local.size() > 64) return {};
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos)
        return {};
    if (!is_valid_utf8(out)) return {};
    return out;
}

AuthService::AuthService(store::Database& db, const Clock& clock, AuthOptions options)
    : db_(db), clock_(clock), options_(options) {}

// ---------------------------------------------------------------------------------------------
// Users

Result<User> AuthService::create_user(std::string email, std::string name, Role role,
                                      std::string password, const User* actor) {
    const std::string normalized = normalize_email(email);
    if (normalized.empty())
        return make_error(Errc::invalid_input, "이메일 주소 형식이 올바르지 않습니다: '" +
                                                   std::string(trim(email)) + "'");
    const std::string_view trimmed_name = trim(name);
    if (trimmed_name.empty()) return make_error(Errc::invalid_input, "이름을 입력하세요.");
    if (!is_valid_utf8(trimmed_name))
        return make_error(Errc::invalid_input, "이름이 올바른 UTF-8 문자열이 아닙니다.");
    const std::string clean_name = nfc(trimmed_name);
    if (utf8_length(clean_name) > kMaxNameChars)
        return make_error(Errc::invalid_input,
                          "이름이 너무 깁니다 (" + std::to_string(kMaxNameChars) + "자 이하).");
    SINMUN_TRY_STATUS_AUTH(check_password(password));

    // Refuse a taken address before making a byline that would be left over.
    if (auto existing = db_.users().user_by_email(normalized); existing)
        return make_error(Errc::conflict, "이미 등록된 이메일입니다: " + normalized);
    else if (existing.error().code != Errc::not_found)
        return existing.error();

    auto hash = hash_password(password_form(password), options_.password_cost);
    if (!hash) return hash.error();

    User u;
    u.email = normalized;
    u.name = clean_name;
    u.role = role;
    u.password_hash = std::move(*hash);
    u.created_at = clock_.now_ms();
    auto author_id = db_.articles().save_author({0, u.name, u.email});
    if (!author_id) return author_id.error();
    u.author_id = *author_id;
    auto id = db_.users().create_user(u);
    if (!id) return id.error();
    u.id = *id;
    audit(actor, "user_add", user_target(u.id), u.email + " (" + to_string(role) + ")");
    return u;
}

Result<User> AuthService::user_by_email(std::string_view email) {
    const std::string normalized = normalize_email(email);
    if (normalized.empty())
        return make_error(Errc::invalid_input, "이메일 주소 형식이 올바르지 않습니다: '" +
                                                   std::string(trim(email)) + "'");
    auto u = db_.users().user_by_email(normalized);
    if (!u && u.error().code == Errc::not_found)
        return make_error(Errc::not_found, "등록되지 않은 이메일입니다: " + normalized);
    return u;
}

Result<User> AuthService::user(std::int64_t id) { return db_.users().user(id); }

Result<std::vector<User>> AuthService::users() { return db_.users().users(); }

Status AuthService::set_password(std::string_view email, std::string new_password,
                                 const User* actor) {
    SINMUN_TRY_STATUS_AUTH(check_password(new_password));
    auto u = user_by_email(email);
    if (!u) return u.error();
    auto hash = hash_password(password_form(new_password), options_.password_cost);
    if (!hash) return hash.error();
    u->password_hash = std::move(*hash);
    // A reset by the operator also lifts a lock: that is usually why it was asked for.
    u->failed_logins = 0;
    u->locked_until = 0;
    SINMUN_TRY_STATUS_AUTH(db_.users().update_user(*u));
    SINMUN_TRY_STATUS_AUTH(db_.users().delete_user_sessions(u->id));
    audit(actor, "password_set", user_target(u->id), u->email);
    return ok();
}

Status AuthService::set_disabled(std::string_view email, bool disabled, const User* actor) {
    auto u = user_by_email(email);
    if (!u) return u.error();
    u->disabled = disabled;
    SINMUN_TRY_STATUS_AUTH(db_.users().update_user(*u));
    SINMUN_TRY_STATUS_AUTH(db_.users().delete_user_sessions(u->id));
    audit(actor, disabled ? "user_disable" : "user_enable", user_target(u->id), u->email);
    return ok();
}

Status AuthService::set_role(std::string_view email, Role role, const User* actor) {
    auto u = user_by_email(email);
    if (!u) return u.error();
    const Role before = u->role;
    if (before == role) return ok();
    u->role = role;
    SINMUN_TRY_STATUS_AUTH(db_.users().update_user(*u));
    audit(actor, "role_change", user_target(u->id),
          u->email + ": " + to_string(before) + " → " + to_string(role));
    return ok();
}

// ---------------------------------------------------------------------------------------------
// Login

AuthService::FailureState AuthService::after_failure(int failures_before, std::int64_t now) const {
    FailureState s;
    s.failures = failures_before + 1;
    if (s.failures >= options_.lock_after_failures) {
        s.locked_until = now + options_.lock_duration.count();
        s.error = make_error(Errc::forbidden, "계정이 잠겼습니다. 로그인에 " +
                                                  std::to_string(s.failures) + "번 실패하여 " +
                                                  wait_phrase(options_.lock_duration.count()) +
                                                  " 후에 다시 시도할 수 있습니다.");
        s.locked = true;
        return s;
    }
    if (s.failures >= options_.max_failures_before_delay) {
        const int steps = std::min(s.failures - options_.max_failures_before_delay, 30);
        const std::int64_t delay = std::min<std::int64_t>(options_.first_delay.count() << steps,
                                                          options_.lock_duration.count());
        s.locked_until = now + delay;
        s.error = make_error(Errc::rate_limited, std::string(kBadCredentials) +
                                                     " 로그인 실패가 많아 " + wait_phrase(delay) +
                                                     " 후에 다시 시도할 수 있습니다.");
        return s;
    }
    s.error = make_error(Errc::unauthorized, kBadCredentials);
    return s;
}

Error AuthService::refused_while_waiting(int failures, std::int64_t wait_ms) const {
    if (failures >= options_.lock_after_failures)
        return make_error(Errc::forbidden,
                          "계정이 잠겼습니다. " + wait_phrase(wait_ms) + " 후에 다시 시도하세요.");
    return make_error(Errc::rate_limited, "로그인 시도가 너무 많습니다. " + wait_phrase(wait_ms) +
                                              " 후에 다시 시도하세요.");
}

Result<LoginResult> AuthService::login(std::string_view email, std::string_view password,
                                       std::string_view remote_addr, std::string_view user_agent) {
    const std::int64_t now = clock_.now_ms();
    const std::string normalized = normalize_email(email);
    const std::string addr(remote_addr.substr(0, 64));

    auto found = normalized.empty() ? Result<User>(make_error(Errc::not_found, "bad e-mail"))
                                    : db_.users().user_by_email(normalized);
    if (!found && found.error().code != Errc::not_found) return found.error();

    if (!found) {
        // Unknown e-mail: the same work (one argon2 verification) and the same answers as a
        // known one, throttled the same way in memory, so neither timing nor throttling tells
        // an attacker which addresses exist.
        const std::string key = normalized.empty() ? std::string("(invalid)") : normalized;
        std::lock_guard lock(unknown_mu_);
        auto& ghost = unknown_[key];
        if (ghost.locked_until > now)
            return refused_while_waiting(ghost.failures, ghost.locked_until - now);
        (void)verify_password(dummy_password_hash(options_.password_cost), password_form(password));
        FailureState s = after_failure(ghost.failures, now);
        ghost.failures = s.failures;
        ghost.locked_until = s.locked_until;
        if (unknown_.size() > kMaxUnknownTracked) unknown_.clear();  // bounded memory
        User none;
        none.email = key.substr(0, 254);
        audit(&none, "login_failed", "", "unknown e-mail", addr);
        return s.error;
    }

    User u = std::move(*found);
    if (u.locked_until > now) return refused_while_waiting(u.failed_logins, u.locked_until - now);

    if (!verify_password(u.password_hash, password_form(password))) {
        FailureState s = after_failure(u.failed_logins, now);
        SINMUN_TRY_STATUS_AUTH(db_.users().set_login_state(u.id, s.failures, s.locked_until));
        audit(&u, "login_failed", user_target(u.id),
              "wrong password (" + std::to_string(s.failures) + ")", addr);
        if (s.locked)
            audit(&u, "locked", user_target(u.id),
                  "after " + std::to_string(s.failures) + " failures", addr);
        return s.error;
    }
    if (u.disabled) {
        audit(&u, "login_failed", user_target(u.id), "disabled account", addr);
        return make_error(Errc::forbidden, "비활성화된 계정입니다. 관리자에게 문의하세요.");
    }
    if (u.failed_logins != 0 || u.locked_until != 0) {
        SINMUN_TRY_STATUS_AUTH(db_.users().set_login_state(u.id, 0, 0));
        u.failed_logins = 0;
        u.locked_until = 0;
    }

    LoginResult r;
    r.cookie_value = random_hex(kSecretBytes);
    r.session.id_hash = sha256_hex(r.cookie_value);
    r.session.user_id = u.id;
    r.session.csrf_token = random_hex(kSecretBytes);
    r.session.created_at = now;
    r.session.expires_at =
        now + std::min(options_.session_idle_ttl, options_.session_max_ttl).count();
    r.session.remote_addr = addr;
    r.session.user_agent = std::string(user_agent.substr(0, kMaxUserAgentBytes));
    if (!is_valid_utf8(r.session.user_agent)) r.session.user_agent.clear();
    SINMUN_TRY_STATUS_AUTH(db_.users().create_session(r.session));
    audit(&u, "login", user_target(u.id), "", addr);
    r.user = std::move(u);
    return r;
}

std::int64_t AuthService::retry_after_ms(std::string_view email) {
    const std::int64_t now = clock_.now_ms();
    const std::string normalized = normalize_email(email);
    std::int64_t until = 0;
    if (auto u = normalized.empty() ? Result<User>(make_error(Errc::not_found, ""))
                                    : db_.users().user_by_email(normalized)) {
        until = u->locked_until;
    } else {
        std::lock_guard lock(unknown_mu_);
        const std::string key = normalized.empty() ? std::string("(invalid)") : normalized;
        if (auto it = unknown_.find(key); it != unknown_.end()) until = it->second.locked_until;
    }
    return std::max<std::int64_t>(0, until - now);
}

// ---------------------------------------------------------------------------------------------
// Sessions

Result<SessionUser> AuthService::authenticate_session(std::string_view cookie_value) {
    const auto need_login = [] { return make_error(Errc::unauthorized, "로그인이 필요합니다."); };
    if (cookie_value.size() != kSecretBytes * 2 || !is_hex(cookie_value)) return need_login();
    const std::string id_hash = sha256_hex(cookie_value);
    auto s = db_.users().session(id_hash);
    if (!s) {
        if (s.error().code == Errc::not_found) return need_login();
        return s.error();
    }
    const std::int64_t now = clock_.now_ms();
    if (now >= s->expires_at) {
        if (auto d = db_.users().delete_session(id_hash); !d)
            spdlog::warn("expired session not deleted: {}", d.error().message);
        return make_error(Errc::unauthorized, "세션이 만료되었습니다. 다시 로그인하세요.");
    }
    auto u = db_.users().user(s->user_id);
    if (!u) {
        if (u.error().code == Errc::not_found) return need_login();
        return u.error();
    }
    if (u->disabled) return make_error(Errc::unauthorized, "비활성화된 계정입니다.");

    const std::int64_t slid = std::min(now + options_.session_idle_ttl.count(),
                                       s->created_at + options_.session_max_ttl.count());
    if (slid - s->expires_at > kTouchIntervalMs) {
        if (auto e = db_.users().extend_session(id_hash, slid); e)
            s->expires_at = slid;
        else
            spdlog::warn("session expiry not extended: {}", e.error().message);
    }
    return SessionUser{std::move(*u), std::move(*s)};
}

bool AuthService::check_csrf(const Session& session, std::string_view token) {
    if (token.empty() || session.csrf_token.empty()) return false;
    return constant_time_equal(session.csrf_token, token);
}

Status AuthService::logout(std::string_view cookie_value) {
    if (cookie_value.size() != kSecretBytes * 2 || !is_hex(cookie_value)) return ok();
    const std::string id_hash = sha256_hex(cookie_value);
    auto s = db_.users().session(id_hash);
    if (!s) return s.error().code == Errc::not_found ? ok() : Status(s.error());
    SINMUN_TRY_STATUS_AUTH(db_.users().delete_session(id_hash));
    if (auto u = db_.users().user(s->user_id))
        audit(&*u, "logout", user_target(u->id), "", s->remote_addr);
    return ok();
}

Status AuthService::purge_expired_sessions() {
    return db_.users().delete_expired_sessions(clock_.now_ms());
}

// ---------------------------------------------------------------------------------------------
// API tokens

Result<std::pair<ApiToken, std::string>> AuthService::create_token(std::string_view email,
                                                                   std::string name,
                                                                   const User* actor) {
    auto u = user_by_email(email);
    if (!u) return u.error();
    if (u->disabled)
        return make_error(Errc::forbidden,
                          "비활성화된 계정에는 API 토큰을 만들 수 없습니다: " + u->email);
    const std::string_view trimmed = trim(name);
    if (!is_valid_utf8(trimmed) || utf8_length(trimmed) > kMaxNameChars)
        return make_error(
            Errc::invalid_input,
            "토큰 이름은 UTF-8로 " + std::to_string(kMaxNameChars) + "자 이하입니다.");
    std::string plaintext = std::string(kTokenPrefix) + random_hex(kTokenRandomBytes);
    ApiToken t;
    t.user_id = u->id;
    t.name = nfc(trimmed);
    t.token_hash = sha256_hex(plaintext);
    t.created_at = clock_.now_ms();
    auto id = db_.users().create_token(t);
    if (!id) return id.error();
    t.id = *id;
    audit(actor, "token_create", "token:" + std::to_string(t.id), u->email + " " + t.name);
    return std::pair<ApiToken, std::string>{std::move(t), std::move(plaintext)};
}

Result<User> AuthService::authenticate_token(std::string_view bearer) {
    bearer = trim(bearer);
    if (bearer.size() > 7) {
        std::string scheme(bearer.substr(0, 7));
        std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (scheme == "bearer ") bearer = trim(bearer.substr(7));
    }
    const auto invalid = [] {
        return make_error(Errc::unauthorized, "API 토큰이 올바르지 않습니다.");
    };
    if (bearer.size() != kTokenPrefix.size() + kTokenRandomBytes * 2 ||
        bearer.substr(0, kTokenPrefix.size()) != kTokenPrefix ||
        !is_hex(bearer.substr(kTokenPrefix.size())))
        return invalid();
    auto t = db_.users().token_by_hash(sha256_hex(bearer));
    if (!t) return t.error().code == Errc::not_found ? invalid() : t.error();
    if (t->revoked_at != 0) return make_error(Errc::unauthorized, "폐기된 API 토큰입니다.");
    auto u = db_.users().user(t->user_id);
    if (!u) return u.error().code == Errc::not_found ? invalid() : u.error();
    if (u->disabled) return make_error(Errc::unauthorized, "비활성화된 계정의 API 토큰입니다.");
    const std::int64_t now = clock_.now_ms();
    if (now - t->last_used_at >= kTouchIntervalMs) {
        if (auto s = db_.users().touch_token(t->id, now); !s)
            spdlog::warn("API token last use not recorded: {}", s.error().message);
    }
    return std::move(*u);
}

Result<std::vector<ApiToken>> AuthService::tokens(std::string_view email) {
    auto u = user_by_email(email);
    if (!u) return u.error();
    return db_.users().tokens(u->id);
}

Status AuthService::revoke_token(std::int64_t id, const User* actor) {
    auto r = db_.users().revoke_token(id, clock_.now_ms());
    if (!r) {
        if (r.error().code == Errc::not_found)
            return make_error(Errc::not_found,
                              "API 토큰 " + std::to_string(id) + "이(가) 없습니다.");
        return r;
    }
    audit(actor, "token_revoke", "token:" + std::to_string(id), "");
    return ok();
}

// ---------------------------------------------------------------------------------------------
// Audit

void AuthService::audit(const User* actor, std::string action, std::string target,
                        std::string detail, std::string remote_addr) {
    try {
        AuditEntry e;
        e.at = clock_.now_ms();
        e.user_id = actor ? actor->id : 0;
        e.actor = actor && !actor->email.empty() ? actor->email : std::string("system");
        e.action = std::move(action);
        e.target = std::move(target);
        e.detail = std::move(detail);
        e.remote_addr = std::move(remote_addr);
        if (auto r = db_.audit().append(e); !r)
            spdlog::warn("audit entry '{}' {} not written: {}", e.action, e.target,
                         r.error().message);
    } catch (const std::exception& ex) {
        spdlog::warn("audit entry not written: {}", ex.what());
    }
}

Result<std::vector<AuditEntry>> AuthService::recent_audit(int limit, std::int64_t before_id) {
    return db_.audit().recent(limit, before_id);
}

}  // namespace sinmun::auth
