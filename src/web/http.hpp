// Plain HTTP request/response values: what handlers see. No Beast here, so handlers and their
// tests compile fast and run without sockets; web/server.cpp converts to and from Beast.
// Thread-safety: plain values; a Representation is immutable once built and shared freely.
#pragma once

#include "core/stream_source.hpp"
#include "render/representation.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sinmun::web {

struct Header {
    std::string name;
    std::string value;
};

struct Request {
    std::string method;  // "GET"
    std::string target;  // raw request target: "/article/1/%EC%84%9C?x=1"
    std::string path;    // percent-decoded path: "/article/1/서"
    std::string query;   // raw query string without '?'
    std::vector<Header> headers;
    std::string body;
    std::string remote_addr;  // peer IP, or the X-Forwarded-For client when behind a trusted proxy
    std::string request_id;
    std::vector<std::pair<std::string, std::string>> params;  // path parameters from the router

    // Case-insensitive header lookup; empty when absent.
    std::string_view header(std::string_view name) const;
    std::optional<std::string> cookie(std::string_view name) const;
    // Decoded query parameter (first occurrence).
    std::optional<std::string> query_param(std::string_view name) const;
    std::string_view param(std::string_view name) const;
    bool is_head() const { return method == "HEAD"; }
};

struct Response {
    int status = 200;
    std::vector<Header> headers;  // Content-Type goes here too for plain bodies
    std::string body;
    std::shared_ptr<const render::Representation> rep;  // when set, body is ignored
    std::shared_ptr<StreamSource> stream;  // when set: a streaming (SSE) response, no length

    void set_header(std::string name, std::string value);
    // Appends (does not replace): Set-Cookie may repeat.
    void add_header(std::string name, std::string value) {
        headers.push_back({std::move(name), std::move(value)});
    }
    std::string_view header(std::string_view name) const;

    static Response text(int status, std::string body,
                         std::string content_type = "text/plain; charset=utf-8");
    static Response html(int status, std::string body) {
        return text(status, std::move(body), "text/html; charset=utf-8");
    }
    static Response json(int status, std::string body) {
        return text(status, std::move(body), "application/json; charset=utf-8");
    }
    static Response redirect(int status, std::string location);
    static Response of(std::shared_ptr<const render::Representation> rep, int status = 200);
};

// Completes a request. Handlers may call it later and from any thread (e.g. after a group
// commit); it must be called exactly once. The Request& the handler was given stays valid, and
// is not reused for another request, until its Reply has been called or destroyed, so a handler
// answering later may keep a reference to it instead of a copy.
using Reply = std::function<void(Response)>;
// An asynchronous handler.
using Handler = std::function<void(Request&, Reply)>;
// Most handlers are synchronous.
using SyncHandler = std::function<Response(Request&)>;

Handler sync(SyncHandler h);

// A cookie header value with safe defaults (Path=/, SameSite=Lax); http_only and max_age optional.
std::string make_cookie(std::string_view name, std::string_view value, std::int64_t max_age_s,
                        bool http_only, bool secure = false);

}  // namespace sinmun::web
