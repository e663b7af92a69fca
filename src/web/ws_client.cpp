// WsClient implementation: Beast websocket over beast::tcp_stream, optionally wrapped in
// asio::ssl::stream, driven by C++20 coroutines on one io_context thread (the shape of the
// Beast 1.81 awaitable examples; Boost 1.81 has no cancel_after, so timeouts are
// tcp_stream::expires_after and a steady_timer watchdog).
#include "web/ws_client.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <atomic>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include "web/tls_util.hpp"

namespace sinmun::web {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace net::experimental::awaitable_operators;

namespace {
constexpr auto kTok = net::as_tuple(net::use_awaitable);
using Clock = std::chrono::steady_clock;
}  // namespace

std::chrono::milliseconds WsClient::backoff(int n, std::chrono::milliseconds initial,
                                            std::chrono::milliseconds max, double u) {
    double cap = static_cast<double>(initial.count());
    for (int i = 0; i < n && cap < static_cast<double>(max.count()); ++i) cap *= 2;
    cap = std::min(cap, static_cast<double>(max.count()));
    return std::chrono::milliseconds(static_cast<std::int64_t>(cap * std::clamp(u, 0.0, 1.0)));
}

struct WsClient::Impl {
    WsClientOptions opt;
    WsHandlers h;
    ParsedUrl url;
    std::unique_ptr<net::io_context> io = std::make_unique<net::io_context>(1);
    ssl::context ctx{ssl::context::tls_client};
    bool tls_configured = false;  // io thread only: configured before the first wss:// connection
    std::thread thread;
    std::future<void> finished;
    std::atomic<bool> stopping{false};
    std::function<void()> close_current;  // io thread only
    std::unique_ptr<net::steady_timer> backoff_timer;
    std::mt19937_64 rng{std::random_device{}()};
    mutable std::mutex stats_mu;
    WsClientStats st;

    void count(std::uint64_t WsClientStats::*field) {
        std::lock_guard lk(stats_mu);
        ++(st.*field);
    }

    // Reads until the stream fails; returns the reason.
    template <class Ws>
    net::awaitable<std::string> read_loop(Ws& ws, Clock::time_point& last_frame) {
        beast::flat_buffer buffer;
        for (;;) {
            auto [ec, n] = co_await ws.async_read(buffer, kTok);
            if (ec) co_return ec == websocket::error::closed ? "closed by server" : ec.message();
            last_frame = Clock::now();
            count(&WsClientStats::messages);
            const auto data = buffer.cdata();
            const std::string_view payload(static_cast<const char*>(data.data()), data.size());
            if (h.on_message) {
                try {
                    h.on_message(payload, ws.got_binary());
                } catch (const std::exception& e) {
                    spdlog::error("ws client: message handler threw: {}", e.what());
                    co_return std::string("handler error: ") + e.what();
                }
            }
            buffer.consume(buffer.size());
        }
    }

    // Pings every ping_interval; closes the socket when no frame came for idle_timeout.
    template <class Ws>
    net::awaitable<std::string> keepalive(Ws& ws, Clock::time_point& last_frame) {
        net::steady_timer timer(co_await net::this_coro::executor);
        auto last_ping = Clock::now();
        const auto step = std::min<std::chrono::milliseconds>(
            {std::chrono::milliseconds(1000), opt.ping_interval, opt.idle_timeout});
        for (;;) {
            timer.expires_after(step);
            auto [ec] = co_await timer.async_wait(kTok);
            if (ec) co_return "cancelled";
            const auto now = Clock::now();
            if (now - last_frame > opt.idle_timeout) {
                beast::error_code ignored;
                beast::get_lowest_layer(ws).socket().close(ignored);
                co_return "no frame for " + std::to_string(opt.idle_timeout.count()) + " ms";
            }
            if (now - last_ping >= opt.ping_interval) {
                last_ping = now;
                count(&WsClientStats::pings);
                auto [pec] = co_await ws.async_ping({}, kTok);
                if (pec) co_return "ping failed: " + pec.message();
            }
        }
    }

    // After the handshake: subscribe, then read and keep alive until either ends.
    template <class Ws>
    net::awaitable<std::string> converse(Ws& ws, bool& connected) {
        beast::get_lowest_layer(ws).expires_never();
        connected = true;
        count(&WsClientStats::connects);
        std::vector<std::string> hello;
        if (h.on_connected) hello = h.on_connected();
        for (const auto& m : hello) {
            ws.text(true);
            auto [ec, n] = co_await ws.async_write(net::buffer(m), kTok);
            if (ec) co_return "subscribe failed: " + ec.message();
        }
        auto last_frame = Clock::now();
        ws.control_callback([&last_frame](websocket::frame_type, beast::string_view) {
            last_frame = Clock::now();
        });
        auto result = co_await (read_loop(ws, last_frame) || keepalive(ws, last_frame));
        ws.control_callback();
        co_return result.index() == 0 ? std::get<0>(result) : std::get<1>(result);
    }

    template <class Ws>
    void configure(Ws& ws) {
        websocket::stream_base::timeout t{};
        t.handshake_timeout = opt.connect_timeout;
        t.idle_timeout = websocket::stream_base::none();
        t.keep_alive_pings = false;
        ws.set_option(t);
        ws.set_option(
            websocket::stream_base::decorator([ua = opt.user_agent](websocket::request_type& req) {
                req.set(beast::http::field::user_agent, ua);
            }));
        ws.read_message_max(opt.max_message_bytes);
        if (opt.permessage_deflate) {
            websocket::permessage_deflate pmd;
            pmd.client_enable = true;
            ws.set_option(pmd);
        }
    }

    net::awaitable<std::string> attempt(bool& connected) {
        auto ex = co_await net::this_coro::executor;
        count(&WsClientStats::attempts);
        tcp::resolver resolver(ex);
        auto [rec, endpoints] = co_await resolver.async_resolve(url.host, url.port, kTok);
        if (rec) co_return "resolve " + url.host + ": " + rec.message();
        if (stopping) co_return "stopped";
        const std::string host_header = url.host + ":" + url.port;
        if (!url.tls) {
            websocket::stream<beast::tcp_stream> ws(ex);
            beast::get_lowest_layer(ws).expires_after(opt.connect_timeout);
            auto [cec, ep] = co_await beast::get_lowest_layer(ws).async_connect(endpoints, kTok);
            if (cec) co_return "connect " + host_header + ": " + cec.message();
            configure(ws);
            close_current = [&ws] {
                beast::error_code ignored;
                beast::get_lowest_layer(ws).socket().close(ignored);
            };
            if (stopping) co_return "stopped";
            auto [hec] = co_await ws.async_handshake(host_header, url.target, kTok);
            if (hec) {
                close_current = nullptr;
                co_return "handshake: " + hec.message();
            }
            auto why = co_await converse(ws, connected);
            close_current = nullptr;
            co_return why;
        }
        if (!tls_configured) {
            if (auto st = configure_tls_context(ctx, opt.ca_file); !st)
                co_return st.error().message;
            tls_configured = true;
        }
        websocket::stream<ssl::stream<beast::tcp_stream>> ws(ex, ctx);
        beast::get_lowest_layer(ws).expires_after(opt.connect_timeout);
        auto [cec, ep] = co_await beast::get_lowest_layer(ws).async_connect(endpoints, kTok);
        if (cec) co_return "connect " + host_header + ": " + cec.message();
        if (auto st = prepare_tls(ws.next_layer(), url.host); !st) co_return st.error().message;
        auto [tec] = co_await ws.next_layer().async_handshake(ssl::stream_base::client, kTok);
        if (tec) co_return "TLS handshake with " + url.host + ": " + tec.message();
        configure(ws);
        close_current = [&ws] {
            beast::error_code ignored;
            beast::get_lowest_layer(ws).socket().close(ignored);
        };
        if (stopping) {
            close_current = nullptr;
            co_return "stopped";
        }
        auto [hec] = co_await ws.async_handshake(host_header, url.target, kTok);
        if (hec) {
            close_current = nullptr;
            co_return "handshake: " + hec.message();
        }
        auto why = co_await converse(ws, connected);
        close_current = nullptr;
        co_return why;
    }

    net::awaitable<void> run() {
        int failures = 0;
        while (!stopping) {
            bool connected = false;
            std::string reason;
            try {
                reason = co_await attempt(connected);
            } catch (const std::exception& e) {
                reason = std::string("unexpected: ") + e.what();
                spdlog::error("ws client {}: {}", opt.url, reason);
            }
            if (h.on_disconnected) {
                try {
                    h.on_disconnected(reason);
                } catch (const std::exception& e) {
                    spdlog::error("ws client: disconnect handler threw: {}", e.what());
                }
            }
            if (stopping) break;
            if (connected) failures = 0;
            std::uniform_real_distribution<double> u(0.0, 1.0);
            const auto delay = backoff(failures, opt.backoff_initial, opt.backoff_max, u(rng));
            ++failures;
            if (!connected)
                spdlog::debug("ws client {}: {}; retry in {} ms", opt.url, reason, delay.count());
            backoff_timer->expires_after(delay);
            co_await backoff_timer->async_wait(kTok);
        }
    }
};

WsClient::WsClient(WsClientOptions options, WsHandlers handlers) : impl_(std::make_shared<Impl>()) {
    impl_->opt = std::move(options);
    impl_->h = std::move(handlers);
}

WsClient::~WsClient() { stop(); }

Status WsClient::start() {
    if (impl_->thread.joinable()) return ok();
    auto url = parse_url(impl_->opt.url, {"ws", "wss"});
    if (!url) return url.error();
    impl_->url = *url;
    if (impl_->url.tls) {
        if (auto st = check_ca_file(impl_->opt.ca_file); !st) return st;
    }
    impl_->stopping = false;
    impl_->backoff_timer = std::make_unique<net::steady_timer>(*impl_->io);
    Impl* im = impl_.get();
    net::co_spawn(*im->io, im->run(), [url = im->opt.url](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            spdlog::error("ws client {} ended: {}", url, ex.what());
        }
    });
    std::promise<void> done;
    im->finished = done.get_future();
    im->thread = std::thread([im, done = std::move(done)]() mutable {
        try {
            im->io->run();
        } catch (const std::exception& e) {
            spdlog::error("ws client thread: {}", e.what());
        }
        done.set_value();
    });
    return ok();
}

void WsClient::stop() {
    Impl* im = impl_.get();
    if (!im->thread.joinable()) return;
    im->stopping = true;
    net::post(*im->io, [im] {
        if (im->backoff_timer) im->backoff_timer->cancel();
        if (im->close_current) im->close_current();
    });
    if (im->finished.wait_for(std::chrono::seconds(3)) != std::future_status::ready) im->io->stop();
    im->thread.join();
    // Destroys any abandoned coroutine frames while the TLS context still exists.
    im->backoff_timer.reset();
    im->io.reset();
    im->io = std::make_unique<net::io_context>(1);
}

WsClientStats WsClient::stats() const {
    std::lock_guard lk(impl_->stats_mu);
    return impl_->st;
}

}  // namespace sinmun::web
