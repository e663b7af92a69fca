#include "http_client.hpp"

#include "core/compress.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>

namespace sinmun::testing {
namespace {

bool iequals(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return v;
    return {};
}

std::vector<std::string> HttpResponse::headers_named(const std::string& name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) out.push_back(v);
    return out;
}

HttpClient::~HttpClient() { close(); }

void HttpClient::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buf_.clear();
}

bool HttpClient::ensure_connected(int timeout_ms) {
    if (fd_ >= 0) {
        // Detect a peer close before reusing the connection.
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 0) == 1) {
            char c;
            if (::recv(fd_, &c, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) close();
        }
    }
    if (fd_ >= 0) return true;
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    ::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close();
        return false;
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++connections_;
    return true;
}

bool HttpClient::fill(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return false;
    char tmp[65536];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
}

std::optional<HttpResponse> HttpClient::read_response(bool head, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    auto remaining = [&] {
        return static_cast<int>(
            std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                       deadline - std::chrono::steady_clock::now())
                                       .count()));
    };
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
        if (!fill(remaining())) return std::nullopt;
    HttpResponse r;
    const std::string head_text = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    std::size_t pos = head_text.find("\r\n");
    const std::string status_line = head_text.substr(0, pos);
    if (status_line.size() < 12) return std::nullopt;
    r.status = std::atoi(status_line.c_str() + 9);
    while (pos != std::string::npos && pos < head_text.size()) {
        const std::size_t next = head_text.find("\r\n", pos + 2);
        const std::string line = head_text.substr(
            pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string v = line.substr(colon + 1);
            while (!v.empty() && v.front() == ' ') v.erase(0, 1);
            r.headers.emplace_back(line.substr(0, colon), v);
        }
        pos = next;
    }
    if (head || r.status == 304 || r.status == 204 || r.status / 100 == 1) return r;
    if (iequals(r.header("Transfer-Encoding"), "chunked")) {
        for (;;) {
            std::size_t le;
            while ((le = buf_.find("\r\n")) == std::string::npos)
                if (!fill(remaining())) return std::nullopt;
            const std::size_t size = std::strtoul(buf_.c_str(), nullptr, 16);
            buf_.erase(0, le + 2);
            while (buf_.size() < size + 2)
                if (!fill(remaining())) return std::nullopt;
            r.body.append(buf_, 0, size);
            buf_.erase(0, size + 2);
            if (size == 0) break;
        }
    } else if (const std::string cl = r.header("Content-Length"); !cl.empty()) {
        const std::size_t n = std::strtoull(cl.c_str(), nullptr, 10);
        while (buf_.size() < n)
            if (!fill(remaining())) return std::nullopt;
        r.body = buf_.substr(0, n);
        buf_.erase(0, n);
    } else {
        while (fill(remaining())) {
        }
        r.body = std::move(buf_);
        buf_.clear();
        close();
    }
    if (iequals(r.header("Connection"), "close")) close();
    return r;
}

std::optional<HttpResponse> HttpClient::request(
    const std::string& method, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
    int timeout_ms) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (!ensure_connected(timeout_ms)) return std::nullopt;
        std::string req = method + " " + target + " HTTP/1.1\r\nHost: " + host_ + ":" +
                          std::to_string(port_) + "\r\n";
        bool has_length = false;
        for (const auto& [k, v] : headers) {
            req += k + ": " + v + "\r\n";
            if (iequals(k, "Content-Length")) has_length = true;
        }
        if (!body.empty() && !has_length)
            req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        req += "\r\n" + body;
        if (::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
            close();
            continue;
        }
        auto r = read_response(method == "HEAD", timeout_ms);
        if (r) return r;
        const bool fresh = buf_.empty();
        close();
        if (!fresh) return std::nullopt;
    }
    return std::nullopt;
}

std::optional<HttpResponse> HttpClient::raw(const std::string& bytes, int timeout_ms) {
    close();
    if (!ensure_connected(timeout_ms)) return std::nullopt;
    if (::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(bytes.size()))
        return std::nullopt;
    auto r = read_response(false, timeout_ms);
    close();
    return r;
}

std::optional<HttpResponse> HttpClient::stream_for(const std::string& target, int timeout_ms,
                                                   std::size_t stop_after_bytes) {
    close();
    if (!ensure_connected(timeout_ms)) return std::nullopt;
    const std::string req =
        "GET " + target + " HTTP/1.1\r\nHost: " + host_ + "\r\nAccept: text/event-stream\r\n\r\n";
    ::send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline && buf_.size() < stop_after_bytes) {
        const int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              deadline - std::chrono::steady_clock::now())
                                              .count());
        if (!fill(std::max(1, left))) break;
    }
    const auto end = buf_.find("\r\n\r\n");
    if (end == std::string::npos) return std::nullopt;
    HttpResponse r;
    r.status = std::atoi(buf_.c_str() + 9);
    std::size_t pos = buf_.find("\r\n");
    while (pos < end) {
        const std::size_t next = buf_.find("\r\n", pos + 2);
        const std::string line = buf_.substr(pos + 2, next - pos - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string v = line.substr(colon + 1);
            while (!v.empty() && v.front() == ' ') v.erase(0, 1);
            r.headers.emplace_back(line.substr(0, colon), v);
        }
        pos = next;
    }
    r.body = buf_.substr(end + 4);  // raw (possibly chunk-framed) stream bytes
    close();
    return r;
}

std::string form_encode(const std::string& s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string set_cookie_value(const HttpResponse& r, const std::string& name) {
    for (const auto& v : r.headers_named("Set-Cookie")) {
        if (v.compare(0, name.size() + 1, name + "=") != 0) continue;
        const auto end = v.find(';');
        return v.substr(name.size() + 1,
                        end == std::string::npos ? std::string::npos : end - name.size() - 1);
    }
    return {};
}

MultipartBody& MultipartBody::field(const std::string& name, const std::string& value) {
    body_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=\"" + name +
             "\"\r\n\r\n" + value + "\r\n";
    return *this;
}

MultipartBody& MultipartBody::file(const std::string& name, const std::string& filename,
                                   const std::string& content_type, const std::string& data) {
    body_ += "--" + boundary_ + "\r\nContent-Disposition: form-data; name=\"" + name +
             "\"; filename=\"" + filename + "\"\r\nContent-Type: " + content_type + "\r\n\r\n" +
             data + "\r\n";
    return *this;
}

std::string gunzip(const std::string& in) {
    std::string out;
    return gzip_decompress(in, out) ? out : std::string{};
}

std::string unbrotli(const std::string& in) {
    std::string out;
    return brotli_decompress(in, out) ? out : std::string{};
}

}  // namespace sinmun::testing
