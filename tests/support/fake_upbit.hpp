// FakeUpbit: a scripted local exchange speaking Upbit's documented protocol, for feed tests. A
// WebSocket quotation stream (/websocket/v1) and a 1-minute candle REST endpoint, each on its own
// 127.0.0.1 port (port 0), either plain (ws://, http://) or behind TLS (wss://, https://)
// presenting a test certificate (test_pki.hpp). It records the subscription each WebSocket
// session sends first and every candle request target, sends the frames a test scripts, drops the
// connection on request, and answers candle requests with the body set for the requested market
// ("[]" otherwise).
// One implementation (fake_upbit.cpp, a template over the stream type explicitly instantiated for
// both) compiled once into sinmun_test_upbit; this header includes no Asio/Beast.
// Thread-safety: every public member may be called from any thread; the server runs on its own
// io thread, started by the constructor and joined by the destructor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "test_pki.hpp"

namespace sinmun::testing {

class FakeUpbit {
public:
    FakeUpbit();                                // ws:// and http://
    explicit FakeUpbit(const CertFiles& cert);  // wss:// and https://, presenting `cert`
    ~FakeUpbit();
    FakeUpbit(const FakeUpbit&) = delete;
    FakeUpbit& operator=(const FakeUpbit&) = delete;

    // "ws[s]://host:port/websocket/v1" and "http[s]://host:port".
    std::string ws_url(const std::string& host = "127.0.0.1") const;
    std::string rest_url(const std::string& host = "127.0.0.1") const;

    // Queues one frame for the current WebSocket session (dropped when there is none).
    void send(std::string text, bool binary = false);
    // Closes the current WebSocket session's socket.
    void drop();

    std::vector<std::string> subscriptions() const;    // first message of each session
    std::vector<std::string> candle_requests() const;  // request targets, in order
    // The body answered to candle requests whose target has "market=<market>&".
    void set_candles(std::string market, std::string body);
    // TLS handshakes that failed on our side (the client refused our certificate); 0 when plain.
    int failed_handshakes() const;
    int tcp_accepts() const;  // WebSocket connections accepted

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sinmun::testing
