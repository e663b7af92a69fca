// Ticker update: one quote into the Hub (snapshot rebuild, subscribers woken) and the SSE frames
// the market stream builds from it, per subscriber: the work behind every tick of 실시간 시세
// and 오늘의 상승종목.
#include "market/hub.hpp"
#include "market/market_stream.hpp"

#include <benchmark/benchmark.h>

#include <memory>
#include <span>
#include <vector>

namespace {

using namespace sinmun;
using namespace sinmun::market;

std::vector<Instrument> instruments() {
    std::vector<Instrument> v = {
        {"KRW-BTC", "비트코인", AssetClass::crypto, "UPBIT", 1},
        {"KRW-ETH", "이더리움", AssetClass::crypto, "UPBIT", 2},
        {"KRW-XRP", "리플", AssetClass::crypto, "UPBIT", 3},
        {"KRW-SOL", "솔라나", AssetClass::crypto, "UPBIT", 4},
        {"KRW-DOGE", "도지코인", AssetClass::crypto, "UPBIT", 5},
    };
    for (int i = 0; i < 40; ++i) {
        char code[8];
        std::snprintf(code, sizeof code, "%06d", 5930 + i * 10);
        v.push_back({code, "종목" + std::to_string(i), AssetClass::stock, "KOSPI", 0});
    }
    return v;
}

Quote quote(const std::string& code, std::int64_t krw, std::int64_t ppm) {
    Quote q;
    q.code = code;
    q.price = Decimal::from_integer(krw);
    q.change_ppm = ppm;
    q.tick = 1;
    q.trade_value = 1'000'000'000;
    return q;
}

struct Market {
    ManualClock clock{1'700'000'000'000};
    Hub hub{clock};
    Market() {
        auto ins = instruments();
        hub.set_instruments(ins);
        std::vector<Quote> qs;
        for (std::size_t i = 0; i < ins.size(); ++i)
            qs.push_back(quote(ins[i].code, 10'000 + static_cast<std::int64_t>(i) * 100,
                               static_cast<std::int64_t>(i) * 1000));
        hub.update(qs);
    }
};

// One crypto tick into the hub (no subscribers).
void BM_HubUpdateCrypto(benchmark::State& state) {
    Market m;
    std::int64_t price = 90'000'000;
    for (auto _ : state) {
        auto q = quote("KRW-BTC", ++price, 12'345);
        m.hub.update(std::span<const Quote>(&q, 1));
    }
}
BENCHMARK(BM_HubUpdateCrypto);

// One stock tick (re-ranks 오늘의 상승종목).
void BM_HubUpdateStock(benchmark::State& state) {
    Market m;
    std::int64_t price = 70'000;
    for (auto _ : state) {
        ++price;
        auto q = quote("005930", price, (price % 300) * 1000);
        m.hub.update(std::span<const Quote>(&q, 1));
    }
}
BENCHMARK(BM_HubUpdateStock);

// A tick and the next SSE frame of each of N streams (the fan-out's CPU part, without sockets).
void BM_TickToFrames(benchmark::State& state) {
    Market m;
    const int n = static_cast<int>(state.range(0));
    std::vector<std::unique_ptr<MarketStream>> streams;
    for (int i = 0; i < n; ++i) {
        streams.push_back(std::make_unique<MarketStream>(m.hub));
        streams.back()->start([] {});
        streams.back()->next();  // the snapshot event
    }
    std::int64_t price = 90'000'000;
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto q = quote("KRW-BTC", ++price, 12'345);
        m.hub.update(std::span<const Quote>(&q, 1));
        for (auto& s : streams) bytes += s->next().size();
    }
    for (auto& s : streams) s->stop();
    state.SetItemsProcessed(state.iterations() * n);
    state.counters["frame_bytes"] = benchmark::Counter(
        static_cast<double>(bytes) / static_cast<double>(state.iterations() * n + 1));
}
BENCHMARK(BM_TickToFrames)->Arg(1)->Arg(100)->Arg(1000);

// The snapshot event a new stream client gets.
void BM_SnapshotJson(benchmark::State& state) {
    Market m;
    for (auto _ : state) {
        auto json = snapshot_json(*m.hub.snapshot());
        benchmark::DoNotOptimize(json.data());
    }
}
BENCHMARK(BM_SnapshotJson);

}  // namespace
