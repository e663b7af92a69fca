// Runs the real sinmun binary as a child process for integration tests: on 127.0.0.1 port 0,
// with its own temp directory, output captured; waits for its "listening on" line.
// Thread-safety: one owner thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sinmun::testing {

// A fresh directory under $TMPDIR, removed (recursively) on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// Path of the sinmun binary: $SINMUN_BIN, else the build tree's.
std::string sinmun_binary();

// What a finished `sinmun …` command printed and returned.
struct CliResult {
    int exit_code = -1;  // 128+signal when killed; -1 when it could not run or timed out
    std::string out;     // stdout
    std::string err;     // stderr
};

// Runs `sinmun <args…>` to completion in `cwd` (empty: the current directory) with `input` on its
// stdin (a pipe, so the CLI sees no terminal); stdout and stderr are collected separately. A run
// longer than timeout_ms is killed with SIGKILL and reported with exit_code -1.
CliResult run_sinmun(const std::vector<std::string>& args, const std::string& input = {},
                     const std::string& cwd = {}, int timeout_ms = 60000);

class SinmunProcess {
public:
    SinmunProcess() = default;
    ~SinmunProcess();
    SinmunProcess(const SinmunProcess&) = delete;
    SinmunProcess& operator=(const SinmunProcess&) = delete;

    // Starts `sinmun <args…>` in `cwd`. If wait_listening, waits (up to timeout_ms) for the
    // server's "listening on http://HOST:PORT" line and records the port.
    bool start(const std::vector<std::string>& args, const std::string& cwd,
               bool wait_listening = true, int timeout_ms = 30000);
    std::uint16_t port() const { return port_; }
    int pid() const { return pid_; }
    // Sends a signal (SIGTERM, SIGKILL …).
    void signal(int sig);
    // Waits for the process to exit; returns its exit code (128+signal when killed), or nullopt on
    // timeout.
    std::optional<int> wait_exit(int timeout_ms);
    // Everything the process wrote to stdout and stderr so far.
    std::string output() const;
    // Waits until output contains `needle`.
    bool wait_for_output(const std::string& needle, int timeout_ms) const;

private:
    int pid_ = -1;
    int out_fd_ = -1;
    std::uint16_t port_ = 0;
    std::optional<int> exit_code_;
    std::thread reader_;
    mutable std::mutex mu_;
    std::string output_;
};

}  // namespace sinmun::testing
