// HttpsClient: a tiny blocking HTTP/1.1 GET/POST client (http:// and https://), Beast-free to
// include. For the exchange's REST endpoints (Upbit minute candles) and the IndexNow/WebSub
// pings; not a general user agent: no redirects, no cookies, identity encoding, one connection
// per request.
// TLS: system trust store (plus an optional extra CA file), SNI, host-name verification. Every
// network outcome (refused, reset, timeout, oversized body) is an Error value (unavailable /
// too_large), never an exception. Thread-safety: get() may be called from any thread concurrently
// (each call has its own io_context; the TLS context is shared read-only).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace sinmun::web {

struct HttpClientOptions {
    std::chrono::milliseconds timeout{10'000};  // whole request
    std::size_t max_body_bytes = 8u << 20;
    std::string user_agent = "sinmun";
    // https://: PEM file of extra trusted CA certificates (beside the system store); empty: none.
    std::string ca_file;
};

struct HttpResponse {
    int status = 0;
    std::string body;
    std::string remaining_req;  // Upbit's Remaining-Req header, if any
    std::string retry_after;    // Retry-After header, if any (seconds or an HTTP date)
};

class HttpsClient {
public:
    explicit HttpsClient(HttpClientOptions options = {});
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    // Whether the TLS trust store loaded (Error unavailable naming the CA file if not); https://
    // requests fail with this error until then. Check it at start-up.
    Status tls_ready() const;

    // GET url (absolute http:// or https://). Error invalid_input for a bad URL, unavailable
    // for network failures and timeouts (message names the host and the cause).
    Result<HttpResponse> get(const std::string& url) const;
    // POST `body` with `content_type` to url; same errors as get().
    Result<HttpResponse> post(const std::string& url, const std::string& content_type,
                              const std::string& body) const;

private:
    Result<HttpResponse> run(const std::string& url, const std::string& content_type,
                             const std::string& body) const;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sinmun::web
