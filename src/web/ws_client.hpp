// WsClient: a reconnecting WebSocket client (RFC 6455) for exchange feeds, Beast-free to include.
//
// ws:// (plain TCP, tests) and wss:// (TLS with SNI, peer verification against the system
// store plus an optional extra CA file, and host-name or IP-address check). On its own thread and
// io_context it connects, sends the messages on_connected() returns (the subscription), then reads
// frames until the connection dies, and starts again with exponential backoff (initial → max, full
// jitter), resubscribing each time. Keepalive: a PING every ping_interval; no frame (data, pong)
// for idle_timeout → the connection is treated as dead and closed. Text and binary frames are both
// delivered, with their opcode. Normal network outcomes (refused, reset, timeout, EOF) are values:
// they end the attempt and show up as on_disconnected(reason), never as exceptions; exceptions
// thrown by a handler are caught and logged, and the connection is dropped.
//
// Thread-safety: start()/stop() from one owner thread. Handlers run on the client's thread, one
// at a time. stop() joins the thread; after it returns no handler runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace sinmun::web {

struct WsClientOptions {
    std::string url;  // ws://host[:port]/path or wss://host[:port]/path
    std::chrono::milliseconds connect_timeout{10'000};  // resolve + TCP + TLS + handshake
    std::chrono::milliseconds ping_interval{25'000};
    std::chrono::milliseconds idle_timeout{60'000};  // no frame this long: dead
    std::chrono::milliseconds backoff_initial{1'000};
    std::chrono::milliseconds backoff_max{60'000};
    std::size_t max_message_bytes = 1 << 20;
    bool permessage_deflate = true;  // offer RFC 7692 compression
    std::string user_agent = "sinmun";
    // wss://: PEM file of extra trusted CA certificates (beside the system store); empty: none.
    std::string ca_file;
};

struct WsHandlers {
    // The connection is open; returns the text messages to send (e.g. the subscription).
    std::function<std::vector<std::string>()> on_connected;
    // One complete message.
    std::function<void(std::string_view payload, bool binary)> on_message;
    // The connection ended (after on_connected) or an attempt failed; reason for logs.
    std::function<void(std::string_view reason)> on_disconnected;
};

struct WsClientStats {
    std::uint64_t attempts = 0;
    std::uint64_t connects = 0;
    std::uint64_t messages = 0;
    std::uint64_t pings = 0;
};

class WsClient {
public:
    WsClient(WsClientOptions options, WsHandlers handlers);
    ~WsClient();  // stop()
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    // Validates the URL (Error invalid_input naming it) and, for wss://, the trust store
    // (Error unavailable naming a CA file that cannot be loaded), then starts the thread.
    Status start();
    // Closes the connection, cancels every timer, joins. Idempotent.
    void stop();

    WsClientStats stats() const;

    // The backoff before attempt n (0-based) with full jitter: uniform in [0, min(max,
    // initial·2^n)], given u in [0, 1). Exposed for tests.
    static std::chrono::milliseconds backoff(int n, std::chrono::milliseconds initial,
                                             std::chrono::milliseconds max, double u);

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace sinmun::web
