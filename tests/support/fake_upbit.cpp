// FakeUpbit (fake_upbit.hpp): one set of coroutines over the stream type, explicitly
// instantiated for beast::tcp_stream (ws://, http://) and ssl::stream<beast::tcp_stream>
// (wss://, https://). The only test file that instantiates Beast's WebSocket and HTTP templates.
#include "fake_upbit.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

namespace sinmun::testing {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

class FakeUpbit::Impl {
public:
    virtual ~Impl() = default;
    virtual std::string ws_url(const std::string& host) const = 0;
    virtual std::string rest_url(const std::string& host) const = 0;
    virtual void send(std::string text, bool binary) = 0;
    virtual void drop() = 0;

    std::vector<std::string> subscriptions() const {
        std::lock_guard lk(mu_);
        return subs_;
    }
    std::vector<std::string> candle_requests() const {
        std::lock_guard lk(mu_);
        return candle_targets_;
    }
    void set_candles(std::string market, std::string body) {
        std::lock_guard lk(mu_);
        candles_[std::move(market)] = std::move(body);
    }

    mutable std::mutex mu_;
    std::vector<std::string> subs_;
    std::vector<std::string> candle_targets_;
    std::map<std::string, std::string> candles_;
    std::atomic<int> failed_handshakes_{0};
    std::atomic<int> accepts_{0};
};

namespace {

constexpr auto kTok = net::as_tuple(net::use_awaitable);

// Next: the layer under the WebSocket (and the HTTP stream): beast::tcp_stream when plain,
// ssl::stream<beast::tcp_stream> behind TLS.
template <class Next>
class Exchange final : public FakeUpbit::Impl {
public:
    static constexpr bool kTls = !std::is_same_v<Next, beast::tcp_stream>;

    explicit Exchange(const CertFiles* cert)
        : acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
          http_acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
        if constexpr (kTls) {
            ctx_.emplace(ssl::context::tls_server);
            ctx_->use_certificate_chain_file(cert->cert_pem);
            ctx_->use_private_key_file(cert->key_pem, ssl::context::pem);
        }
        net::co_spawn(io_, accept_ws(), net::detached);
        net::co_spawn(io_, accept_http(), net::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~Exchange() override {
        io_.stop();
        thread_.join();
    }

    std::string ws_url(const std::string& host) const override {
        return std::string(kTls ? "wss://" : "ws://") + host + ":" +
               std::to_string(acceptor_.local_endpoint().port()) + "/websocket/v1";
    }
    std::string rest_url(const std::string& host) const override {
        return std::string(kTls ? "https://" : "http://") + host + ":" +
               std::to_string(http_acceptor_.local_endpoint().port());
    }

    void send(std::string text, bool binary) override {
        net::post(io_, [this, text = std::move(text), binary]() mutable {
            if (!ws_) return;
            pending_.push_back({std::make_shared<std::string>(std::move(text)), binary});
            if (pending_.size() == 1) net::co_spawn(io_, drain(ws_), net::detached);
        });
    }
    void drop() override {
        net::post(io_, [this] {
            if (!ws_) return;
            beast::error_code ec;
            beast::get_lowest_layer(*ws_).socket().close(ec);
            ws_.reset();
            pending_.clear();
        });
    }

private:
    using Ws = websocket::stream<Next>;

    Next make_stream(tcp::socket sock) {
        if constexpr (kTls)
            return Next(beast::tcp_stream(std::move(sock)), *ctx_);
        else
            return Next(std::move(sock));
    }

    // The server side of the TLS handshake (nothing when plain), bounded to 5 s; false when it
    // failed (counted).
    net::awaitable<bool> handshake(Next& stream) {
        if constexpr (kTls) {
            beast::get_lowest_layer(stream).expires_after(5s);
            auto [hec] = co_await stream.async_handshake(ssl::stream_base::server, kTok);
            if (hec) {
                ++failed_handshakes_;
                co_return false;
            }
        }
        co_return true;
    }

    net::awaitable<void> drain(std::shared_ptr<Ws> ws) {
        while (!pending_.empty() && ws == ws_) {
            auto [msg, binary] = pending_.front();
            ws->binary(binary);
            auto [ec, n] = co_await ws->async_write(net::buffer(*msg), kTok);
            if (ec) co_return;
            if (!pending_.empty()) pending_.erase(pending_.begin());
        }
    }

    net::awaitable<void> accept_ws() {
        for (;;) {
            auto [ec, sock] = co_await acceptor_.async_accept(kTok);
            if (ec) co_return;
            ++accepts_;
            net::co_spawn(io_, serve_ws(std::move(sock)), net::detached);
        }
    }
    net::awaitable<void> serve_ws(tcp::socket sock) {
        auto ws = std::make_shared<Ws>(make_stream(std::move(sock)));
        if (!co_await handshake(ws->next_layer())) co_return;
        beast::get_lowest_layer(*ws).expires_never();
        auto [aec] = co_await ws->async_accept(kTok);
        if (aec) co_return;
        beast::flat_buffer buf;
        auto [rec, n] = co_await ws->async_read(buf, kTok);
        if (rec) co_return;
        {
            std::lock_guard lk(mu_);
            subs_.push_back(beast::buffers_to_string(buf.data()));
        }
        ws_ = ws;
        for (;;) {  // keep reading (pings are answered by Beast) until the connection ends
            buf.consume(buf.size());
            auto [ec2, n2] = co_await ws->async_read(buf, kTok);
            if (ec2) break;
        }
        if (ws_ == ws) ws_.reset();
    }

    net::awaitable<void> accept_http() {
        for (;;) {
            auto [ec, sock] = co_await http_acceptor_.async_accept(kTok);
            if (ec) co_return;
            net::co_spawn(io_, serve_http(std::move(sock)), net::detached);
        }
    }
    net::awaitable<void> serve_http(tcp::socket sock) {
        Next stream = make_stream(std::move(sock));
        if (!co_await handshake(stream)) co_return;
        beast::flat_buffer buf;
        http::request<http::string_body> req;
        auto [ec, n] = co_await http::async_read(stream, buf, req, kTok);
        if (ec) co_return;
        const std::string target(req.target());
        std::string body = "[]";
        {
            std::lock_guard lk(mu_);
            candle_targets_.push_back(target);
            for (auto& [market, b] : candles_)
                if (target.find("market=" + market + "&") != std::string::npos) body = b;
        }
        http::response<http::string_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "application/json");
        res.set("Remaining-Req", "group=candles; min=600; sec=9");
        res.body() = body;
        res.prepare_payload();
        co_await http::async_write(stream, res, kTok);
        if constexpr (kTls) {
            co_await stream.async_shutdown(kTok);
        } else {
            beast::error_code ignored;
            stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        }
    }

    net::io_context io_;
    std::optional<ssl::context> ctx_;  // when kTls
    tcp::acceptor acceptor_;
    tcp::acceptor http_acceptor_;
    std::thread thread_;
    std::shared_ptr<Ws> ws_;  // the session frames go to (io thread only)
    std::vector<std::pair<std::shared_ptr<std::string>, bool>> pending_;  // io thread only
};

}  // namespace

template class Exchange<beast::tcp_stream>;
template class Exchange<ssl::stream<beast::tcp_stream>>;

FakeUpbit::FakeUpbit() : impl_(std::make_unique<Exchange<beast::tcp_stream>>(nullptr)) {}
FakeUpbit::FakeUpbit(const CertFiles& cert)
    : impl_(std::make_unique<Exchange<ssl::stream<beast::tcp_stream>>>(&cert)) {}
FakeUpbit::~FakeUpbit() = default;

std::string FakeUpbit::ws_url(const std::string& host) const { return impl_->ws_url(host); }
std::string FakeUpbit::rest_url(const std::string& host) const { return impl_->rest_url(host); }
void FakeUpbit::send(std::string text, bool binary) { impl_->send(std::move(text), binary); }
void FakeUpbit::drop() { impl_->drop(); }
std::vector<std::string> FakeUpbit::subscriptions() const { return impl_->subscriptions(); }
std::vector<std::string> FakeUpbit::candle_requests() const { return impl_->candle_requests(); }
void FakeUpbit::set_candles(std::string market, std::string body) {
    impl_->set_candles(std::move(market), std::move(body));
}
int FakeUpbit::failed_handshakes() const { return impl_->failed_handshakes_; }
int FakeUpbit::tcp_accepts() const { return impl_->accepts_; }

}  // namespace sinmun::testing
