// The `sinmun user …` and `sinmun token …` commands, run as the real binary: passwords fed on a
// pipe and on a pseudo-terminal (echo off, asked twice), results checked in the database itself
// through AuthService.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "auth/auth_service.hpp"
#include "sinmun_process.hpp"
#include "store/stores.hpp"

namespace sinmun {
namespace {

using testing::TempDir;

struct CliRun {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

std::vector<char*> make_argv(const std::string& bin, const std::vector<std::string>& args) {
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(bin.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    return argv;
}

int wait_code(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs sinmun with `input` on a pipe as stdin; collects stdout and stderr separately.
CliRun run(const std::vector<std::string>& args, const std::string& input = {}) {
    int in[2], out[2], err[2];
    if (::pipe(in) || ::pipe(out) || ::pipe(err)) return {};
    const std::string bin = testing::sinmun_binary();
    auto argv = make_argv(bin, args);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
        ::execv(bin.c_str(), argv.data());
        _exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    (void)!::write(in[1], input.data(), input.size());
    ::close(in[1]);
    CliRun r;
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open = 2;
    while (open > 0 && ::poll(fds, 2, 30'000) > 0) {
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
            char buf[4096];
            const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                ::close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            } else {
                (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) ::close(f.fd);
    r.exit_code = wait_code(pid);
    return r;
}

// Reads from the pty master until `needle` appears (or 20 s pass); returns everything read.
std::string read_until(int fd, std::string& seen, const std::string& needle) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (seen.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        char buf[1024];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        seen.append(buf, static_cast<std::size_t>(n));
    }
    return seen;
}

// Runs sinmun on a pseudo-terminal, typing each of `lines` after the prompt `prompts[i]`.
CliRun run_on_tty(const std::vector<std::string>& args, const std::vector<std::string>& prompts,
                  const std::vector<std::string>& lines) {
    const std::string bin = testing::sinmun_binary();
    auto argv = make_argv(bin, args);
    int master = -1;
    const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid == 0) {
        ::execv(bin.c_str(), argv.data());
        _exit(127);
    }
    CliRun r;
    if (pid < 0) return r;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        read_until(master, r.out, prompts[i]);
        // Echo must be off while the password is typed.
        termios t{};
        ::tcgetattr(master, &t);
        EXPECT_FALSE(t.c_lflag & ECHO) << "echo is on at prompt " << prompts[i];
        const std::string line = lines[i] + "\n";
        (void)!::write(master, line.data(), line.size());
    }
    read_until(master, r.out, "\x04never");  // drain until EOF
    ::close(master);
    r.exit_code = wait_code(pid);
    return r;
}

class CliUsers : public ::testing::Test {
protected:
    std::string db() const { return dir_.file("sinmun.db"); }
    std::vector<std::string> with_db(std::vector<std::string> args) const {
        args.push_back("--db");
        args.push_back(db());
        return args;
    }
    // Logs in through AuthService on the same file, as the server would.
    Result<auth::LoginResult> login(const std::string& email, const std::string& password) {
        auto d = store::open_sqlite({.path = db()});
        if (!d) return d.error();
        auth::AuthService a(**d, SystemClock::instance());
        return a.login(email, password, "127.0.0.1", "cli_users_test");
    }

    TempDir dir_;
};

TEST_F(CliUsers, AddReadsThePasswordFromStdinAndTheUserCanLogIn) {
    auto r = run(with_db({"user", "add", "--email", "Kim@Sinmun.Example", "--name", "김서연",
                          "--role", "editor"}),
                 "봄날의 신문 비밀번호\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("kim@sinmun.example"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("봄날의"), std::string::npos);  // the password is never echoed

    auto ok = login("kim@sinmun.example", "봄날의 신문 비밀번호");
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(ok->user.role, auth::Role::editor);
    EXPECT_EQ(ok->user.name, "김서연");
    EXPECT_GT(ok->user.author_id, 0);

    auto list = run(with_db({"user", "list"}));
    ASSERT_EQ(list.exit_code, 0) << list.err;
    EXPECT_NE(list.out.find("kim@sinmun.example"), std::string::npos);
    EXPECT_NE(list.out.find("editor"), std::string::npos);
    EXPECT_NE(list.out.find("active"), std::string::npos);
}

TEST_F(CliUsers, RefusalsAreOneLineErrorsWithNonZeroExit) {
    const auto one_error_line = [](const CliRun& r) {
        EXPECT_NE(r.exit_code, 0);
        EXPECT_EQ(r.err.rfind("sinmun: error: ", 0), 0u) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    };
    one_error_line(run(with_db({"user", "add", "--email", "a@sinmun.example", "--name", "가",
                                "--role", "reporter"}),
                       "short\n"));
    one_error_line(run(
        with_db({"user", "add", "--email", "not-an-email", "--name", "가", "--role", "reporter"}),
        "long enough password\n"));
    one_error_line(run(
        with_db({"user", "add", "--email", "a@sinmun.example", "--name", "가", "--role", "boss"}),
        "long enough password\n"));
    one_error_line(run(with_db({"user", "add", "--email", "a@sinmun.example", "--name", "가",
                                "--role", "reporter"}),
                       ""));  // nothing on stdin
    // There is no way to pass a password on the command line.
    one_error_line(run(with_db({"user", "add", "--email", "a@sinmun.example", "--name", "가",
                                "--role", "reporter", "--password", "long enough password"}),
                       "long enough password\n"));

    ASSERT_EQ(run(with_db({"user", "add", "--email", "a@sinmun.example", "--name", "가", "--role",
                           "reporter"}),
                  "long enough password\n")
                  .exit_code,
              0);
    one_error_line(run(with_db({"user", "add", "--email", "A@SINMUN.example", "--name", "나",
                                "--role", "reporter"}),
                       "another long password\n"));
    one_error_line(
        run(with_db({"user", "role", "--email", "nobody@sinmun.example", "--role", "admin"})));
    one_error_line(run(with_db({"token", "revoke", "--id", "42"})));
}

TEST_F(CliUsers, PasswdDisableEnableAndRoleChangeTheAccount) {
    ASSERT_EQ(run(with_db({"user", "add", "--email", "desk@sinmun.example", "--name", "이민준",
                           "--role", "reporter"}),
                  "first password 1\n")
                  .exit_code,
              0);
    auto session = login("desk@sinmun.example", "first password 1");
    ASSERT_TRUE(session);

    auto p =
        run(with_db({"user", "passwd", "--email", "desk@sinmun.example"}), "second password 2\n");
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(login("desk@sinmun.example", "first password 1").error().code, Errc::unauthorized);
    ASSERT_TRUE(login("desk@sinmun.example", "second password 2"));
    {
        auto d = store::open_sqlite({.path = db()});
        ASSERT_TRUE(d);
        auth::AuthService a(**d, SystemClock::instance());
        EXPECT_FALSE(a.authenticate_session(session->cookie_value));  // ended by passwd
    }

    ASSERT_EQ(run(with_db({"user", "disable", "--email", "desk@sinmun.example"})).exit_code, 0);
    EXPECT_EQ(login("desk@sinmun.example", "second password 2").error().code, Errc::forbidden);
    EXPECT_NE(run(with_db({"user", "list"})).out.find("disabled"), std::string::npos);
    ASSERT_EQ(run(with_db({"user", "enable", "--email", "desk@sinmun.example"})).exit_code, 0);
    EXPECT_TRUE(login("desk@sinmun.example", "second password 2"));

    auto role = run(with_db({"user", "role", "--email", "desk@sinmun.example", "--role", "admin"}));
    ASSERT_EQ(role.exit_code, 0) << role.err;
    EXPECT_EQ(login("desk@sinmun.example", "second password 2")->user.role, auth::Role::admin);

    // Every change is in the audit log, attributed to the CLI.
    auto d = store::open_sqlite({.path = db()});
    ASSERT_TRUE(d);
    auto log = (*d)->audit().recent(100);
    ASSERT_TRUE(log);
    std::vector<std::string> cli_actions;
    for (const auto& e : *log)
        if (e.actor == "cli") cli_actions.push_back(e.action);
    for (const char* a : {"user_add", "password_set", "user_disable", "user_enable", "role_change"})
        EXPECT_NE(std::find(cli_actions.begin(), cli_actions.end(), a), cli_actions.end()) << a;
}

TEST_F(CliUsers, TokenCreatePrintsItOnceAndListAndRevokeWork) {
    ASSERT_EQ(run(with_db({"user", "add", "--email", "wire@sinmun.example", "--name", "연합",
                           "--role", "editor"}),
                  "wire password 1\n")
                  .exit_code,
              0);
    auto c =
        run(with_db({"token", "create", "--email", "wire@sinmun.example", "--name", "와이어"}));
    ASSERT_EQ(c.exit_code, 0) << c.err;
    std::string token = c.out;
    while (!token.empty() && token.back() == '\n') token.pop_back();
    ASSERT_EQ(token.size(), 44u) << c.out;
    EXPECT_EQ(token.rfind("snm_", 0), 0u);

    auto d = store::open_sqlite({.path = db()});
    ASSERT_TRUE(d);
    auth::AuthService a(**d, SystemClock::instance());
    auto who = a.authenticate_token("Bearer " + token);
    ASSERT_TRUE(who) << who.error().message;
    EXPECT_EQ(who->email, "wire@sinmun.example");

    auto l = run(with_db({"token", "list", "--email", "wire@sinmun.example"}));
    ASSERT_EQ(l.exit_code, 0) << l.err;
    EXPECT_NE(l.out.find("와이어"), std::string::npos);
    EXPECT_NE(l.out.find("active"), std::string::npos);
    EXPECT_EQ(l.out.find(token), std::string::npos);  // never shown again

    auto rv = run(with_db({"token", "revoke", "--id", "1"}));
    ASSERT_EQ(rv.exit_code, 0) << rv.err;
    EXPECT_EQ(a.authenticate_token(token).error().code, Errc::unauthorized);
    EXPECT_NE(run(with_db({"token", "list", "--email", "wire@sinmun.example"})).out.find("revoked"),
              std::string::npos);
}

TEST_F(CliUsers, OnATerminalThePasswordIsAskedTwiceWithEchoOff) {
    const std::vector<std::string> add = with_db(
        {"user", "add", "--email", "tty@sinmun.example", "--name", "터미널", "--role", "reporter"});
    auto mismatch =
        run_on_tty(add, {"새 비밀번호", "비밀번호 확인"}, {"typed password 1", "typed password 2"});
    EXPECT_NE(mismatch.exit_code, 0);
    EXPECT_NE(mismatch.out.find("differ"), std::string::npos) << mismatch.out;
    EXPECT_EQ(mismatch.out.find("typed password"), std::string::npos) << mismatch.out;
    EXPECT_FALSE(login("tty@sinmun.example", "typed password 1"));

    auto ok =
        run_on_tty(add, {"새 비밀번호", "비밀번호 확인"}, {"typed password 1", "typed password 1"});
    ASSERT_EQ(ok.exit_code, 0) << ok.out;
    EXPECT_EQ(ok.out.find("typed password"), std::string::npos) << ok.out;  // not echoed
    EXPECT_TRUE(login("tty@sinmun.example", "typed password 1"));
}

}  // namespace
}  // namespace sinmun
