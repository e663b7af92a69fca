// The server over a real socket on 127.0.0.1:0, spoken to by a deliberately plain POSIX client so
// that what is tested is the bytes on the wire, not a second copy of Beast.
#include "web/server.hpp"

#include "core/compress.hpp"
#include "web/rate_limiter.hpp"
#include "web/router.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace sinmun::web {
namespace {

using namespace std::chrono_literals;

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string{} : it->second;
    }
};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A blocking client with a receive timeout so a broken server fails the test instead of hanging it.
class Client {
public:
    explicit Client(std::uint16_t port, int timeout_ms = 5000) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        connect_errno_ = connected_ ? 0 : errno;
    }
    ~Client() {
        if (fd_ >= 0) ::close(fd_);
    }
    bool connected() const { return connected_; }
    int connect_errno() const { return connect_errno_; }

    bool send(std::string_view data) {
        while (!data.empty()) {
            ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    // Reads more bytes into the buffer; false on EOF, error or timeout.
    bool fill() {
        char tmp[16384];
        ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf_.append(tmp, static_cast<std::size_t>(n));
        return true;
    }
    // True when the server closed the connection (EOF or reset) within the timeout.
    bool closed_by_peer() {
        while (true) {
            char tmp[4096];
            ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
            if (n == 0) return true;
            if (n < 0) return errno == ECONNRESET;
            buf_.append(tmp, static_cast<std::size_t>(n));
        }
    }
    // Waits until `needle` has arrived (raw bytes, e.g. inside a chunked SSE body).
    bool wait_for(std::string_view needle) {
        while (buf_.find(needle, scanned_) == std::string::npos) {
            if (!fill()) return false;
        }
        scanned_ = buf_.find(needle, scanned_) + needle.size();
        return true;
    }
    const std::string& raw() const { return buf_; }

    // Parses one response; `head` means no body follows whatever the headers say.
    std::optional<HttpResponse> read_response(bool head = false) {
        std::size_t end;
        while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) return std::nullopt;
        }
        HttpResponse r;
        std::string head_text = buf_.substr(0, end);
        buf_.erase(0, end + 4);
        scanned_ = 0;
        std::size_t line_end = head_text.find("\r\n");
        std::string status_line = head_text.substr(0, line_end);
        r.status = std::stoi(status_line.substr(9, 3));
        std::size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
        while (pos < head_text.size()) {
            std::size_t next = head_text.find("\r\n", pos);
            if (next == std::string::npos) next = head_text.size();
            std::string line = head_text.substr(pos, next - pos);
            std::size_t colon = line.find(':');
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            r.headers[lower(line.substr(0, colon))] = value;
            pos = next + 2;
        }
        if (head || r.status == 304 || r.status == 204) return r;
        if (lower(r.header("transfer-encoding")) == "chunked") return r;  // callers read raw
        if (r.headers.count("content-length")) {
            std::size_t len = std::stoul(r.header("content-length"));
            while (buf_.size() < len) {
                if (!fill()) return std::nullopt;
            }
            r.body = buf_.substr(0, len);
            buf_.erase(0, len);
        } else {
            while (fill()) {
            }
            r.body = std::move(buf_);
            buf_.clear();
        }
        return r;
    }

private:
    int fd_ = -1;
    bool connected_ = false;
    int connect_errno_ = 0;
    std::string buf_;
    std::size_t scanned_ = 0;
};

std::string get(std::string_view path, std::string_view extra = "") {
    return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

// A stream whose frames the test pushes from its own thread.
class TestStream : public StreamSource {
public:
    void start(std::function<void()> wake) override {
        std::lock_guard lock(mu_);
        wake_ = std::move(wake);
        started_ = true;
        cv_.notify_all();
    }
    std::string next() override {
        std::lock_guard lock(mu_);
        return std::exchange(pending_, {});
    }
    void stop() override {
        std::lock_guard lock(mu_);
        wake_ = nullptr;
        stopped_ = true;
        cv_.notify_all();
    }
    void push(std::string frame) {
        std::function<void()> wake;
        {
            std::lock_guard lock(mu_);
            pending_ += frame;
            wake = wake_;
        }
        if (wake) wake();
    }
    bool wait_started() {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, 5s, [&] { return started_; });
    }
    bool wait_stopped() {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, 5s, [&] { return stopped_; });
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::function<void()> wake_;
    std::string pending_;
    bool started_ = false;
    bool stopped_ = false;
};

// Latest value wins, as the market hub does it: one shared frame and its version; each stream
// hands out the newest frame once, however many were published while it was not asking.
class Broadcast {
public:
    class Stream : public StreamSource {
    public:
        explicit Stream(Broadcast& b) : b_(b) {}
        void start(std::function<void()> wake) override {
            std::lock_guard lock(b_.mu_);
            wake_ = std::move(wake);
            b_.live_.push_back(this);
            ++b_.started_;
            b_.cv_.notify_all();
        }
        std::string next() override {
            auto f = next_shared();
            return f ? *f : std::string();
        }
        std::shared_ptr<const std::string> next_shared() override {
            std::lock_guard lock(b_.mu_);
            if (b_.version_ <= sent_) return nullptr;
            sent_ = b_.version_;
            ++b_.handed_out_;
            return b_.latest_;
        }
        void stop() override {
            std::lock_guard lock(b_.mu_);
            std::erase(b_.live_, this);
            wake_ = nullptr;
        }

    private:
        friend class Broadcast;
        Broadcast& b_;
        std::function<void()> wake_;
        std::uint64_t sent_ = 0;
    };

    void publish(std::string frame) {
        std::vector<std::function<void()>> wakes;
        {
            std::lock_guard lock(mu_);
            latest_ = std::make_shared<const std::string>(std::move(frame));
            ++version_;
            for (auto* s : live_) wakes.push_back(s->wake_);
        }
        for (auto& w : wakes) w();
    }
    bool wait_started(int n) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, 10s, [&] { return started_ >= n; });
    }
    std::size_t handed_out() {
        std::lock_guard lock(mu_);
        return handed_out_;
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<Stream*> live_;
    std::shared_ptr<const std::string> latest_;
    std::uint64_t version_ = 0;
    int started_ = 0;
    std::size_t handed_out_ = 0;
};

std::shared_ptr<const render::Representation> big_rep() {
    auto rep = std::make_shared<render::Representation>();
    rep->content_type = "text/html; charset=utf-8";
    for (int i = 0; i < 400; ++i)
        rep->identity += "<p>서울시 'AI 특구' 지정 " + std::to_string(i) + "</p>\n";
    rep->gzip = gzip_compress(rep->identity);
    rep->br = brotli_compress(rep->identity);
    rep->etag = "\"0123456789abcdef\"";
    rep->cache_control = "no-cache";
    rep->last_modified_ms = 1'700'000'000'000;
    return rep;
}

class ServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        router_.add("GET", "/hello",
                    sync([](Request&) { return Response::text(200, "안녕하세요"); }));
        router_.add("GET", "/article/{id}", sync([](Request& r) {
                        return Response::text(200, "article " + std::string(r.param("id")));
                    }));
        router_.add("POST", "/echo", sync([](Request& r) { return Response::text(200, r.body); }));
        router_.add("GET", "/page", sync([this](Request&) { return Response::of(rep_); }));
        router_.add("GET", "/big.json", sync([](Request&) {
                        std::string body = "[";
                        for (int i = 0; i < 500; ++i) body += "{\"n\":" + std::to_string(i) + "},";
                        body.back() = ']';
                        return Response::json(200, body);
                    }));
        router_.add("GET", "/later", [](Request& req, Reply reply) {
            std::string id(req.param("x"));
            std::thread([reply = std::move(reply)] {
                std::this_thread::sleep_for(30ms);
                reply(Response::text(200, "later"));
            }).detach();
        });
        router_.add("GET", "/slow", [this](Request&, Reply reply) {
            slow_started_.set_value();
            std::thread([reply = std::move(reply)] {
                std::this_thread::sleep_for(400ms);
                reply(Response::text(200, "slow done"));
            }).detach();
        });
        router_.add("GET", "/throw",
                    sync([](Request&) -> Response { throw std::runtime_error("boom"); }));
        router_.add("GET", "/dropped", [](Request&, Reply) {});
        router_.add("GET", "/stream", sync([this](Request&) {
                        Response r;
                        r.stream = stream_;
                        return r;
                    }));
        router_.add("GET", "/broadcast", sync([this](Request&) {
                        Response r;
                        r.stream = std::make_shared<Broadcast::Stream>(broadcast_);
                        return r;
                    }));
        router_.add("POST", "/api/v1/limited", sync([this](Request& r) {
                        if (!limiter_.allow(r.remote_addr)) {
                            auto res = Response::json(429, R"({"error":{"code":"rate_limited"}})");
                            res.set_header("Retry-After",
                                           std::to_string(static_cast<int>(
                                               std::ceil(limiter_.retry_after_s(r.remote_addr)))));
                            return res;
                        }
                        return Response::json(200, "{}");
                    }));
    }

    void start(ServerOptions opt = {}) {
        opt.host = "127.0.0.1";
        opt.port = 0;
        opt.threads = 2;
        opt.handle_signals = false;
        if (opt.sse_heartbeat_ms.count() == 0) opt.sse_heartbeat_ms = 200ms;
        server_ = std::make_unique<Server>(opt, router_);
        auto st = server_->listen();
        ASSERT_TRUE(st.has_value()) << st.error().message;
        port_ = server_->port();
        ASSERT_NE(port_, 0);
        thread_ = std::thread([this] { server_->run(); });
    }

    void TearDown() override {
        if (server_) server_->stop();
        if (thread_.joinable()) thread_.join();
    }

    Router router_;
    std::unique_ptr<Server> server_;
    std::thread thread_;
    std::uint16_t port_ = 0;
    std::shared_ptr<const render::Representation> rep_ = big_rep();
    std::promise<void> slow_started_;
    std::shared_ptr<TestStream> stream_ = std::make_shared<TestStream>();
    Broadcast broadcast_;
    ManualClock clock_{1'000'000};
    RateLimiter limiter_{clock_, 1.0, 2.0, 1000};
};

TEST_F(ServerTest, TwoRequestsOnOneKeepAliveConnection) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send(get("/hello")));
    auto r1 = c.read_response();
    ASSERT_TRUE(r1);
    EXPECT_EQ(r1->status, 200);
    EXPECT_EQ(r1->body, "안녕하세요");
    EXPECT_EQ(r1->header("content-type"), "text/plain; charset=utf-8");
    EXPECT_EQ(r1->header("server"), "sinmun");
    EXPECT_EQ(r1->header("x-frame-options"), "DENY");
    EXPECT_EQ(r1->header("x-content-type-options"), "nosniff");
    EXPECT_NE(r1->header("content-security-policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_FALSE(r1->header("x-request-id").empty());
    EXPECT_FALSE(r1->header("date").empty());
    EXPECT_NE(lower(r1->header("connection")), "close");

    ASSERT_TRUE(c.send(get("/article/%EC%84%9C%EC%9A%B8", "X-Request-Id: upstream-42\r\n")));
    auto r2 = c.read_response();
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->body, "article 서울");
    EXPECT_EQ(r2->header("x-request-id"), "upstream-42");
    EXPECT_NE(r1->header("x-request-id"), r2->header("x-request-id"));
}

TEST_F(ServerTest, PipelinedRequestsAnswerInOrder) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send(get("/article/1") + get("/article/2") + get("/article/3")));
    for (int i = 1; i <= 3; ++i) {
        auto r = c.read_response();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->body, "article " + std::to_string(i));
    }
}

TEST_F(ServerTest, HeadSendsHeadersAndLengthWithoutBody) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r = c.read_response(/*head=*/true);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("content-length"), std::to_string(std::string("안녕하세요").size()));
    // No stray body bytes: the next response on the connection parses cleanly.
    ASSERT_TRUE(c.send(get("/article/5")));
    auto next = c.read_response();
    ASSERT_TRUE(next);
    EXPECT_EQ(next->status, 200);
    EXPECT_EQ(next->body, "article 5");
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowed) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send(get("/nowhere")));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    ASSERT_TRUE(c.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    auto r2 = c.read_response();
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->status, 405);
    EXPECT_EQ(r2->header("allow"), "GET, HEAD");
    ASSERT_TRUE(c.send(get("/api/v1/none")));
    auto r3 = c.read_response();
    ASSERT_TRUE(r3);
    EXPECT_EQ(r3->status, 404);
    EXPECT_NE(r3->body.find(R"({"error":{"code":"not_found")"), std::string::npos);
}

TEST_F(ServerTest, OversizedHeaderIs431) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20 * 1024, 'a') +
                       "\r\n\r\n"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431);
    EXPECT_LT(r->body.size(), 100u);
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, OversizedBodyIs413) {
    start();
    Client c(port_);
    std::string body(2 << 20, 'b');
    std::string msg =
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n";
    ASSERT_TRUE(c.send(msg));
    c.send(body);  // the server may stop reading; the response must still arrive
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_LT(r->body.size(), 100u);
}

TEST_F(ServerTest, BodyWithinLimitIsDelivered) {
    start();
    Client c(port_);
    std::string body(100 * 1024, 'c');
    ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                       std::to_string(body.size()) + "\r\n\r\n" + body));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body.size(), body.size());
}

TEST_F(ServerTest, GarbageIs400) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send("\x01\x02 this is not http\r\n\r\n"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_TRUE(c.closed_by_peer());

    Client c2(port_);
    ASSERT_TRUE(c2.send("GET /hello HTTP/1.1\r\nHost: t\r\nContent-Length: banana\r\n\r\n"));
    auto r2 = c2.read_response();
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->status, 400);
}

TEST_F(ServerTest, RepresentationGzipAndBrotliRoundTrip) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send(get("/page", "Accept-Encoding: gzip\r\n")));
    auto gz = c.read_response();
    ASSERT_TRUE(gz);
    EXPECT_EQ(gz->header("content-encoding"), "gzip");
    EXPECT_EQ(gz->header("vary"), "Accept-Encoding");
    std::string plain;
    ASSERT_TRUE(gzip_decompress(gz->body, plain));
    EXPECT_EQ(plain, rep_->identity);

    ASSERT_TRUE(c.send(get("/page", "Accept-Encoding: gzip, deflate, br\r\n")));
    auto br = c.read_response();
    ASSERT_TRUE(br);
    EXPECT_EQ(br->header("content-encoding"), "br");
    ASSERT_TRUE(brotli_decompress(br->body, plain));
    EXPECT_EQ(plain, rep_->identity);

    ASSERT_TRUE(c.send(get("/page", "Accept-Encoding: br;q=0, gzip;q=0\r\n")));
    auto id = c.read_response();
    ASSERT_TRUE(id);
    EXPECT_EQ(id->header("content-encoding"), "");
    EXPECT_EQ(id->body, rep_->identity);
}

TEST_F(ServerTest, PlainTextBodiesAreCompressedOnTheFly) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send(get("/big.json", "Accept-Encoding: br\r\n")));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("content-encoding"), "br");
    std::string plain;
    ASSERT_TRUE(brotli_decompress(r->body, plain));
    EXPECT_EQ(plain.substr(0, 8), "[{\"n\":0}");
    EXPECT_EQ(plain.back(), ']');
}

TEST_F(ServerTest, MatchingEtagGives304) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send(get("/page")));
    auto first = c.read_response();
    ASSERT_TRUE(first);
    std::string etag = first->header("etag");
    EXPECT_EQ(etag, rep_->etag);
    EXPECT_EQ(first->header("cache-control"), "no-cache");
    EXPECT_EQ(first->header("last-modified"), "Tue, 14 Nov 2023 22:13:20 GMT");

    ASSERT_TRUE(c.send(get("/page", "If-None-Match: \"other\", W/" + etag + "\r\n")));
    auto second = c.read_response();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 304);
    EXPECT_EQ(second->header("etag"), etag);
    EXPECT_EQ(second->header("content-length"), "");
    // The connection is still in sync after a bodiless 304.
    ASSERT_TRUE(c.send(get("/hello")));
    auto third = c.read_response();
    ASSERT_TRUE(third);
    EXPECT_EQ(third->body, "안녕하세요");
}

TEST_F(ServerTest, ReplyFromAnotherThreadLater) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send(get("/later") + get("/later")));
    for (int i = 0; i < 2; ++i) {
        auto r = c.read_response();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->body, "later");
    }
}

TEST_F(ServerTest, HandlerExceptionIs500AndCounted) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send(get("/throw")));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    EXPECT_EQ(server_->metrics().handler_exceptions, 1u);
    // The connection survives the handler's bug.
    ASSERT_TRUE(c.send(get("/dropped")));
    auto dropped = c.read_response();
    ASSERT_TRUE(dropped);
    EXPECT_EQ(dropped->status, 500);
    ASSERT_TRUE(c.send(get("/hello")));
    auto ok = c.read_response();
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
    auto m = server_->metrics();
    EXPECT_EQ(m.requests_5xx, 2u);
    EXPECT_EQ(m.requests_2xx, 1u);
    EXPECT_GT(m.bytes_out, 0u);
    EXPECT_EQ(m.active_connections, 1u);
    std::string text = prometheus_text(m);
    EXPECT_NE(text.find("sinmun_http_requests_total{class=\"5xx\"} 2\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("# TYPE sinmun_http_handler_exceptions_total counter\n"),
              std::string::npos);
    EXPECT_NE(text.find("sinmun_http_handler_exceptions_total 1\n"), std::string::npos);
}

TEST_F(ServerTest, ServerSentEventsDeliverFramesAndHeartbeats) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send(get("/stream")));
    auto head = c.read_response();
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("content-type"), "text/event-stream; charset=utf-8");
    EXPECT_EQ(head->header("cache-control"), "no-cache");
    EXPECT_EQ(head->header("x-accel-buffering"), "no");
    EXPECT_EQ(head->header("content-length"), "");
    EXPECT_EQ(lower(head->header("transfer-encoding")), "chunked");
    ASSERT_TRUE(stream_->wait_started());
    EXPECT_EQ(server_->metrics().open_streams, 1u);

    stream_->push("id: 1\nevent: crypto\ndata: {\"seq\":1}\n\n");
    ASSERT_TRUE(c.wait_for("data: {\"seq\":1}\n\n"));
    stream_->push("id: 2\nevent: stocks\ndata: {\"seq\":2}\n\n");
    ASSERT_TRUE(c.wait_for("data: {\"seq\":2}\n\n"));
    ASSERT_TRUE(c.wait_for(": keepalive\n\n"));  // heartbeat after 200 ms of silence

    server_->stop();  // streams end on stop
    EXPECT_TRUE(stream_->wait_stopped());
    EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, EveryStreamClientReceivesEachBroadcast) {
    // More streams per io thread than one wake-up walks at a time, so the walk must resume.
    start();
    constexpr int kClients = 300;
    std::vector<std::unique_ptr<Client>> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<Client>(port_));
        ASSERT_TRUE(clients.back()->send(get("/broadcast")));
    }
    for (auto& c : clients) ASSERT_TRUE(c->read_response());
    ASSERT_TRUE(broadcast_.wait_started(kClients));
    EXPECT_EQ(server_->metrics().open_streams, static_cast<std::uint64_t>(kClients));
    for (int round = 1; round <= 3; ++round) {
        const std::string frame = "id: " + std::to_string(round) +
                                  "\ndata: {\"round\":" + std::to_string(round) + "}\n\n";
        broadcast_.publish(frame);
        for (int i = 0; i < kClients; ++i)
            ASSERT_TRUE(clients[i]->wait_for(frame)) << "client " << i << ", round " << round;
    }
    // Each client got each round exactly once, as one chunk of the chunked body.
    for (auto& c : clients) {
        std::size_t count = 0;
        for (std::size_t p = 0; (p = c->raw().find("data: {\"round\":", p)) != std::string::npos;
             ++p)
            ++count;
        EXPECT_EQ(count, 3u);
    }
}

TEST_F(ServerTest, SlowStreamClientGetsOnlyTheNewestFrame) {
    start();
    Client slow(port_);
    ASSERT_TRUE(slow.send(get("/broadcast")));
    ASSERT_TRUE(slow.read_response());
    ASSERT_TRUE(broadcast_.wait_started(1));
    // The client reads nothing while 100 frames of 256 KiB (25 MiB) are published: far more than
    // the socket buffers hold, so the server must skip frames, not queue them.
    constexpr int kFrames = 100;
    const std::string pad(256 * 1024, 'x');
    for (int i = 0; i < kFrames; ++i) {
        broadcast_.publish("data: frame-" + std::to_string(i) + "|" + pad + "\n\n");
        std::this_thread::sleep_for(2ms);
    }
    const std::string last = "frame-" + std::to_string(kFrames - 1) + "|";
    ASSERT_TRUE(slow.wait_for(last));
    std::vector<int> seen;
    for (std::size_t p = 0; (p = slow.raw().find("data: frame-", p)) != std::string::npos; ++p)
        seen.push_back(std::stoi(slow.raw().substr(p + 12)));
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back(), kFrames - 1);  // the newest value arrives
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
    // Only what fitted in the socket buffers plus the newest: nothing was held per frame.
    EXPECT_LT(seen.size(), static_cast<std::size_t>(kFrames / 3)) << "frames " << seen.size();
    EXPECT_LT(broadcast_.handed_out(), static_cast<std::size_t>(kFrames / 3));
    // And the stream goes on: a later frame still arrives.
    broadcast_.publish("data: after\n\n");
    EXPECT_TRUE(slow.wait_for("data: after\n\n"));
}

TEST_F(ServerTest, Http10StreamGetsUnchunkedFrames) {
    start();
    Client c(port_);
    ASSERT_TRUE(c.send("GET /broadcast HTTP/1.0\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(broadcast_.wait_started(1));
    broadcast_.publish("data: one\n\n");
    ASSERT_TRUE(c.wait_for("\r\n\r\ndata: one\n\n"));  // right after the header, no chunk size
    broadcast_.publish("data: two\n\n");
    ASSERT_TRUE(c.wait_for("data: two\n\n"));
    EXPECT_NE(c.raw().find("data: one\n\ndata: two\n\n"), std::string::npos);
    EXPECT_EQ(lower(c.raw()).find("transfer-encoding"), std::string::npos);
}

TEST_F(ServerTest, StreamStopsWhenClientLeaves) {
    start();
    {
        Client c(port_);
        ASSERT_TRUE(c.send(get("/stream")));
        ASSERT_TRUE(c.read_response());
        ASSERT_TRUE(stream_->wait_started());
    }
    // The next heartbeat write fails on the closed socket and the stream is stopped.
    EXPECT_TRUE(stream_->wait_stopped());
}

TEST_F(ServerTest, StopDrainsInFlightRequestAndRefusesNewConnections) {
    start();
    Client idle(port_);
    ASSERT_TRUE(idle.send(get("/hello")));
    ASSERT_TRUE(idle.read_response());  // now an idle keep-alive connection

    Client slow(port_);
    ASSERT_TRUE(slow.send(get("/slow")));
    ASSERT_EQ(slow_started_.get_future().wait_for(5s), std::future_status::ready);

    auto t0 = std::chrono::steady_clock::now();
    server_->stop();
    // New connections are refused once the acceptor has closed (asynchronously, on its thread).
    bool refused = false;
    for (int i = 0; i < 100 && !refused; ++i) {
        Client late(port_, 500);
        refused = !late.connected() && late.connect_errno() == ECONNREFUSED;
        if (!refused) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(refused);
    EXPECT_TRUE(idle.closed_by_peer());  // idle keep-alives are closed at once

    auto r = slow.read_response();  // the in-flight request still completes
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "slow done");
    EXPECT_EQ(lower(r->header("connection")), "close");
    thread_.join();  // run() returns once drained, well before drain_timeout
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST_F(ServerTest, DrainTimeoutClosesStuckRequests) {
    // Never answered while the server runs; replied to after the server is gone (a late
    // database commit at shutdown), which must be harmless.
    auto kept = std::make_shared<std::vector<Reply>>();
    router_.add("GET", "/never",
                [kept](Request&, Reply reply) { kept->push_back(std::move(reply)); });
    ServerOptions opt;
    opt.drain_timeout = 1s;
    start(opt);
    Client c(port_);
    ASSERT_TRUE(c.send(get("/never")));
    std::this_thread::sleep_for(100ms);
    auto t0 = std::chrono::steady_clock::now();
    server_->stop();
    thread_.join();
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(took, 900ms);
    EXPECT_LT(took, 4s);
    EXPECT_TRUE(c.closed_by_peer());
    ASSERT_EQ(kept->size(), 1u);
    server_.reset();
    (*kept)[0](Response::text(200, "too late"));
    kept->clear();
}

TEST_F(ServerTest, IdleClientIsDisconnectedAfterHeaderTimeout) {
    ServerOptions opt;
    opt.header_timeout = 1s;
    start(opt);
    Client c(port_, 5000);
    ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\n"));  // and then nothing
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closed_by_peer());
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

TEST_F(ServerTest, BusyPortIsAnErrorNamingTheAddress) {
    start();
    ServerOptions opt;
    opt.port = port_;
    opt.threads = 1;
    Server second(opt, router_);
    auto st = second.listen();
    ASSERT_FALSE(st.has_value());
    EXPECT_NE(st.error().message.find("127.0.0.1:" + std::to_string(port_)), std::string::npos)
        << st.error().message;
}

TEST_F(ServerTest, RateLimitedEndpointWithManualClock) {
    start();
    Client c(port_);
    auto post = [&] {
        EXPECT_TRUE(
            c.send("POST /api/v1/limited HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"));
        auto r = c.read_response();
        return r ? *r : HttpResponse{};
    };
    EXPECT_EQ(post().status, 200);
    EXPECT_EQ(post().status, 200);
    auto limited = post();
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.header("retry-after"), "1");
    clock_.advance_ms(1000);
    EXPECT_EQ(post().status, 200);
}

}  // namespace
}  // namespace sinmun::web
