// MarketStream: one SSE client's view of the Hub, producing docs/market-stream.md frames.
//
// The first next() answers a `snapshot` event. Afterwards each next() answers what changed since
// the previous frame: a `crypto` event with the latest value of every crypto row whose row seq is
// newer than the seq last sent, and a `stocks` event (the whole gainers list) when the list, the
// state or the marker changed. A change of the crypto row set or of the sources/demo flag sends a
// fresh `snapshot` instead. Nothing is queued: a client that writes slowly simply gets fewer,
// fuller frames (latest value wins).
// Thread-safety: as StreamSource: start/next/stop from one strand; the wake callback is invoked
// from whatever thread changed the hub.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/stream_source.hpp"
#include "market/hub.hpp"
#include "market/model.hpp"

namespace sinmun::market {

class MarketStream final : public StreamSource {
public:
    // The hub must outlive the stream (or at least its stop()).
    explicit MarketStream(Hub& hub);
    ~MarketStream() override;

    void start(std::function<void()> wake) override;
    std::string next() override;
    // The same frame as next(), shared with every other client in the same position.
    std::shared_ptr<const std::string> next_shared() override;
    void stop() override;

private:
    Hub& hub_;
    Subscription sub_;
    bool sent_snapshot_ = false;
    std::uint64_t sent_seq_ = 0;
    std::uint64_t sent_stocks_seq_ = 0;
    std::uint64_t sent_layout_seq_ = 0;
};

// The `snapshot` event's data object; also the body of GET /api/v1/market/snapshot.
std::string snapshot_json(const Snapshot& snap);

// One ROW / STOCKROW object of docs/market-stream.md, for the JSON API (market_api.cpp), so the
// widgets' JSON has one encoder.
std::string crypto_row_json(const CryptoRow& row);
std::string stock_row_json(const StockRow& row);

// Wire spellings (docs/market-stream.md).
const char* to_wire(KrxState state);  // "pre_open" | "open" | "closed" | "holiday"

// A whole SSE event: "id: <id>\nevent: <event>\ndata: <data>\n\n" (data must be one line).
std::string sse_event(std::uint64_t id, const char* event, const std::string& data);

}  // namespace sinmun::market
