// Server implementation: listener → sessions (one coroutine each) → router, in the shape of the
// Beast 1.81 awaitable examples. Normal network outcomes (EOF, timeout, reset, cancellation)
// arrive as error codes through as_tuple and simply end the connection; only the unexpected is
// logged.
#include "web/server.hpp"

#include "core/text.hpp"
#include "web/errors.hpp"
#include "web/middleware.hpp"
#include "web/router.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace sinmun::web {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

namespace {

constexpr auto kTok = net::as_tuple(net::use_awaitable);
constexpr std::size_t kLingerMaxBytes = 8u << 20;
constexpr auto kLingerTime = std::chrono::seconds(2);

class Session;

// Date header, formatted once per second per io thread.
std::string_view cached_date() {
    thread_local std::int64_t second = -1;
    thread_local std::string value;
    auto now = std::chrono::system_clock::now();
    auto s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (s != second) {
        second = s;
        value = http_date(s * 1000);
    }
    return value;
}

bool is_sane_request_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

// Whether the io_contexts still exist. A handler may hold a Reply past the server's life (a
// queued database write finishing at shutdown); delivering it must then do nothing rather than
// post to a destroyed io_context.
struct Liveness {
    std::mutex mu;
    bool alive = true;
};

// The io_context this thread is running, so a Reply can tell "same thread, complete now" without
// touching an io_context that may already be gone.
thread_local const net::io_context* t_running_context = nullptr;

void run_context(net::io_context& ctx) {
    t_running_context = &ctx;
    ctx.run();
    t_running_context = nullptr;
}

bool is_http_error(const error_code& ec) {
    return ec.category() == http::make_error_code(http::error::bad_method).category();
}

// One per io thread: the SSE streams whose source woke since that thread last looked. A hub change
// wakes thousands of streams from one thread; instead of one posted handler per stream, the
// streams of one io thread are queued here and that thread is woken once, then walks them in
// chunks (kWakeChunk per handler, re-posting itself in between so accepts and requests still run).
// Each stream is queued at most once (its `queued` flag), so the queue is bounded by the number of
// streams however far the thread falls behind.
struct WakeQueue {
    std::mutex mu;
    std::vector<std::weak_ptr<Session>> pending;  // under mu
    bool scheduled = false;                       // under mu: a drain is posted or running
    std::vector<std::weak_ptr<Session>> working;  // the io thread's own
    std::size_t pos = 0;
};
constexpr std::size_t kWakeChunk = 128;

}  // namespace

struct Server::Impl {
    Impl(ServerOptions o, Router& r) : opt(std::move(o)), router(r) {
        int n =
            opt.threads > 0 ? opt.threads : static_cast<int>(std::thread::hardware_concurrency());
        if (n <= 0) n = 1;
        for (int i = 0; i < n; ++i) {
            // Concurrency hint 1: each io_context is run by exactly one thread.
            contexts.push_back(std::make_unique<net::io_context>(1));
            guards.emplace_back(contexts.back()->get_executor());
            wake_queues.push_back(std::make_shared<WakeQueue>());
        }
        open_on = std::make_unique<std::atomic<int>[]>(static_cast<std::size_t>(n));
        std::random_device rd;
        id_prefix = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
        heartbeat = opt.sse_heartbeat_ms.count() > 0
                        ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              opt.sse_heartbeat_ms)
                        : std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              opt.sse_heartbeat);
    }

    ~Impl() {
        {
            std::lock_guard lock(liveness->mu);
            liveness->alive = false;
        }
        // Destroy pending handlers (which may own sessions) while the rest of *this is alive.
        signals.reset();
        drain_timer.reset();
        acceptors.clear();
        guards.clear();
        contexts.clear();
    }

    ServerOptions opt;
    Router& router;
    std::chrono::steady_clock::duration heartbeat{};
    std::vector<std::unique_ptr<net::io_context>> contexts;
    std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
    // One per io_context (acceptors[i] on contexts[i]), all listening on the same port with
    // SO_REUSEPORT: the kernel spreads new connections over them and each connection is served
    // by the thread that accepted it, with no hand-over between threads.
    std::vector<tcp::acceptor> acceptors;
    // Open connections per io thread. The kernel spreads connections by a hash, which can leave
    // one thread with clearly more long-lived connections; pick_context() then hands a new one
    // to the least busy thread (a cross-thread post, as a single acceptor always needed).
    std::unique_ptr<std::atomic<int>[]> open_on;
    std::vector<std::shared_ptr<WakeQueue>> wake_queues;  // one per context, same index
    std::optional<net::signal_set> signals;
    std::optional<net::steady_timer> drain_timer;
    std::atomic<std::uint16_t> bound_port{0};
    std::atomic<bool> stopping{false};
    std::shared_ptr<Liveness> liveness = std::make_shared<Liveness>();
    std::shared_ptr<spdlog::logger> access;

    std::uint64_t id_prefix = 0;
    std::atomic<std::uint64_t> id_seq{0};

    std::array<std::atomic<std::uint64_t>, 6> by_class{};
    std::atomic<std::uint64_t> active_connections{0};
    std::atomic<std::uint64_t> connections_total{0};
    std::atomic<std::uint64_t> open_streams{0};
    std::atomic<std::uint64_t> bytes_out{0};
    std::atomic<std::uint64_t> handler_exceptions{0};

    std::mutex sessions_mu;
    std::unordered_set<Session*> sessions;

    net::io_context& main_context() { return *contexts.front(); }
    std::shared_ptr<WakeQueue> wake_queue_of(const net::io_context& ctx) const {
        for (std::size_t i = 0; i < contexts.size(); ++i)
            if (contexts[i].get() == &ctx) return wake_queues[i];
        return wake_queues.front();
    }

    std::string new_request_id() {
        std::uint64_t seq = id_seq.fetch_add(1, std::memory_order_relaxed);
        char buf[32];
        auto r = std::to_chars(buf, buf + 16, id_prefix & 0xffffffffffULL, 16);
        *r.ptr++ = '-';
        r = std::to_chars(r.ptr, buf + sizeof buf, seq, 16);
        return std::string(buf, r.ptr);
    }

    void count_status(int status) {
        int cls = status / 100;
        if (cls < 1 || cls > 5) cls = 5;
        by_class[static_cast<std::size_t>(cls)].fetch_add(1, std::memory_order_relaxed);
    }

    void register_session(Session* s) {
        std::lock_guard lock(sessions_mu);
        sessions.insert(s);
        active_connections.fetch_add(1, std::memory_order_relaxed);
        connections_total.fetch_add(1, std::memory_order_relaxed);
    }
    void unregister_session(Session* s);

    net::awaitable<void> accept_loop(std::size_t i);
    void start_session(std::size_t home, tcp::socket socket, const tcp::endpoint& peer);
    std::size_t pick_context(std::size_t mine) const;
    void stop();
    void begin_stop_on_main();
    void force_close_all();
};

namespace {

// Completes one request: the Reply a handler gets shares this slot. The first delivery wins; a
// slot dropped without a delivery answers 500, so a buggy handler cannot hang a connection. The
// slot keeps the session (and so the Request the handler was given) alive until then.
struct ReplySlot;

class Session : public std::enable_shared_from_this<Session> {
public:
    // `peer` comes from accept() itself: no getpeername() per connection.
    Session(Server::Impl& srv, std::size_t home, tcp::socket socket, const tcp::endpoint& peer)
        : srv_(srv),
          home_(home),
          ctx_(*srv.contexts[home]),
          stream_(std::move(socket)),
          reply_timer_(ctx_),
          wake_timer_(ctx_),
          peer_(peer.address().to_string()),
          peer_loopback_(peer.address().is_loopback()) {
        srv_.register_session(this);
    }
    ~Session() {
        srv_.open_on[home_].fetch_sub(1, std::memory_order_relaxed);
        srv_.unregister_session(this);
    }

    net::io_context::executor_type executor() { return ctx_.get_executor(); }

    net::awaitable<void> run();

    // On the session's thread: the server is stopping.
    void on_stop() {
        stop_requested_ = true;
        if (phase_ == Phase::waiting) {
            stream_.cancel();
        } else if (phase_ == Phase::streaming) {
            wake_timer_.cancel();
        }
    }
    // On the session's thread: the drain time is over.
    void force_close() {
        stop_requested_ = true;
        closed_ = true;
        error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.socket().close(ec);
        reply_timer_.cancel();
        wake_timer_.cancel();
    }
    void complete(std::uint64_t gen, Response&& r) {
        if (gen != reply_gen_ || reply_ || closed_) return;
        reply_.emplace(std::move(r));
        reply_timer_.cancel();
    }
    // On the session's thread, from its WakeQueue: the stream's source has news.
    void on_wake() {
        wake_queued_->store(false, std::memory_order_release);
        if (phase_ != Phase::streaming || closed_ || stream_failed_) return;
        if (out_frame_) {
            wake_pending_ = true;  // a write is under way; its completion takes the newest frame
            return;
        }
        pump();
    }
    const std::string& request_id() const { return req_->request_id; }
    // The Request for the next message: reused unless an old Reply still refers to it.
    Request& fresh_request() {
        if (req_.use_count() > 1) req_ = std::make_shared<Request>();
        return *req_;
    }

private:
    enum class Phase { waiting, reading, handling, writing, streaming };

    bool keep_going() const {
        return !stop_requested_ && !closed_ && !srv_.stopping.load(std::memory_order_relaxed);
    }
    void fill_request(http::request<http::string_body>& msg);
    net::awaitable<void> send_error_and_close(int status, std::string_view message,
                                              unsigned version);
    void serialize_head(const Outgoing& out, unsigned version, bool keep_alive);
    net::awaitable<bool> write_response(Outgoing& out, unsigned version, bool keep_alive,
                                        std::size_t& bytes);
    net::awaitable<void> stream_events(Outgoing& out, unsigned version, std::size_t& bytes);
    void pump();
    bool send_now(std::shared_ptr<const std::string> frame);
    void log_access(int status, std::size_t bytes, std::chrono::steady_clock::time_point start);

    Server::Impl& srv_;
    std::size_t home_;  // index of ctx_ in srv_.contexts
    net::io_context& ctx_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::string head_;  // the response header block, reused across keep-alive requests
    net::steady_timer reply_timer_;
    net::steady_timer wake_timer_;
    std::string peer_;
    bool peer_loopback_ = false;
    Phase phase_ = Phase::waiting;
    bool stop_requested_ = false;
    bool closed_ = false;
    bool wake_pending_ = false;
    // Streaming (SSE) state. A frame is written at once with a non-blocking sendmsg from the
    // thread's wake walk; only what the socket does not take goes to the coroutine (out_frame_,
    // from byte out_skip_ of chunk head + frame + CRLF), which writes it with write_timeout and
    // then asks the source again, so a slow client gets only the newest frame (latest wins).
    std::shared_ptr<StreamSource> source_;
    std::shared_ptr<std::atomic<bool>> wake_queued_;  // set while queued in the WakeQueue
    std::shared_ptr<const std::string> out_frame_;
    std::array<char, 20> out_head_{};
    std::size_t out_head_len_ = 0;
    std::size_t out_skip_ = 0;
    bool chunked_ = true;
    bool stream_failed_ = false;
    std::size_t stream_bytes_ = 0;
    std::chrono::steady_clock::time_point last_write_{};
    std::uint64_t reply_gen_ = 0;
    std::optional<Response> reply_;
    // Shared with the request's ReplySlot: the Request& a handler got stays valid for as long as
    // it holds the Reply, even if the connection is gone by then.
    std::shared_ptr<Request> req_ = std::make_shared<Request>();
};

struct ReplySlot {
    // Weak: a session (its socket) must never outlive the server's io_contexts. The session's
    // own coroutine keeps it alive while it waits for this reply.
    std::weak_ptr<Session> session;
    std::shared_ptr<Request> request;
    const net::io_context* ctx;
    net::io_context::executor_type ex;
    std::uint64_t gen;
    std::shared_ptr<Liveness> liveness;
    std::atomic<bool> done{false};

    ReplySlot(const std::shared_ptr<Session>& s, std::shared_ptr<Request> req, net::io_context& c,
              std::uint64_t g, std::shared_ptr<Liveness> l)
        : session(s),
          request(std::move(req)),
          ctx(&c),
          ex(c.get_executor()),
          gen(g),
          liveness(std::move(l)) {}

    void deliver(Response&& r);
    ~ReplySlot() {
        if (!done.load()) {
            spdlog::error("request {}: handler dropped its reply", request->request_id);
            deliver(Response::text(500, "internal error\n"));
        }
    }
};

// Replies held by a ReplyBatch on this thread, and how deeply batches are nested here.
struct HeldReply {
    std::weak_ptr<Session> session;
    std::uint64_t gen;
    Response response;
};
struct HeldReplies {
    int depth = 0;
    // One group per io_context, in first-reply order; few io threads, so a linear search.
    struct Group {
        const net::io_context* ctx;
        net::io_context::executor_type ex;
        std::shared_ptr<Liveness> liveness;
        std::vector<HeldReply> replies;
    };
    std::vector<Group> groups;
};
thread_local HeldReplies t_held;

void ReplySlot::deliver(Response&& r) {
    if (done.exchange(true)) return;  // a second reply is a handler bug; the first one stands
    if (t_running_context == ctx) {   // the common, synchronous case: no lock, no post
        if (auto s = session.lock()) s->complete(gen, std::move(r));
        return;
    }
    if (t_held.depth > 0) {  // a ReplyBatch on this thread posts it with the others
        auto g = std::find_if(t_held.groups.begin(), t_held.groups.end(),
                              [&](const HeldReplies::Group& x) { return x.ctx == ctx; });
        if (g == t_held.groups.end()) {
            t_held.groups.push_back({ctx, ex, liveness, {}});
            g = std::prev(t_held.groups.end());
        }
        g->replies.push_back({session, gen, std::move(r)});
        return;
    }
    std::lock_guard lock(liveness->mu);
    if (!liveness->alive) return;
    net::post(ex, [w = session, g = gen, r = std::move(r)]() mutable {
        if (auto s = w.lock()) s->complete(g, std::move(r));
    });
}

void Session::fill_request(http::request<http::string_body>& msg) {
    req_->method.assign(msg.method_string().data(), msg.method_string().size());
    req_->target.assign(msg.target().data(), msg.target().size());
    std::string_view target = req_->target;
    // Absolute-form ("http://host/path") is legal from proxies: route on its path.
    if (!target.empty() && target.front() != '/') {
        std::size_t scheme = target.find("://");
        if (scheme != std::string_view::npos) {
            std::size_t slash = target.find('/', scheme + 3);
            target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
            req_->target.assign(target);
            target = req_->target;
        }
    }
    std::size_t q = target.find('?');
    std::string_view raw_path = target.substr(0, q);
    if (raw_path.find('%') == std::string_view::npos) {
        req_->path.assign(raw_path);
    } else {
        req_->path = text::percent_decode(raw_path);
    }
    if (q == std::string_view::npos) {
        req_->query.clear();
    } else {
        req_->query.assign(target.substr(q + 1));
    }
    // Assign into the previous request's strings: a keep-alive connection reuses their capacity
    // instead of allocating every header anew.
    auto& headers = req_->headers;
    std::size_t count = 0;
    std::string_view incoming_id;
    std::string_view forwarded;
    for (const auto& f : msg) {
        if (count < headers.size()) {
            headers[count].name.assign(f.name_string().data(), f.name_string().size());
            headers[count].value.assign(f.value().data(), f.value().size());
        } else {
            headers.push_back({std::string(f.name_string()), std::string(f.value())});
        }
        ++count;
        if (beast::iequals(f.name_string(), "x-forwarded-for")) forwarded = f.value();
        if (beast::iequals(f.name_string(), "x-request-id")) incoming_id = f.value();
    }
    headers.resize(count);
    req_->body = std::move(msg.body());
    req_->remote_addr = peer_;
    if (srv_.opt.trust_forwarded_for && peer_loopback_ && !forwarded.empty()) {
        // nginx appends the real peer last ($proxy_add_x_forwarded_for).
        std::size_t comma = forwarded.rfind(',');
        std::string_view last =
            comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1);
        last = text::trim(last);
        if (!last.empty() && last.size() <= 64) req_->remote_addr.assign(last);
    }
    if (is_sane_request_id(incoming_id)) {
        req_->request_id.assign(incoming_id);
    } else {
        req_->request_id = srv_.new_request_id();
    }
    req_->params.clear();
}

void Session::log_access(int status, std::size_t bytes,
                         std::chrono::steady_clock::time_point start) {
    if (!srv_.access) return;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    srv_.access->info("{} \"{} {}\" {} {} {}us {}", req_->remote_addr, req_->method, req_->target,
                      status, bytes, us, req_->request_id);
}

// The status line and header block, serialised here rather than through Beast's fields (which
// allocate a node per header): one reused buffer per session, then header and body go out in one
// gather write (a single writev), the body straight from the shared Representation.
void Session::serialize_head(const Outgoing& out, unsigned version, bool keep_alive) {
    std::string& h = head_;
    h.clear();
    h.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
    char num[24];
    auto r = std::to_chars(num, num + sizeof num, out.status);
    h.append(num, r.ptr);
    h.push_back(' ');
    auto reason = http::obsolete_reason(static_cast<http::status>(out.status));
    h.append(reason.data(), reason.size());
    h.append("\r\n");
    for (const auto& f : out.headers) {
        if (beast::iequals(f.name, "date")) continue;  // the connection's own, below
        h.append(f.name).append(": ").append(f.value).append("\r\n");
    }
    h.append("Date: ").append(cached_date()).append("\r\n");
    if (out.has_length()) {
        r = std::to_chars(num, num + sizeof num, out.selected_body().size());
        h.append("Content-Length: ").append(num, r.ptr).append("\r\n");
    }
    // As Beast's keep_alive(): say so only where it differs from the version's default.
    if (version >= 11 && !keep_alive) h.append("Connection: close\r\n");
    if (version == 10 && keep_alive) h.append("Connection: keep-alive\r\n");
    h.append("\r\n");
}

net::awaitable<bool> Session::write_response(Outgoing& out, unsigned version, bool keep_alive,
                                             std::size_t& bytes) {
    serialize_head(out, version, keep_alive);
    std::string_view body = out.wire_body();
    const std::array<net::const_buffer, 2> buffers{net::buffer(head_),
                                                   net::buffer(body.data(), body.size())};
    stream_.expires_after(srv_.opt.write_timeout);
    auto [ec, n] = co_await net::async_write(stream_, buffers, kTok);
    bytes = n;
    srv_.bytes_out.fetch_add(n, std::memory_order_relaxed);
    co_return !ec;
}

net::awaitable<void> Session::send_error_and_close(int status, std::string_view message,
                                                   unsigned version) {
    Outgoing out;
    out.status = status;
    out.owned_body.assign(message);
    out.owned_body.push_back('\n');
    out.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
    out.headers.push_back({"Server", "sinmun"});
    out.headers.push_back({"X-Content-Type-Options", "nosniff"});
    srv_.count_status(status);
    std::size_t bytes = 0;
    phase_ = Phase::writing;
    if (!co_await write_response(out, version, false, bytes)) co_return;
    // Lingering close: the client may still be sending (a 2 MiB body after a 413). Closing with
    // unread data would reset the connection and could destroy our response before the client
    // reads it, so stop sending, then read and discard for a bounded time and amount.
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTime);
    std::size_t drained = 0;
    std::array<char, 16384> sink;
    while (drained < kLingerMaxBytes && !closed_) {
        auto [rec, n] = co_await stream_.async_read_some(net::buffer(sink), kTok);
        if (rec) break;
        drained += n;
    }
}

// Drain one io thread's WakeQueue, kWakeChunk streams per handler.
void drain_wakes(const std::shared_ptr<WakeQueue>& q, const net::any_io_executor& ex) {
    for (std::size_t done = 0; done < kWakeChunk; ++done) {
        if (q->pos == q->working.size()) {
            q->working.clear();
            q->pos = 0;
            std::lock_guard lock(q->mu);
            if (q->pending.empty()) {
                q->scheduled = false;
                return;
            }
            q->working.swap(q->pending);
        }
        if (auto s = q->working[q->pos++].lock()) s->on_wake();
    }
    net::post(ex, [q, ex] { drain_wakes(q, ex); });
}

// Writes `frame` (chunked when the response is) with one non-blocking sendmsg. False: the stream
// failed. What the socket did not take is left in out_frame_ for the coroutine.
bool Session::send_now(std::shared_ptr<const std::string> frame) {
    std::size_t head_len = 0;
    if (chunked_) {
        auto r = std::to_chars(out_head_.data(), out_head_.data() + 16, frame->size(), 16);
        r.ptr[0] = '\r';
        r.ptr[1] = '\n';
        head_len = static_cast<std::size_t>(r.ptr + 2 - out_head_.data());
    }
    out_head_len_ = head_len;
    static constexpr char kCrlf[] = "\r\n";
    iovec iov[3];
    int n = 0;
    if (head_len) iov[n++] = {out_head_.data(), head_len};
    iov[n++] = {const_cast<char*>(frame->data()), frame->size()};
    if (chunked_) iov[n++] = {const_cast<char*>(kCrlf), 2};
    const std::size_t total = head_len + frame->size() + (chunked_ ? 2 : 0);
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<decltype(msg.msg_iovlen)>(n);
    ssize_t sent;
    do {
        sent = ::sendmsg(stream_.socket().native_handle(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    const std::size_t written = sent < 0 ? 0 : static_cast<std::size_t>(sent);
    stream_bytes_ += written;
    srv_.bytes_out.fetch_add(written, std::memory_order_relaxed);
    if (written == total) {
        last_write_ = std::chrono::steady_clock::now();
        return true;
    }
    out_frame_ = std::move(frame);  // the rest goes out with write_timeout, in the coroutine
    out_skip_ = written;
    wake_timer_.cancel();
    return true;
}

// Writes what the source has now, unless a write is already under way.
void Session::pump() {
    while (!out_frame_ && !stream_failed_) {
        auto frame = source_->next_shared();
        if (!frame) return;
        if (!send_now(std::move(frame))) {
            stream_failed_ = true;
            wake_timer_.cancel();
        }
    }
}

net::awaitable<void> Session::stream_events(Outgoing& out, unsigned version, std::size_t& bytes) {
    http::response<http::empty_body> res;
    res.version(version);
    res.result(static_cast<unsigned>(out.status));
    for (const auto& h : out.headers) res.insert(h.name, h.value);
    res.set(http::field::date, cached_date());
    chunked_ = version >= 11;
    if (chunked_) res.chunked(true);
    res.keep_alive(false);  // a stream ends only when one side goes away
    http::response_serializer<http::empty_body> sr(res);
    stream_.expires_after(srv_.opt.write_timeout);
    auto [hec, hn] = co_await http::async_write_header(stream_, sr, kTok);
    bytes += hn;
    srv_.bytes_out.fetch_add(hn, std::memory_order_relaxed);
    if (hec || out.head) co_return;

    // A stream is long-lived and reads nothing more: give back the request buffers.
    buffer_.clear();
    buffer_.shrink_to_fit();
    std::string().swap(head_);

    source_ = out.stream;
    wake_queued_ = std::make_shared<std::atomic<bool>>(false);
    srv_.open_streams.fetch_add(1, std::memory_order_relaxed);
    phase_ = Phase::streaming;
    stream_.expires_never();
    last_write_ = std::chrono::steady_clock::now();
    {
        std::weak_ptr<Session> weak = weak_from_this();
        auto q = srv_.wake_queue_of(ctx_);
        net::any_io_executor ex = executor();
        source_->start([weak, q, ex, queued = wake_queued_, liveness = srv_.liveness] {
            if (queued->exchange(true, std::memory_order_acq_rel)) return;  // already queued
            {
                std::lock_guard lock(q->mu);
                q->pending.push_back(weak);
                if (q->scheduled) return;
                q->scheduled = true;
            }
            std::lock_guard lock(liveness->mu);
            if (!liveness->alive) return;
            net::post(ex, [q, ex] { drain_wakes(q, ex); });
        });
    }
    pump();  // the first frame (the snapshot), at once

    static const auto kKeepalive = std::make_shared<const std::string>(": keepalive\n\n");
    while (!stream_failed_ && keep_going()) {
        if (out_frame_) {
            // The socket did not take the whole frame: finish it within write_timeout.
            static constexpr char kCrlf[] = "\r\n";
            std::array<net::const_buffer, 3> bufs{
                net::buffer(out_head_.data(), out_head_len_),
                net::buffer(out_frame_->data(), out_frame_->size()),
                net::buffer(kCrlf, chunked_ ? 2 : 0)};
            beast::buffers_suffix<std::array<net::const_buffer, 3>> rest(bufs);
            rest.consume(out_skip_);
            stream_.expires_after(srv_.opt.write_timeout);
            auto [ec, n] = co_await net::async_write(stream_, rest, kTok);
            stream_.expires_never();
            stream_bytes_ += n;
            srv_.bytes_out.fetch_add(n, std::memory_order_relaxed);
            out_frame_.reset();
            if (ec) {
                stream_failed_ = true;
                break;
            }
            last_write_ = std::chrono::steady_clock::now();
            wake_pending_ = false;
            pump();  // whatever changed meanwhile, as one frame of the newest values
            continue;
        }
        if (wake_pending_) {
            wake_pending_ = false;
            pump();
            continue;
        }
        const auto due = last_write_ + srv_.heartbeat;
        if (std::chrono::steady_clock::now() >= due) {
            if (!send_now(kKeepalive)) stream_failed_ = true;  // nothing for a while
            continue;
        }
        wake_timer_.expires_at(due);
        co_await wake_timer_.async_wait(kTok);
    }
    phase_ = Phase::writing;  // no more wake-ups
    source_->stop();
    bytes += stream_bytes_;
    srv_.open_streams.fetch_sub(1, std::memory_order_relaxed);
    if (!stream_failed_ && chunked_ && !closed_) {
        stream_.expires_after(std::chrono::seconds(1));
        co_await net::async_write(stream_, http::make_chunk_last(), kTok);
    }
}

net::awaitable<void> Session::run() {
    auto self = shared_from_this();
    const auto& opt = srv_.opt;
    bool first = true;
    while (keep_going()) {
        // 1. Wait for the next request to begin: header_timeout on a fresh connection (an idle
        //    connect is a slow client), idle_timeout between keep-alive requests.
        phase_ = Phase::waiting;
        // A large upload must not pin its buffer for the rest of a long keep-alive connection.
        if (buffer_.size() == 0 && buffer_.capacity() > 65536) buffer_.shrink_to_fit();
        if (buffer_.size() == 0) {
            stream_.expires_after(first ? opt.header_timeout : opt.idle_timeout);
            auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), kTok);
            if (ec) co_return;  // EOF, timeout, reset, or stop(): all normal
            buffer_.commit(n);
        }
        first = false;
        if (closed_) co_return;

        // 2. Read the header (bounded in time and size), then the body.
        phase_ = Phase::reading;
        const auto start = std::chrono::steady_clock::now();
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
        parser.body_limit(opt.max_body_bytes);
        stream_.expires_after(opt.header_timeout);
        auto [hec, hn] = co_await http::async_read_header(stream_, buffer_, parser, kTok);
        unsigned version = parser.is_header_done() ? parser.get().version() : 11;
        auto classify = [&](const error_code& ec) -> int {
            if (ec == http::error::header_limit) return 431;
            if (ec == http::error::body_limit) return 413;
            if (is_http_error(ec) && ec != http::error::end_of_stream &&
                ec != http::error::partial_message)
                return 400;
            return 0;  // a network outcome: just close
        };
        if (hec) {
            if (int status = classify(hec)) {
                const char* msg = status == 431   ? "request header too large"
                                  : status == 413 ? "request body too large"
                                                  : "bad request";
                co_await send_error_and_close(status, msg, version);
            }
            co_return;
        }
        if (!parser.is_done()) {
            auto& hdr = parser.get();
            if (beast::iequals(hdr[http::field::expect], "100-continue") && version >= 11) {
                static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
                stream_.expires_after(opt.write_timeout);
                auto [cec, cn] = co_await net::async_write(stream_, net::buffer(kContinue), kTok);
                if (cec) co_return;
            }
            stream_.expires_after(opt.idle_timeout);
            auto [bec, bn] = co_await http::async_read(stream_, buffer_, parser, kTok);
            if (bec) {
                if (int status = classify(bec))
                    co_await send_error_and_close(
                        status, status == 413 ? "request body too large" : "bad request", version);
                co_return;
            }
        }
        auto msg = parser.release();
        const bool client_keep_alive = msg.keep_alive();
        fresh_request();
        fill_request(msg);

        // 3. Route and wait for the reply (which may come from another thread, later).
        phase_ = Phase::handling;
        reply_.reset();
        ++reply_gen_;
        Outgoing out;
        try {
            {
                auto slot =
                    std::make_shared<ReplySlot>(self, req_, ctx_, reply_gen_, srv_.liveness);
                Reply reply = [slot](Response r) { slot->deliver(std::move(r)); };
                try {
                    srv_.router.dispatch(*req_, std::move(reply));
                } catch (const std::exception& e) {
                    srv_.handler_exceptions.fetch_add(1, std::memory_order_relaxed);
                    spdlog::error("request {}: handler threw: {}", req_->request_id, e.what());
                    slot->deliver(error_response(500, "서버 오류가 발생했습니다.", *req_));
                } catch (...) {
                    srv_.handler_exceptions.fetch_add(1, std::memory_order_relaxed);
                    spdlog::error("request {}: handler threw a non-standard exception",
                                  req_->request_id);
                    slot->deliver(error_response(500, "서버 오류가 발생했습니다.", *req_));
                }
            }
            while (!reply_) {
                if (closed_) co_return;
                reply_timer_.expires_at(net::steady_timer::time_point::max());
                co_await reply_timer_.async_wait(kTok);
            }
            out = finalize(*req_, std::move(*reply_));
        } catch (const std::exception& e) {
            // The middleware or an error renderer failed: a bug, answered with a bare 500.
            srv_.handler_exceptions.fetch_add(1, std::memory_order_relaxed);
            spdlog::error("request {}: response failed: {}", req_->request_id, e.what());
            out = finalize(*req_, Response::text(500, "internal error\n"));
        }
        reply_.reset();
        if (closed_) co_return;

        // 4. Write it.
        phase_ = Phase::writing;
        srv_.count_status(out.status);
        std::size_t bytes = 0;
        if (out.stream) {
            co_await stream_events(out, version, bytes);
            log_access(out.status, bytes, start);
            co_return;
        }
        const bool keep_alive = client_keep_alive && keep_going();
        bool ok = co_await write_response(out, version, keep_alive, bytes);
        log_access(out.status, bytes, start);
        if (!ok || !keep_alive) break;
    }
    // Close now (one close(), which sends the FIN) rather than when the last reference goes;
    // a separate shutdown() first would only cost a system call.
    if (!closed_) {
        closed_ = true;
        error_code ec;
        stream_.socket().close(ec);
    }
}

}  // namespace

ReplyBatch::ReplyBatch() { ++t_held.depth; }

ReplyBatch::~ReplyBatch() {
    if (--t_held.depth > 0) return;
    auto groups = std::move(t_held.groups);
    t_held.groups.clear();
    for (auto& g : groups) {
        std::lock_guard lock(g.liveness->mu);
        if (!g.liveness->alive) continue;
        net::post(g.ex, [replies = std::move(g.replies)]() mutable {
            for (auto& h : replies)
                if (auto s = h.session.lock()) s->complete(h.gen, std::move(h.response));
        });
    }
}

void Server::Impl::unregister_session(Session* s) {
    bool last = false;
    {
        std::lock_guard lock(sessions_mu);
        sessions.erase(s);
        last = sessions.empty();
    }
    active_connections.fetch_sub(1, std::memory_order_relaxed);
    if (last && stopping.load()) {
        // The drain finished early: release the drain timer so run() can return now.
        std::lock_guard lock(liveness->mu);
        if (!liveness->alive) return;
        net::post(main_context(), [this] {
            if (drain_timer) drain_timer->cancel();
        });
    }
}

// Asio adopts an accepted descriptor as "possibly duplicated" (so closing it costs an
// epoll_ctl(DEL)) and blocking (so its first operation costs an ioctl(FIONBIO)). A socket from
// accept4(SOCK_NONBLOCK) is neither; this tells Asio so through its socket state flags (Asio
// 1.81's reactive socket service; the static_assert stops a build with another backend).
struct AcceptedSocket : tcp::socket {
    static void mark_fresh_nonblocking(tcp::socket& s) {
        auto& impl = (s.*(&AcceptedSocket::impl_)).get_implementation();
        static_assert(
            std::is_base_of_v<net::detail::reactive_socket_service_base::base_implementation_type,
                              std::remove_reference_t<decltype(impl)>>,
            "the accept path relies on Asio's reactive (epoll) socket service");
        namespace ops = net::detail::socket_ops;
        impl.state_ = static_cast<ops::state_type>((impl.state_ & ~ops::possible_dup) |
                                                   ops::internal_non_blocking);
    }
};

std::size_t Server::Impl::pick_context(std::size_t mine) const {
    const int own = open_on[mine].load(std::memory_order_relaxed);
    std::size_t best = mine;
    int least = own;
    for (std::size_t j = 0; j < contexts.size(); ++j) {
        int v = open_on[j].load(std::memory_order_relaxed);
        if (v < least) {
            least = v;
            best = j;
        }
    }
    return own - least > 2 + own / 16 ? best : mine;
}

void Server::Impl::start_session(std::size_t home, tcp::socket socket, const tcp::endpoint& peer) {
    open_on[home].fetch_add(1, std::memory_order_relaxed);
    auto session = std::make_shared<Session>(*this, home, std::move(socket), peer);
    auto ex = session->executor();
    net::co_spawn(ex, session->run(), [session](std::exception_ptr e) {
        if (!e) return;
        // The one catch per session for what should not happen.
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            spdlog::error("request {}: session failed: {}", session->request_id(), ex.what());
        } catch (...) {
            spdlog::error("request {}: session failed with a non-standard exception",
                          session->request_id());
        }
    });
}

// On contexts[i]'s thread, with its own acceptor: wait until the listening socket is readable,
// then accept4() until EAGAIN (Asio's reactor is edge-triggered). Per connection that is
// accept4 and the epoll registration; TCP_NODELAY is inherited from the listening socket
// (Linux), so an accepted socket needs no set-up call of its own.
net::awaitable<void> Server::Impl::accept_loop(std::size_t i) {
    net::io_context& ctx = *contexts[i];
    tcp::acceptor& acceptor = acceptors[i];
    constexpr int kBatch = 64;  // then let this thread's sessions run before accepting more
    bool wait = true;
    while (acceptor.is_open()) {
        if (wait) {
            auto [ec] = co_await acceptor.async_wait(tcp::acceptor::wait_read, kTok);
            if (stopping.load() || ec == net::error::operation_aborted) co_return;
        }
        wait = true;
        int accepted = 0;
        int failure = 0;
        while (accepted < kBatch && acceptor.is_open()) {
            tcp::endpoint peer;
            socklen_t len = static_cast<socklen_t>(peer.capacity());
            int fd = ::accept4(acceptor.native_handle(), peer.data(), &len,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                int err = errno;
                if (err == EINTR || err == ECONNABORTED || err == EPROTO) continue;
                if (err != EAGAIN && err != EWOULDBLOCK) failure = err;
                break;
            }
            ++accepted;
            peer.resize(len);
            const std::size_t home = pick_context(i);
            tcp::socket socket(*contexts[home]);
            error_code aec;
            socket.assign(peer.protocol(), fd, aec);
            if (aec) {
                ::close(fd);
                continue;
            }
            AcceptedSocket::mark_fresh_nonblocking(socket);
            start_session(home, std::move(socket), peer);
        }
        if (stopping.load()) co_return;
        if (failure != 0) {
            // Out of descriptors or a transient failure: back off instead of spinning, then try
            // again without waiting (the pending connection's readiness was already reported).
            spdlog::warn("accept failed: {}", std::strerror(failure));
            net::steady_timer t(ctx, std::chrono::milliseconds(50));
            co_await t.async_wait(kTok);
            wait = false;
        } else if (accepted == kBatch) {
            co_await net::post(ctx, net::use_awaitable);
            wait = false;
        }
    }
}

void Server::Impl::force_close_all() {
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(sessions_mu);
        for (Session* s : sessions) {
            if (auto sp = s->weak_from_this().lock()) live.push_back(std::move(sp));
        }
    }
    for (auto& s : live) net::post(s->executor(), [s] { s->force_close(); });
}

void Server::Impl::begin_stop_on_main() {
    error_code ec;
    // Each acceptor is closed on its own thread (its accept is pending there).
    for (std::size_t i = 0; i < acceptors.size(); ++i) {
        net::post(*contexts[i], [this, i] {
            error_code cec;
            acceptors[i].close(cec);
        });
    }
    if (signals) signals->cancel(ec);
    bool empty;
    {
        std::lock_guard lock(sessions_mu);
        empty = sessions.empty();
    }
    if (!empty) {
        drain_timer.emplace(main_context(), opt.drain_timeout);
        drain_timer->async_wait([this](error_code wec) {
            if (!wec) {
                spdlog::warn("drain timeout: closing {} connection(s)", active_connections.load());
                force_close_all();
            }
        });
    }
    for (auto& g : guards) g.reset();
}

void Server::Impl::stop() {
    if (stopping.exchange(true)) return;
    net::post(main_context(), [this] { begin_stop_on_main(); });
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(sessions_mu);
        for (Session* s : sessions) {
            if (auto sp = s->weak_from_this().lock()) live.push_back(std::move(sp));
        }
    }
    for (auto& s : live) net::post(s->executor(), [s] { s->on_stop(); });
}

Server::Server(ServerOptions options, Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() = default;

Status Server::listen() {
    auto& im = *impl_;
    std::string where = im.opt.host + ":" + std::to_string(im.opt.port);
    error_code ec;
    auto addr = net::ip::make_address(im.opt.host, ec);
    if (ec)
        return make_error(Errc::invalid_input,
                          "server.host: '" + im.opt.host + "' is not an IP address");
    tcp::endpoint ep(addr, im.opt.port);
    const bool several = im.contexts.size() > 1;
    auto failed = [&] {
        im.acceptors.clear();
        return make_error(Errc::unavailable, "cannot listen on " + where + ": " + ec.message());
    };
    if (several && ep.port() != 0) {
        // SO_REUSEPORT would let this server join the listeners of another one on the same port
        // (same user) instead of failing: a plain bind first says whether the port is taken.
        // (Port 0 needs no probe: the kernel never picks a port in use by a reuseport group.)
        tcp::acceptor probe(im.main_context());
        probe.open(ep.protocol(), ec);
        if (!ec) probe.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) probe.bind(ep, ec);
        if (ec) return failed();
        probe.close(ec);
    }
    using reuse_port = net::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;
    using defer_accept = net::detail::socket_option::integer<IPPROTO_TCP, TCP_DEFER_ACCEPT>;
    im.acceptors.reserve(im.contexts.size());
    for (auto& ctx : im.contexts) {
        tcp::acceptor& acc = im.acceptors.emplace_back(*ctx);
        acc.open(ep.protocol(), ec);
        if (!ec) acc.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec && several) acc.set_option(reuse_port(true), ec);
        if (!ec) acc.set_option(tcp::no_delay(true), ec);  // inherited by accepted sockets
        // Report a connection once its first bytes have arrived (a connection that sends nothing
        // is reported after about a second and then gets header_timeout), so the first read of
        // a new connection finds the request instead of waiting for it in another round trip.
        if (!ec) acc.set_option(defer_accept(1), ec);
        if (!ec) acc.bind(ep, ec);
        if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
        if (ec) return failed();
        if (ep.port() == 0) ep.port(acc.local_endpoint(ec).port());  // the others join it
        if (ec) return failed();
    }
    im.bound_port = ep.port();
    return ok();
}

std::uint16_t Server::port() const { return impl_->bound_port.load(); }

void Server::run() {
    auto& im = *impl_;
    if (im.opt.access_log) im.access = spdlog::get("access");
    if (im.stopping.load()) return;
    if (im.opt.handle_signals) {
        im.signals.emplace(im.main_context(), SIGINT, SIGTERM);
        im.signals->async_wait([&im](error_code ec, int) {
            if (!ec) im.stop();
        });
    }
    if (!im.acceptors.empty()) {
        for (std::size_t i = 0; i < im.acceptors.size(); ++i) {
            net::co_spawn(*im.contexts[i], im.accept_loop(i), [](std::exception_ptr e) {
                if (e) spdlog::error("acceptor stopped by an exception");
            });
        }
    } else {
        spdlog::error("Server::run() without a successful listen()");
    }
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < im.contexts.size(); ++i) {
        threads.emplace_back([ctx = im.contexts[i].get()] { run_context(*ctx); });
    }
    run_context(im.main_context());
    for (auto& t : threads) t.join();
}

void Server::stop() { impl_->stop(); }

std::string prometheus_text(const Metrics& m) {
    std::string out;
    out.reserve(1024);
    auto metric = [&](std::string_view name, std::string_view type, std::string_view help) {
        out.append("# HELP ").append(name).append(" ").append(help).append("\n");
        out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    };
    auto sample = [&](std::string_view name, std::string_view labels, std::uint64_t v) {
        out.append(name).append(labels).append(" ").append(std::to_string(v)).append("\n");
    };
    metric("sinmun_http_requests_total", "counter", "HTTP responses by status class.");
    sample("sinmun_http_requests_total", "{class=\"1xx\"}", m.requests_1xx);
    sample("sinmun_http_requests_total", "{class=\"2xx\"}", m.requests_2xx);
    sample("sinmun_http_requests_total", "{class=\"3xx\"}", m.requests_3xx);
    sample("sinmun_http_requests_total", "{class=\"4xx\"}", m.requests_4xx);
    sample("sinmun_http_requests_total", "{class=\"5xx\"}", m.requests_5xx);
    metric("sinmun_http_active_connections", "gauge", "Open client connections.");
    sample("sinmun_http_active_connections", "", m.active_connections);
    metric("sinmun_http_connections_total", "counter", "Connections accepted.");
    sample("sinmun_http_connections_total", "", m.connections_total);
    metric("sinmun_http_open_streams", "gauge", "Open server-sent event streams.");
    sample("sinmun_http_open_streams", "", m.open_streams);
    metric("sinmun_http_bytes_out_total", "counter",
           "Bytes written to clients (headers and bodies).");
    sample("sinmun_http_bytes_out_total", "", m.bytes_out);
    metric("sinmun_http_handler_exceptions_total", "counter",
           "Exceptions escaping handlers (bugs).");
    sample("sinmun_http_handler_exceptions_total", "", m.handler_exceptions);
    return out;
}

Metrics Server::metrics() const {
    auto& im = *impl_;
    Metrics m;
    m.requests_1xx = im.by_class[1].load(std::memory_order_relaxed);
    m.requests_2xx = im.by_class[2].load(std::memory_order_relaxed);
    m.requests_3xx = im.by_class[3].load(std::memory_order_relaxed);
    m.requests_4xx = im.by_class[4].load(std::memory_order_relaxed);
    m.requests_5xx = im.by_class[5].load(std::memory_order_relaxed);
    m.active_connections = im.active_connections.load(std::memory_order_relaxed);
    m.open_streams = im.open_streams.load(std::memory_order_relaxed);
    m.bytes_out = im.bytes_out.load(std::memory_order_relaxed);
    m.handler_exceptions = im.handler_exceptions.load(std::memory_order_relaxed);
    m.connections_total = im.connections_total.load(std::memory_order_relaxed);
    return m;
}

}  // namespace sinmun::web
