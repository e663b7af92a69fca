// RecordingServer: a local HTTP/1.1 server for tests of outgoing requests (IndexNow, WebSub).
// Listens on 127.0.0.1 port 0, records every request (method, target, headers, body) and answers
// from a script: the next scripted status per request, then the default status. One connection
// at a time, Connection: close. POSIX sockets only, independent of the server under test.
// Thread-safety: every public member may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sinmun::testing {

struct RecordedRequest {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string header(const std::string& name) const;  // case-insensitive, "" when absent
};

class RecordingServer {
public:
    struct Answer {
        int status = 200;
        std::vector<std::pair<std::string, std::string>> headers;
    };

    RecordingServer();
    ~RecordingServer();
    RecordingServer(const RecordingServer&) = delete;
    RecordingServer& operator=(const RecordingServer&) = delete;

    std::uint16_t port() const { return port_; }
    std::string url(const std::string& path) const;  // "http://127.0.0.1:PORT/path"

    // Answers the next requests with these, in order; then default_status.
    void script(std::vector<Answer> answers);
    void set_default_status(int status);

    std::vector<RecordedRequest> requests() const;
    // Waits until at least n requests arrived (false on timeout).
    bool wait_for(std::size_t n, int timeout_ms) const;

private:
    void serve();
    void handle(int fd);

    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    std::deque<Answer> script_;
    int default_status_ = 200;
    std::vector<RecordedRequest> requests_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sinmun::testing
