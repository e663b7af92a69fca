// SQLite UserStore and AuditStore. PLACEHOLDER until the newsroom work lands: every call answers
// Errc::unavailable, so nothing pretends to work. Replaced by the real implementation.
#include "store/sqlite/internal.hpp"

namespace sinmun::store::sqlite {
namespace {

Error not_yet() { return make_error(Errc::unavailable, "user accounts are not implemented yet"); }

class PendingUserStore final : public UserStore {
public:
    Result<std::int64_t> create_user(const auth::User&) override { return not_yet(); }
    Status update_user(const auth::User&) override { return not_yet(); }
    Result<auth::User> user(std::int64_t) override { return not_yet(); }
    Result<auth::User> user_by_email(std::string_view) override { return not_yet(); }
    Result<std::vector<auth::User>> users() override { return not_yet(); }
    Status set_login_state(std::int64_t, int, std::int64_t) override { return not_yet(); }
    Status create_session(const auth::Session&) override { return not_yet(); }
    Result<auth::Session> session(std::string_view) override { return not_yet(); }
    Status extend_session(std::string_view, std::int64_t) override { return not_yet(); }
    Status delete_session(std::string_view) override { return not_yet(); }
    Status delete_user_sessions(std::int64_t) override { return not_yet(); }
    Status delete_expired_sessions(std::int64_t) override { return not_yet(); }
    Result<std::int64_t> create_token(const auth::ApiToken&) override { return not_yet(); }
    Result<auth::ApiToken> token_by_hash(std::string_view) override { return not_yet(); }
    Result<std::vector<auth::ApiToken>> tokens(std::int64_t) override { return not_yet(); }
    Status revoke_token(std::int64_t, std::int64_t) override { return not_yet(); }
    Status touch_token(std::int64_t, std::int64_t) override { return not_yet(); }
};

class PendingAuditStore final : public AuditStore {
public:
    Result<std::int64_t> append(const auth::AuditEntry&) override { return not_yet(); }
    Result<std::vector<auth::AuditEntry>> recent(int, std::int64_t) override { return not_yet(); }
};

}  // namespace

std::unique_ptr<UserStore> make_user_store(Connections&) { return std::make_unique<PendingUserStore>(); }
std::unique_ptr<AuditStore> make_audit_store(Connections&) {
    return std::make_unique<PendingAuditStore>();
}

}  // namespace sinmun::store::sqlite
