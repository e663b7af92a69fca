#include "app/cli_users.hpp"

#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "core/kst.hpp"
#include "store/stores.hpp"

namespace sinmun::app {
namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "sinmun: error: %s\n", message.c_str());
    return 1;
}

// The terminal settings to restore if the operator presses Ctrl-C at a hidden prompt.
termios g_saved_termios;
volatile std::sig_atomic_t g_echo_off = 0;

extern "C" void restore_echo_and_exit(int sig) {
    if (g_echo_off) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_termios);
    ::_exit(128 + sig);
}

Result<std::string> read_line_hidden(const char* prompt) {
    termios t{};
    if (::tcgetattr(STDIN_FILENO, &t) != 0)
        return make_error(Errc::unavailable, "cannot read the terminal settings of stdin");
    g_saved_termios = t;
    auto previous_int = std::signal(SIGINT, restore_echo_and_exit);
    auto previous_term = std::signal(SIGTERM, restore_echo_and_exit);
    termios quiet = t;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    // Echo goes off before the prompt appears, so nothing typed after the prompt is shown.
    g_echo_off = 1;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    std::string line;
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
    g_echo_off = 0;
    std::signal(SIGINT, previous_int);
    std::signal(SIGTERM, previous_term);
    if (!got) return make_error(Errc::invalid_input, "no password entered");
    return line;
}

// A new password: typed twice at a hidden prompt on a terminal, or one line from a pipe.
Result<std::string> read_new_password() {
    if (::isatty(STDIN_FILENO)) {
        auto first = read_line_hidden("새 비밀번호 (10자 이상): ");
        if (!first) return first;
        auto second = read_line_hidden("비밀번호 확인: ");
        if (!second) return second;
        if (*first != *second)
            return make_error(Errc::invalid_input, "the two passwords differ; nothing changed");
        return first;
    }
    std::string line;
    if (!std::getline(std::cin, line))
        return make_error(Errc::invalid_input,
                          "no password on stdin: pipe one line, e.g. "
                          "printf '%s\\n' \"$PASSWORD\" | sinmun user add …");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

std::string when(std::int64_t ms) { return ms == 0 ? std::string("-") : kst::format_minute(ms); }

void add_db_options(CLI::App* sub, std::string& db, std::string& config_file) {
    sub->add_option("--db", db, "SQLite database file (default var/sinmun.db)");
    sub->add_option("--config", config_file, "TOML configuration file")->check(CLI::ExistingFile);
}

Result<std::unique_ptr<store::Database>> open_db(const Config& cfg) {
    const auto parent = std::filesystem::path(cfg.db_path).parent_path();
    if (!parent.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(parent, ec);
        if (ec)
            return make_error(Errc::unavailable,
                              "cannot create directory " + parent.string() + ": " + ec.message());
    }
    return store::open_sqlite({.path = cfg.db_path});
}

// The audit log's actor for commands run by the operator at the shell.
auth::User cli_actor() {
    auth::User u;
    u.email = "cli";
    return u;
}

const std::map<std::string, std::string> kRoleChoices{
    {"reporter", "reporter"}, {"editor", "editor"}, {"admin", "admin"}};

}  // namespace

UsersCli::UsersCli(CLI::App& cli, std::string& db, std::string& config_file) {
    user_ = cli.add_subcommand("user", "Manage newsroom accounts (reporter, editor, admin).");
    user_->require_subcommand(1);
    user_->footer(
        "\nPasswords are never taken from arguments: on a terminal they are asked twice with "
        "echo off; otherwise one line is read from stdin.\n"
        "  printf '%s\\n' \"$PW\" | sinmun user add --email kim@example.com --name 김서연 "
        "--role editor\n");

    auto* add = user_->add_subcommand("add", "Create an account (password from the prompt/stdin).");
    add->add_option("--email", email_, "E-mail address (the login name)")->required();
    add->add_option("--name", name_, "Name shown in bylines, e.g. 김서연")->required();
    add->add_option("--role", role_, "reporter | editor | admin")
        ->required()
        ->transform(CLI::IsMember(kRoleChoices));
    add_db_options(add, db, config_file);

    auto* passwd =
        user_->add_subcommand("passwd", "Set a new password (ends the user's sessions, unlocks).");
    passwd->add_option("--email", email_, "E-mail address")->required();
    add_db_options(passwd, db, config_file);

    auto* disable = user_->add_subcommand("disable", "Disable an account (ends its sessions).");
    disable->add_option("--email", email_, "E-mail address")->required();
    add_db_options(disable, db, config_file);

    auto* enable = user_->add_subcommand("enable", "Enable a disabled account.");
    enable->add_option("--email", email_, "E-mail address")->required();
    add_db_options(enable, db, config_file);

    auto* role = user_->add_subcommand("role", "Change an account's role.");
    role->add_option("--email", email_, "E-mail address")->required();
    role->add_option("--role", role_, "reporter | editor | admin")
        ->required()
        ->transform(CLI::IsMember(kRoleChoices));
    add_db_options(role, db, config_file);

    auto* list = user_->add_subcommand("list", "List accounts.");
    add_db_options(list, db, config_file);

    token_ = cli.add_subcommand("token", "Manage API tokens for the admin JSON API.");
    token_->require_subcommand(1);

    auto* create = token_->add_subcommand("create", "Create a token; it is printed only once.");
    create->add_option("--email", email_, "E-mail address of the account it acts as")->required();
    create->add_option("--name", token_name_, "What the token is for, e.g. '연합 와이어'");
    add_db_options(create, db, config_file);

    auto* tlist = token_->add_subcommand("list", "List an account's tokens (never the secrets).");
    tlist->add_option("--email", email_, "E-mail address")->required();
    add_db_options(tlist, db, config_file);

    auto* revoke = token_->add_subcommand("revoke", "Revoke a token by id (see 'token list').");
    revoke->add_option("--id", token_id_, "Token id")->required()->check(CLI::PositiveNumber);
    add_db_options(revoke, db, config_file);
}

bool UsersCli::parsed() const { return user_->parsed() || token_->parsed(); }

int UsersCli::run(const Config& cfg) {
    auto db = open_db(cfg);
    if (!db) return fail(db.error().message);
    auth::AuthService auth(**db, SystemClock::instance());
    const auth::User actor = cli_actor();

    const auto is = [](CLI::App* parent, const char* name) {
        return parent->get_subcommand(name)->parsed();
    };

    if (user_->parsed()) {
        if (is(user_, "add")) {
            const auto role = auth::parse_role(role_);
            if (!role) return fail("--role must be reporter, editor or admin");
            // Refuse a taken address before asking for a password the operator would then lose.
            if (auth.user_by_email(email_))
                return fail("이미 등록된 이메일입니다: " + auth::normalize_email(email_));
            auto pw = read_new_password();
            if (!pw) return fail(pw.error().message);
            auto u = auth.create_user(email_, name_, *role, std::move(*pw), &actor);
            if (!u) return fail(u.error().message);
            std::printf("created user %lld %s (%s, %s)\n", static_cast<long long>(u->id),
                        u->email.c_str(), auth::to_string(u->role), u->name.c_str());
            return 0;
        }
        if (is(user_, "passwd")) {
            if (auto u = auth.user_by_email(email_); !u) return fail(u.error().message);
            auto pw = read_new_password();
            if (!pw) return fail(pw.error().message);
            if (auto s = auth.set_password(email_, std::move(*pw), &actor); !s)
                return fail(s.error().message);
            std::printf("password changed for %s; their sessions were ended\n",
                        auth::normalize_email(email_).c_str());
            return 0;
        }
        if (is(user_, "disable") || is(user_, "enable")) {
            const bool off = is(user_, "disable");
            if (auto s = auth.set_disabled(email_, off, &actor); !s) return fail(s.error().message);
            std::printf("%s %s\n", off ? "disabled" : "enabled",
                        auth::normalize_email(email_).c_str());
            return 0;
        }
        if (is(user_, "role")) {
            const auto role = auth::parse_role(role_);
            if (!role) return fail("--role must be reporter, editor or admin");
            if (auto s = auth.set_role(email_, *role, &actor); !s) return fail(s.error().message);
            std::printf("%s is now %s\n", auth::normalize_email(email_).c_str(),
                        auth::to_string(*role));
            return 0;
        }
        if (is(user_, "list")) {
            auto all = auth.users();
            if (!all) return fail(all.error().message);
            std::printf("%-5s %-32s %-9s %-8s %-16s %s\n", "ID", "EMAIL", "ROLE", "STATE",
                        "CREATED (KST)", "NAME");
            const std::int64_t now = SystemClock::instance().now_ms();
            for (const auto& u : *all) {
                const char* state = u.disabled             ? "disabled"
                                    : u.locked_until > now ? "locked"
                                                           : "active";
                std::printf("%-5lld %-32s %-9s %-8s %-16s %s\n", static_cast<long long>(u.id),
                            u.email.c_str(), auth::to_string(u.role), state,
                            when(u.created_at).c_str(), u.name.c_str());
            }
            return 0;
        }
    }
    if (token_->parsed()) {
        if (is(token_, "create")) {
            auto t = auth.create_token(email_, token_name_, &actor);
            if (!t) return fail(t.error().message);
            // The token alone on stdout so scripts can capture it; the note goes to stderr.
            std::printf("%s\n", t->second.c_str());
            std::fprintf(stderr,
                         "sinmun: token %lld for %s created; it is shown only this once "
                         "(send it as 'Authorization: Bearer <token>')\n",
                         static_cast<long long>(t->first.id),
                         auth::normalize_email(email_).c_str());
            return 0;
        }
        if (is(token_, "list")) {
            auto list = auth.tokens(email_);
            if (!list) return fail(list.error().message);
            std::printf("%-5s %-8s %-16s %-16s %s\n", "ID", "STATE", "CREATED (KST)",
                        "LAST USED (KST)", "NAME");
            for (const auto& t : *list)
                std::printf("%-5lld %-8s %-16s %-16s %s\n", static_cast<long long>(t.id),
                            t.revoked_at ? "revoked" : "active", when(t.created_at).c_str(),
                            when(t.last_used_at).c_str(), t.name.c_str());
            return 0;
        }
        if (is(token_, "revoke")) {
            if (auto s = auth.revoke_token(token_id_, &actor); !s) return fail(s.error().message);
            std::printf("revoked token %lld\n", token_id_);
            return 0;
        }
    }
    return fail("no user/token subcommand given (see 'sinmun user --help')");
}

}  // namespace sinmun::app
