// Server: the HTTP/1.1 front door. Accepts connections, parses requests with Beast, routes them,
// applies the middleware (web/middleware.hpp), writes responses and SSE streams, and drains
// gracefully on stop. Beast and Asio stay behind a pimpl so this header is cheap to include.
//
// Threads: one io_context per io thread (threads = hardware cores by default). A connection
// lives on one io_context for its whole life, so its coroutine, its handler completions (Reply
// from any thread is posted back to it) and its SSE wake-ups all run on that one thread with no
// strand and no cross-core cache traffic. Each io thread has its own listening socket on the same
// port (SO_REUSEPORT; the kernel spreads new connections) and serves what it accepts itself.
//
// Limits: a header block over max_header_bytes → 431, a body over max_body_bytes → 413, an
// unparsable request → 400 (short bodies, then the connection is closed). A client must finish
// its header within header_timeout once it starts sending, may stay idle between keep-alive
// requests for idle_timeout, and must accept each write within write_timeout.
// Thread-safety: construct, listen() and run() from one thread; stop() and metrics() from any.
#pragma once

#include "core/result.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace sinmun::web {

class Router;

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: any free port (see Server::port())
    int threads = 0;            // 0 = hardware_concurrency
    std::size_t max_header_bytes = 16384;
    std::size_t max_body_bytes = 1 << 20;
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds idle_timeout{60};
    std::chrono::seconds write_timeout{30};
    std::chrono::seconds drain_timeout{10};
    std::chrono::seconds sse_heartbeat{15};
    bool access_log = true;
    // Additions beyond the agreed list:
    bool handle_signals = true;        // SIGINT/SIGTERM → stop() while run() is active
    bool trust_forwarded_for = false;  // from a loopback peer, take the client from X-Forwarded-For
    // Heartbeat as milliseconds when non-zero (tests use short heartbeats); overrides
    // sse_heartbeat.
    std::chrono::milliseconds sse_heartbeat_ms{0};
};

// Counters since start; a snapshot, rendered by the application's /metrics handler.
struct Metrics {
    std::uint64_t requests_1xx = 0;
    std::uint64_t requests_2xx = 0;
    std::uint64_t requests_3xx = 0;
    std::uint64_t requests_4xx = 0;
    std::uint64_t requests_5xx = 0;
    std::uint64_t active_connections = 0;
    std::uint64_t open_streams = 0;
    std::uint64_t bytes_out = 0;
    std::uint64_t handler_exceptions = 0;
    std::uint64_t connections_total = 0;
};

// Prometheus text exposition (format 0.0.4) of the server's metrics, names prefixed sinmun_http_;
// the application appends it to its /metrics body.
std::string prometheus_text(const Metrics& m);

// While a ReplyBatch lives on a (non-io) thread, the Replies called on that thread are held
// and handed to their io threads when it ends, in one post per io thread, instead of one post
// (and possibly one wake-up) per reply. For a thread that answers many requests at once, such as
// the reactions' group-commit writer. Nested batches join the outermost one.
class ReplyBatch {
public:
    ReplyBatch();
    ~ReplyBatch();
    ReplyBatch(const ReplyBatch&) = delete;
    ReplyBatch& operator=(const ReplyBatch&) = delete;
};

class Server {
public:
    // `router` must outlive the server and is not modified after run() starts.
    Server(ServerOptions options, Router& router);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and listens. A busy or unavailable address → Error (unavailable) naming host:port.
    Status listen();
    // The bound port (useful with port 0), 0 before listen().
    std::uint16_t port() const;
    // Blocks: runs the io threads (the caller is one of them) until stop() or SIGINT/SIGTERM and
    // the drain have finished.
    void run();
    // From any thread, any number of times: stop accepting (new connections are refused), let
    // in-flight requests finish for up to drain_timeout (their responses close the connection),
    // close idle keep-alive connections and SSE streams at once, then make run() return.
    void stop();
    Metrics metrics() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sinmun::web
