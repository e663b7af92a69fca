// The crypto feed over TLS, as in production (wss:// and https://), against a local exchange that
// speaks Upbit's documented formats behind a certificate made at test time (test_pki: a test CA
// and server certificates for 127.0.0.1/localhost; no key is committed). It shows:
// - web::WsClient + web::HttpsClient trusting the test CA through WsClientOptions::ca_file /
//   HttpClientOptions::ca_file: the feed subscribes over wss://, computes the 24 h change, and
//   backfills a missing minute from candles over https://;
// - refusals: a server certificate from a CA nobody trusts, and one for another host name, are
//   refused at the TLS handshake: no frame reaches the feed, each attempt is counted in
//   connect_failures with the reason in last_error, and reconnecting with backoff goes on;
// - the real binary: `sinmun serve --crypto-feed wss://… --crypto-rest https://… --crypto-ca …`
//   shows live prices, and without the CA it refuses the exchange and says so in /healthz and
//   /metrics; an unreadable CA file stops start-up with a message naming it.
// Everything is on 127.0.0.1 with port 0 and bounded to seconds.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "fake_upbit.hpp"
#include "http_client.hpp"
#include "market/feeds/upbit_feed.hpp"
#include "market/hub.hpp"
#include "sinmun_process.hpp"
#include "test_pki.hpp"
#include "upbit_frames.hpp"
#include "web/https_client.hpp"
#include "web/ws_client.hpp"

namespace {

using namespace std::chrono_literals;
using sinmun::Decimal;
using sinmun::testing::CertFiles;
using sinmun::testing::FakeUpbit;
using sinmun::testing::TempDir;
using sinmun::testing::TestCa;
using sinmun::testing::upbit_candle;
using sinmun::testing::upbit_trade;

constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kT = 1'764'000'000'000 + 30'000;  // a minute boundary + 30 s

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 8s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (pred()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return pred();
}

// One directory of test certificates for the whole binary: the trusted test CA with a good
// server certificate (127.0.0.1 and localhost) and one for another name, plus a rogue CA whose
// certificate for 127.0.0.1 nobody trusts.
struct Pki {
    TempDir dir;
    TestCa ca{dir.path(), "sinmun"};
    TestCa rogue{dir.path(), "rogue"};
    CertFiles good = ca.issue("server", {"IP:127.0.0.1", "DNS:localhost"});
    CertFiles other_name = ca.issue("other-name", {"DNS:feed.example.invalid"});
    CertFiles untrusted = rogue.issue("untrusted", {"IP:127.0.0.1", "DNS:localhost"});
};

Pki& pki() {
    static Pki p;
    return p;
}

// UpbitFeed + WsClient + HttpsClient wired as in site.cpp, trusting ca_file.
class TlsFeed {
public:
    TlsFeed(const std::string& ws_url, const std::string& rest_url, const std::string& ca_file)
        : rest_([&] {
              sinmun::web::HttpClientOptions ho;
              ho.ca_file = ca_file;
              ho.timeout = 3s;
              return ho;
          }()) {
        hub = std::make_unique<sinmun::market::Hub>(clock, sinmun::market::HubOptions{});
        sinmun::market::UpbitFeedOptions o;
        o.ws_url = ws_url;
        o.rest_url = rest_url;
        o.heartbeat_ms = 20;
        o.backfill_delay_ms = 0;
        o.rest_requests_per_second = 100;
        // Persisted history: KRW-BTC closed at 100,000,000 every minute up to two minutes ago.
        o.load_minutes = [](std::int64_t) {
            return sinmun::Result<std::vector<sinmun::market::MinuteClose>>(
                sinmun::testing::persisted_btc_day(kT));
        };
        feed = std::make_unique<sinmun::market::UpbitFeed>(
            *hub, clock, o,
            [this](const std::string& url) -> sinmun::Result<sinmun::market::HttpAnswer> {
                auto r = rest_.get(url);
                if (!r) return r.error();
                return sinmun::market::HttpAnswer{r->status, r->body};
            });
        feed->start();
        sinmun::web::WsClientOptions wo;
        wo.url = ws_url;
        wo.ca_file = ca_file;
        wo.backoff_initial = 100ms;
        wo.backoff_max = 400ms;
        wo.connect_timeout = 3s;
        client = std::make_unique<sinmun::web::WsClient>(
            wo,
            sinmun::web::WsHandlers{[this] { return feed->on_connected(); },
                                    [this](std::string_view p, bool b) { feed->on_message(p, b); },
                                    [this](std::string_view r) { feed->on_disconnected(r); }});
        start_status = client->start();
    }
    ~TlsFeed() {
        client->stop();
        feed->stop();
    }

    std::optional<sinmun::market::CryptoRow> row(const std::string& code) {
        const auto snap = hub->snapshot();  // held: the loop must not outlive it
        for (const auto& r : snap->crypto)
            if (r.instrument.code == code) return r;
        return std::nullopt;
    }
    const sinmun::web::HttpsClient& rest() const { return rest_; }

    sinmun::ManualClock clock{kT};
    std::unique_ptr<sinmun::market::Hub> hub;
    std::unique_ptr<sinmun::market::UpbitFeed> feed;
    std::unique_ptr<sinmun::web::WsClient> client;
    sinmun::Status start_status = sinmun::ok();

private:
    sinmun::web::HttpsClient rest_;
};

TEST(UpbitTls, FeedSubscribesOverWssAndBackfillsOverHttpsTrustingTheConfiguredCa) {
    FakeUpbit server(pki().good);
    const std::int64_t m = kT / kMin;
    // The minute the persisted history lacks (m − 1), as the exchange's candle endpoint has it.
    server.set_candles(
        "KRW-BTC",
        "[" + upbit_candle("KRW-BTC", (m - 1) * kMin, (m - 1) * kMin + 9'000, "100500000") + "]");
    TlsFeed f(server.ws_url(), server.rest_url(), pki().ca.cert_pem());
    ASSERT_TRUE(f.start_status) << f.start_status.error().message;
    ASSERT_TRUE(eventually([&] { return server.subscriptions().size() == 1; }));
    const auto sub = boost::json::parse(server.subscriptions().front());
    EXPECT_EQ(sub.as_array()[1].at("type").as_string(), "ticker");
    EXPECT_EQ(sub.as_array()[1].at("codes").as_array().size(), 12u);

    server.send(upbit_trade("KRW-BTC", kT - 1'000, "102130000", 1001));
    ASSERT_TRUE(
        eventually([&] { return f.row("KRW-BTC") && f.row("KRW-BTC")->quote.price.units(); }));
    EXPECT_EQ(f.row("KRW-BTC")->quote.price, Decimal::from_integer(102'130'000));
    EXPECT_EQ(f.row("KRW-BTC")->quote.change_ppm, 21'300);  // against 100,000,000 a day ago
    EXPECT_EQ(f.feed->stats().state, "live");
    EXPECT_EQ(f.feed->stats().connect_failures, 0u);

    // Minute m − 1 is filled from the https:// candle endpoint.
    ASSERT_TRUE(eventually([&] {
        for (auto [a, b] : f.feed->unknown_runs("KRW-BTC"))
            if (a <= m - 1 && b >= m - 1) return false;
        return true;
    }));
    EXPECT_GE(f.feed->stats().backfill_runs, 1u);
    ASSERT_FALSE(server.candle_requests().empty());
    EXPECT_NE(server.candle_requests().front().find("/v1/candles/minutes/1?market=KRW-BTC&to="),
              std::string::npos);
    f.clock.set_ms(kT - kMin + 24 * 60 * kMin);  // a day after minute m − 1
    EXPECT_EQ(f.feed->reference("KRW-BTC"), Decimal::from_integer(100'500'000));

    // Cut and come back: the TLS connection is made again and the subscription repeated.
    server.drop();
    ASSERT_TRUE(eventually([&] { return server.subscriptions().size() == 2; }));
    EXPECT_EQ(server.subscriptions()[1], server.subscriptions()[0]);
    EXPECT_EQ(server.failed_handshakes(), 0);
}

TEST(UpbitTls, HttpsClientTrustsTheCaByHostNameToo) {
    FakeUpbit server(pki().good);
    sinmun::web::HttpClientOptions o;
    o.ca_file = pki().ca.cert_pem();
    sinmun::web::HttpsClient client(o);
    ASSERT_TRUE(client.tls_ready());
    auto r = client.get(server.rest_url("localhost") + "/v1/candles/minutes/1?market=KRW-ETH&to=x");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "[]");
    EXPECT_EQ(r->remaining_req, "group=candles; min=600; sec=9");
    // The same server without the CA: only the system store, which does not know it.
    sinmun::web::HttpsClient system_only;
    auto refused = system_only.get(server.rest_url() + "/v1/candles/minutes/1");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, sinmun::Errc::unavailable);
    EXPECT_NE(refused.error().message.find("certificate verify failed"), std::string::npos)
        << refused.error().message;
}

// A refused exchange: TLS fails, nothing is accepted, failures are counted, retries continue.
void expect_refused(FakeUpbit& server, const std::string& ws_url, const std::string& rest_url,
                    const std::string& ca_file) {
    TlsFeed f(ws_url, rest_url, ca_file);
    ASSERT_TRUE(f.start_status) << f.start_status.error().message;
    // Several attempts with backoff, each refused at the handshake.
    ASSERT_TRUE(eventually([&] { return f.feed->stats().connect_failures >= 3; }))
        << f.feed->stats().last_error;
    const auto st = f.feed->stats();
    EXPECT_FALSE(st.connected);
    EXPECT_EQ(st.connects, 0u);
    EXPECT_EQ(st.messages, 0u);
    EXPECT_EQ(st.state, "connecting");
    EXPECT_NE(st.last_error.find("TLS handshake"), std::string::npos) << st.last_error;
    EXPECT_NE(st.last_error.find("certificate verify failed"), std::string::npos) << st.last_error;
    EXPECT_TRUE(server.subscriptions().empty());  // no WebSocket session ever opened
    // The client counts its refusal when it sends the alert; the server counts it on reading it.
    EXPECT_TRUE(eventually([&] { return server.failed_handshakes() >= 3; }))
        << server.failed_handshakes();
    EXPECT_GE(f.client->stats().attempts, 3u);
    // Its https:// candle endpoint is refused the same way.
    auto r = f.rest().get(rest_url + "/v1/candles/minutes/1?market=KRW-BTC&to=x&count=1");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("certificate verify failed"), std::string::npos)
        << r.error().message;
    EXPECT_TRUE(server.candle_requests().empty());
    // No print was accepted: the widget has no row for the coin (rows appear with a quote).
    EXPECT_EQ(f.feed->stats().trades, 0u);
    EXPECT_FALSE(f.row("KRW-BTC"));
}

TEST(UpbitTls, CertificateFromAnUntrustedCaIsRefused) {
    FakeUpbit server(pki().untrusted);
    expect_refused(server, server.ws_url(), server.rest_url(), pki().ca.cert_pem());
}

TEST(UpbitTls, CertificateForAnotherHostIsRefused) {
    FakeUpbit server(pki().other_name);  // signed by the trusted CA, for feed.example.invalid
    expect_refused(server, server.ws_url("localhost"), server.rest_url("localhost"),
                   pki().ca.cert_pem());
}

TEST(UpbitTls, CertificateForAnotherAddressIsRefused) {
    FakeUpbit server(pki().other_name);
    expect_refused(server, server.ws_url(), server.rest_url(), pki().ca.cert_pem());
}

TEST(UpbitTls, UnreadableCaFileIsAStartError) {
    sinmun::web::WsClientOptions wo;
    wo.url = "wss://127.0.0.1:9/websocket/v1";
    wo.ca_file = pki().dir.file("missing.pem");
    sinmun::web::WsClient client(wo, {});
    auto s = client.start();
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("missing.pem"), std::string::npos) << s.error().message;
    sinmun::web::HttpClientOptions ho;
    ho.ca_file = pki().good.key_pem;  // a key, not a certificate
    sinmun::web::HttpsClient rest(ho);
    EXPECT_FALSE(rest.tls_ready());
}

// --- through the real binary ---

std::string get_body(sinmun::testing::HttpClient& c, const std::string& target) {
    auto r = c.get(target);
    return r ? r->body : std::string();
}

// The value of an unlabelled metric in a Prometheus text body, -1 when absent.
long metric(const std::string& body, const std::string& name) {
    const auto at = body.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::strtol(body.c_str() + at + name.size() + 2, nullptr, 10);
}

TEST(UpbitTlsBinary, ServeShowsLivePricesFromAWssFeedTrustingCryptoCa) {
    FakeUpbit server(pki().good);
    TempDir dir;
    sinmun::testing::SinmunProcess p;
    ASSERT_TRUE(p.start(
        {"serve", "--db", dir.file("s.db"), "--listen", "127.0.0.1:0", "--crypto-feed",
         server.ws_url(), "--crypto-rest", server.rest_url(), "--crypto-ca", pki().ca.cert_pem()},
        dir.path()))
        << p.output();
    ASSERT_TRUE(eventually([&] { return server.subscriptions().size() == 1; }, 15s)) << p.output();
    sinmun::testing::HttpClient c("127.0.0.1", p.port());
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    server.send(upbit_trade("KRW-BTC", now_ms, "131250000", 7001));
    ASSERT_TRUE(eventually(
        [&] {
            return get_body(c, "/api/v1/market/crypto").find("\"131250000\"") != std::string::npos;
        },
        10s))
        << get_body(c, "/api/v1/market/crypto");
    const auto health = get_body(c, "/healthz");
    EXPECT_NE(health.find("\"connected\":true"), std::string::npos) << health;
    EXPECT_NE(health.find("\"connect_failures\":0"), std::string::npos) << health;
    p.signal(SIGTERM);
    EXPECT_EQ(p.wait_exit(15000), 0);
}

TEST(UpbitTlsBinary, ServeWithoutTheCaRefusesTheExchangeAndSaysSo) {
    FakeUpbit server(pki().good);  // trusted only by the test CA, which this run does not get
    TempDir dir;
    sinmun::testing::SinmunProcess p;
    ASSERT_TRUE(p.start({"serve", "--db", dir.file("s.db"), "--listen", "127.0.0.1:0",
                         "--crypto-feed", server.ws_url(), "--crypto-rest", server.rest_url()},
                        dir.path()))
        << p.output();
    sinmun::testing::HttpClient c("127.0.0.1", p.port());
    // The default backoff starts at 1 s (full jitter): two refusals come within seconds.
    ASSERT_TRUE(eventually(
        [&] { return metric(get_body(c, "/metrics"), "sinmun_feed_connect_failures_total") >= 2; },
        20s))
        << get_body(c, "/metrics");
    const auto health = get_body(c, "/healthz");
    EXPECT_NE(health.find("\"connected\":false"), std::string::npos) << health;
    EXPECT_NE(health.find("certificate verify failed"), std::string::npos) << health;
    EXPECT_EQ(metric(get_body(c, "/metrics"), "sinmun_feed_connected"), 0);
    EXPECT_EQ(metric(get_body(c, "/metrics"), "sinmun_feed_messages_total"), 0);
    EXPECT_TRUE(server.subscriptions().empty());
    EXPECT_GE(server.failed_handshakes(), 2);
    EXPECT_TRUE(p.wait_for_output("certificate verify failed", 5000)) << p.output();
    p.signal(SIGTERM);
    EXPECT_EQ(p.wait_exit(15000), 0);
}

TEST(UpbitTlsBinary, UnreadableCryptoCaStopsStartUpNamingTheFile) {
    TempDir dir;
    const std::string bogus = dir.file("not-a-ca.pem");
    std::ofstream(bogus) << "not a certificate\n";
    auto r = sinmun::testing::run_sinmun(
        {"serve", "--db", dir.file("s.db"), "--listen", "127.0.0.1:0", "--crypto-feed",
         "wss://127.0.0.1:9/websocket/v1", "--crypto-ca", bogus},
        {}, dir.path(), 30000);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE((r.out + r.err).find("not-a-ca.pem"), std::string::npos) << r.out << r.err;
}

}  // namespace
