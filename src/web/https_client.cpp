#include "web/https_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "web/tls_util.hpp"

#include <mutex>

namespace sinmun::web {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {
constexpr auto kTok = net::as_tuple(net::use_awaitable);
}

struct HttpsClient::Impl {
    HttpClientOptions opt;
    ssl::context ctx{ssl::context::tls_client};
    Status tls_ready = ok();  // the CA file checked at construction
    std::once_flag tls_once;  // the context configured on the first https:// request
    Status tls_configured = ok();

    // The request to send: GET unless content_type is set (then POST with body).
    struct Outgoing {
        std::string content_type;
        std::string body;
    };

    template <class Stream>
    net::awaitable<Result<HttpResponse>> exchange(Stream& stream, const ParsedUrl& url,
                                                  const Outgoing& out_req) {
        const bool post = !out_req.content_type.empty();
        http::request<http::string_body> req{post ? http::verb::post : http::verb::get, url.target,
                                             11};
        req.set(http::field::host, url.host);
        req.set(http::field::user_agent, opt.user_agent);
        req.set(http::field::accept, "application/json");
        req.set(http::field::accept_encoding, "identity");
        req.set(http::field::connection, "close");
        if (post) {
            req.set(http::field::content_type, out_req.content_type);
            req.body() = out_req.body;
            req.prepare_payload();
        }
        auto [wec, wn] = co_await http::async_write(stream, req, kTok);
        if (wec) co_return make_error(Errc::unavailable, "GET " + url.host + ": " + wec.message());
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(opt.max_body_bytes);
        auto [rec, rn] = co_await http::async_read(stream, buffer, parser, kTok);
        if (rec == http::error::body_limit)
            co_return make_error(Errc::too_large, "GET " + url.host + ": body over the limit");
        if (rec) co_return make_error(Errc::unavailable, "GET " + url.host + ": " + rec.message());
        auto res = parser.release();
        HttpResponse out;
        out.status = static_cast<int>(res.result_int());
        out.body = std::move(res.body());
        if (auto it = res.find("Remaining-Req"); it != res.end())
            out.remaining_req = std::string(it->value());
        if (auto it = res.find(http::field::retry_after); it != res.end())
            out.retry_after = std::string(it->value());
        co_return out;
    }

    net::awaitable<Result<HttpResponse>> get(ParsedUrl url, Outgoing out_req) {
        auto ex = co_await net::this_coro::executor;
        tcp::resolver resolver(ex);
        auto [rec, endpoints] = co_await resolver.async_resolve(url.host, url.port, kTok);
        if (rec)
            co_return make_error(Errc::unavailable, "resolve " + url.host + ": " + rec.message());
        if (!url.tls) {
            beast::tcp_stream stream(ex);
            stream.expires_after(opt.timeout);
            auto [cec, ep] = co_await stream.async_connect(endpoints, kTok);
            if (cec)
                co_return make_error(Errc::unavailable,
                                     "connect " + url.host + ": " + cec.message());
            co_return co_await exchange(stream, url, out_req);
        }
        if (!tls_ready) co_return tls_ready.error();
        ssl::stream<beast::tcp_stream> stream(ex, ctx);
        beast::get_lowest_layer(stream).expires_after(opt.timeout);
        auto [cec, ep] = co_await beast::get_lowest_layer(stream).async_connect(endpoints, kTok);
        if (cec)
            co_return make_error(Errc::unavailable, "connect " + url.host + ": " + cec.message());
        if (auto st = prepare_tls(stream, url.host); !st) co_return st.error();
        auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, kTok);
        if (hec)
            co_return make_error(Errc::unavailable,
                                 "TLS handshake with " + url.host + ": " + hec.message());
        co_return co_await exchange(stream, url, out_req);
    }
};

HttpsClient::HttpsClient(HttpClientOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->opt = std::move(options);
    impl_->tls_ready = check_ca_file(impl_->opt.ca_file);
}

HttpsClient::~HttpsClient() = default;

Status HttpsClient::tls_ready() const { return impl_->tls_ready; }

Result<HttpResponse> HttpsClient::get(const std::string& url_text) const {
    return run(url_text, {}, {});
}

Result<HttpResponse> HttpsClient::post(const std::string& url_text, const std::string& content_type,
                                       const std::string& body) const {
    return run(url_text, content_type, body);
}

Result<HttpResponse> HttpsClient::run(const std::string& url_text, const std::string& content_type,
                                      const std::string& body) const {
    auto url = parse_url(url_text, {"http", "https"});
    if (!url) return url.error();
    if (url->tls) {
        std::call_once(impl_->tls_once, [this] {
            impl_->tls_configured = configure_tls_context(impl_->ctx, impl_->opt.ca_file);
        });
        if (!impl_->tls_configured) return impl_->tls_configured.error();
    }
    net::io_context io(1);
    std::optional<Result<HttpResponse>> out;
    net::co_spawn(io, impl_->get(*url, Impl::Outgoing{content_type, body}),
                  [&](std::exception_ptr e, Result<HttpResponse> r) {
                      if (e) {
                          try {
                              std::rethrow_exception(e);
                          } catch (const std::exception& ex) {
                              out = make_error(Errc::internal,
                                               std::string("GET failed: ") + ex.what());
                          }
                          return;
                      }
                      out = std::move(r);
                  });
    io.run();
    if (!out) return make_error(Errc::internal, "GET " + url_text + ": no result");
    return std::move(*out);
}

}  // namespace sinmun::web
