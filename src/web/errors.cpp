#include "web/errors.hpp"

#include "core/text.hpp"

#include <memory>
#include <mutex>

namespace sinmun::web {

namespace {

// Read on every error response, written at start-up: a shared_ptr swapped under a mutex keeps a
// renderer alive while a concurrent request is still using the previous one.
std::mutex g_renderer_mu;
std::shared_ptr<const ErrorRenderer> g_renderer;

std::shared_ptr<const ErrorRenderer> current_renderer() {
    std::lock_guard lock(g_renderer_mu);
    return g_renderer;
}

Response json_error(int status, std::string_view code, std::string_view message) {
    std::string body;
    body.reserve(40 + code.size() + message.size());
    body.append(R"({"error":{"code":")");
    body.append(code);
    body.append(R"(","message":")");
    body.append(text::json_escape(message));
    body.append("\"}}");
    return Response::json(status, std::move(body));
}

Response render(int status, std::string_view code, std::string_view message, const Request& req) {
    if (is_api_request(req)) return json_error(status, code, message);
    if (auto renderer = current_renderer(); renderer && *renderer) {
        Response r = (*renderer)(status, message, req);
        r.status = status;
        return r;
    }
    std::string body(message);
    body.push_back('\n');
    return Response::text(status, std::move(body));
}

}  // namespace

int http_status(Errc code) noexcept {
    switch (code) {
        case Errc::not_found:
            return 404;
        case Errc::invalid_input:
            return 400;
        case Errc::conflict:
            return 409;
        case Errc::unauthorized:
            return 401;
        case Errc::forbidden:
            return 403;
        case Errc::too_large:
            return 413;
        case Errc::rate_limited:
            return 429;
        case Errc::unavailable:
            return 503;
        case Errc::internal:
            return 500;
    }
    return 500;
}

std::string_view error_code_for_status(int status) noexcept {
    switch (status) {
        case 400:
            return "invalid_input";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not_found";
        case 405:
            return "method_not_allowed";
        case 409:
            return "conflict";
        case 410:
            return "gone";
        case 413:
            return "too_large";
        case 415:
            return "unsupported_media_type";
        case 429:
            return "rate_limited";
        case 503:
            return "unavailable";
        default:
            return status >= 500 ? "internal" : "bad_request";
    }
}

std::string_view reason_phrase(int status) noexcept {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 204:
            return "No Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 304:
            return "Not Modified";
        case 307:
            return "Temporary Redirect";
        case 308:
            return "Permanent Redirect";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 413:
            return "Payload Too Large";
        case 415:
            return "Unsupported Media Type";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "";
    }
}

void set_error_renderer(ErrorRenderer renderer) {
    auto next = renderer ? std::make_shared<const ErrorRenderer>(std::move(renderer)) : nullptr;
    std::lock_guard lock(g_renderer_mu);
    g_renderer = std::move(next);
}

Response error_response(int status, std::string_view message, const Request& req) {
    return render(status, error_code_for_status(status), message, req);
}

Response error_response(const Error& e, const Request& req) {
    return render(http_status(e.code), to_string(e.code), e.message, req);
}

bool is_api_request(const Request& req) noexcept {
    std::string_view p =
        req.path.empty() ? std::string_view(req.target) : std::string_view(req.path);
    return p.starts_with("/api/") || p == "/api";
}

}  // namespace sinmun::web
