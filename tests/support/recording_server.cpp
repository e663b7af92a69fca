#include "recording_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

namespace sinmun::testing {

namespace {

bool iequal(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

const char* reason(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 400:
            return "Bad Request";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Status";
    }
}

}  // namespace

std::string RecordedRequest::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (iequal(k, name)) return v;
    return {};
}

RecordingServer::RecordingServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0)
        throw std::runtime_error("bind/listen");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
}

RecordingServer::~RecordingServer() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    ::shutdown(listen_fd_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    ::close(listen_fd_);
}

std::string RecordingServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void RecordingServer::script(std::vector<Answer> answers) {
    std::lock_guard lock(mu_);
    for (auto& a : answers) script_.push_back(std::move(a));
}

void RecordingServer::set_default_status(int status) {
    std::lock_guard lock(mu_);
    default_status_ = status;
}

std::vector<RecordedRequest> RecordingServer::requests() const {
    std::lock_guard lock(mu_);
    return requests_;
}

bool RecordingServer::wait_for(std::size_t n, int timeout_ms) const {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                        [&] { return requests_.size() >= n; });
}

void RecordingServer::serve() {
    for (;;) {
        pollfd p{listen_fd_, POLLIN, 0};
        const int n = ::poll(&p, 1, 100);
        {
            std::lock_guard lock(mu_);
            if (stopping_) return;
        }
        if (n <= 0) continue;
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        handle(fd);
        ::close(fd);
    }
}

void RecordingServer::handle(int fd) {
    std::string buf;
    char chunk[4096];
    auto fill = [&]() {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) return false;
        const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0) return false;
        buf.append(chunk, static_cast<std::size_t>(got));
        return true;
    };
    std::size_t head_end;
    while ((head_end = buf.find("\r\n\r\n")) == std::string::npos)
        if (!fill()) return;
    RecordedRequest req;
    const std::string head = buf.substr(0, head_end);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const auto sp1 = request_line.find(' ');
    const auto sp2 = request_line.find(' ', sp1 + 1);
    req.method = request_line.substr(0, sp1);
    req.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    std::size_t content_length = 0;
    while (pos < head.size()) {
        std::size_t end = head.find("\r\n", pos);
        if (end == std::string::npos) end = head.size();
        const std::string line = head.substr(pos, end - pos);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            req.headers.emplace_back(line.substr(0, colon), value);
            if (iequal(line.substr(0, colon), "Content-Length")) content_length = std::stoul(value);
        }
        pos = end + 2;
    }
    while (buf.size() < head_end + 4 + content_length)
        if (!fill()) return;
    req.body = buf.substr(head_end + 4, content_length);

    Answer answer;
    {
        std::lock_guard lock(mu_);
        if (!script_.empty()) {
            answer = script_.front();
            script_.pop_front();
        } else {
            answer.status = default_status_;
        }
        requests_.push_back(std::move(req));
    }
    cv_.notify_all();
    std::string res = "HTTP/1.1 " + std::to_string(answer.status) + " " + reason(answer.status) +
                      "\r\nContent-Length: 0\r\nConnection: close\r\n";
    for (const auto& [k, v] : answer.headers) res += k + ": " + v + "\r\n";
    res += "\r\n";
    ::send(fd, res.data(), res.size(), MSG_NOSIGNAL);
}

}  // namespace sinmun::testing
