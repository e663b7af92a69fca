// Router: method + path pattern → handler, readable as one table in routes.cpp.
//
// Patterns are '/'-separated segments, each either literal ("article") or a parameter
// ("{id}") matching exactly one non-empty segment: "/article/{id}/{slug}". A parameter is
// percent-decoded on its own, so an encoded '/' ("%2F") stays inside its parameter. Literal
// segments win over parameters when both match ("/article/new" before "/article/{id}"), then the
// earlier route. HEAD is answered by the GET handler (the server drops the body). A path that
// matches no pattern → 404; a path that matches only under other methods → 405 with Allow.
// Errors go through web/errors.hpp (JSON under /api/, the installed renderer elsewhere).
// Thread-safety: add() and set_error_renderer() during start-up only; dispatch() is const and
// may then run on any number of threads at once.
#pragma once

#include "web/errors.hpp"
#include "web/http.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sinmun::web {

class Router {
public:
    // Registers `handler` for `method` ("GET", "POST", …) and `pattern` ("/section/{slug}").
    // Registering the same method and pattern twice is a programming error (the later one is
    // ignored and logged).
    void add(std::string method, std::string pattern, Handler handler);

    // Renderer for non-API error pages (404, 405, and error_response() in handlers).
    void set_error_renderer(ErrorRenderer renderer);

    // Routes `req` (fills req.params) and calls the handler, or replies with 404/405.
    void dispatch(Request& req, Reply reply) const;

    // For tests and diagnostics: the handler for (method, path) after routing, with params filled;
    // nullptr on 404/405 (then `status` tells which, and `allow` lists the allowed methods).
    const Handler* route(Request& req, int* status = nullptr, std::string* allow = nullptr) const;

private:
    struct Segment {
        std::string text;  // literal text, or the parameter name
        bool param = false;
    };
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<Segment> segments;
        Handler handler;
        int literal_count = 0;
    };
    std::vector<Route> routes_;
};

}  // namespace sinmun::web
