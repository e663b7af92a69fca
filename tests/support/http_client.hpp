// A minimal blocking HTTP/1.1 client over POSIX sockets for integration tests: it speaks to the
// real server the way any client would, independent of the server's own HTTP stack.
// Thread-safety: one HttpClient per thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sinmun::testing {

struct HttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;  // de-chunked, not decompressed

    // First header with this name (case-insensitive), or "".
    std::string header(const std::string& name) const;
    std::vector<std::string> headers_named(const std::string& name) const;
};

class HttpClient {
public:
    HttpClient(std::string host, std::uint16_t port) : host_(std::move(host)), port_(port) {}
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends one request on the kept-alive connection (reconnecting if needed) and reads the
    // response. Returns nullopt on a connection error or timeout.
    std::optional<HttpResponse> request(
        const std::string& method, const std::string& target,
        const std::vector<std::pair<std::string, std::string>>& headers = {},
        const std::string& body = {}, int timeout_ms = 10000);
    std::optional<HttpResponse> get(
        const std::string& target,
        const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        return request("GET", target, headers);
    }
    // Sends raw bytes and reads one response (for malformed-request tests).
    std::optional<HttpResponse> raw(const std::string& bytes, int timeout_ms = 10000);
    // Opens a streaming GET and returns whatever body bytes arrive within timeout_ms.
    std::optional<HttpResponse> stream_for(const std::string& target, int timeout_ms,
                                           std::size_t stop_after_bytes = 1 << 20);
    // How many TCP connections this client has opened (keep-alive checks).
    int connections_opened() const { return connections_; }
    void close();

private:
    bool ensure_connected(int timeout_ms);
    std::optional<HttpResponse> read_response(bool head, int timeout_ms);
    bool fill(int timeout_ms);

    std::string host_;
    std::uint16_t port_;
    int fd_ = -1;
    int connections_ = 0;
    std::string buf_;
};

// application/x-www-form-urlencoded / URL percent-encoding of one value (UTF-8 bytes as %XX).
std::string form_encode(const std::string& s);

// The value the response sets for cookie `name` (first Set-Cookie header naming it), or "".
std::string set_cookie_value(const HttpResponse& r, const std::string& name);

// Builds a multipart/form-data body (RFC 7578) for upload tests.
class MultipartBody {
public:
    explicit MultipartBody(std::string boundary = "----SinmunTestBoundary8dJ2kQ")
        : boundary_(std::move(boundary)) {}
    MultipartBody& field(const std::string& name, const std::string& value);
    MultipartBody& file(const std::string& name, const std::string& filename,
                        const std::string& content_type, const std::string& data);
    // The Content-Type header value, with the boundary.
    std::string content_type() const { return "multipart/form-data; boundary=" + boundary_; }
    // The body with its closing delimiter.
    std::string body() const { return body_ + "--" + boundary_ + "--\r\n"; }

private:
    std::string boundary_;
    std::string body_;
};

// Decompression helpers for asserting on encoded bodies.
std::string gunzip(const std::string& in);
std::string unbrotli(const std::string& in);

}  // namespace sinmun::testing
