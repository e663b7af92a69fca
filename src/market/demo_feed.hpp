// DemoMarket: the market simulator behind `sinmun serve --demo` (DESIGN §4: demo mode is honest).
//
// Twelve coins (the widget's order and Upbit's Korean names) random-walk once a second on the
// KRW tick grid with exact Decimal arithmetic. Their 24-hour change is not invented: the simulator
// keeps its own price at every minute boundary of the last 24 hours (the past day is generated from
// the seed at the first step) and reports change_ppm(now, price at the minute boundary at or
// before now−24h), the same rolling definition the live feed uses. About thirty real KOSPI/KOSDAQ
// names get demo end-of-day quotes for the calendar's last completed trading day. Every value is
// labelled as demo data (sources text, Snapshot::demo).
// Thread-safety: start()/stop() from one owner thread; step() must not be called while started.
// Accessors (reference_price, last_price) may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/decimal.hpp"
#include "market/hub.hpp"
#include "market/krx_calendar.hpp"
#include "market/model.hpp"

namespace sinmun::market {

struct DemoOptions {
    std::uint64_t seed = 20261125;
    std::int64_t interval_ms = 1000;  // one random-walk step per interval
};

class DemoMarket {
public:
    static constexpr const char* kCryptoSource = "데모 시세 (실제 시세 아님)";
    static constexpr const char* kStockSource = "데모 데이터 · KRX 종가 기준";

    // Registers the demo instruments, sources and demo flag with the hub. The calendar and clock
    // must outlive this object; the hub too.
    DemoMarket(Hub& hub, const Clock& clock, const KrxCalendar& calendar, DemoOptions options = {});
    ~DemoMarket();  // stop()
    DemoMarket(const DemoMarket&) = delete;
    DemoMarket& operator=(const DemoMarket&) = delete;

    // Runs step(clock.now_ms()) every interval on an own thread. Idempotent.
    void start();
    // Stops and joins the thread. Idempotent.
    void stop();

    // One deterministic step at now_ms (non-decreasing across calls): walks the coins, pushes all
    // twelve quotes to the hub (unchanged ones are the feed's heartbeat; the hub drops them from
    // the stream), refreshes stocks when the last completed trading day changed, sets the KRX
    // state and marker, then calls hub.tick().
    void step(std::int64_t now_ms);

    // The 12 coins in widget order, then the demo stock universe.
    static std::vector<Instrument> instruments();

    // KRW tick size of a coin price (the Upbit KRW table as documented for this project):
    // ≥2,000,000: 1,000; ≥1,000,000: 500; ≥500,000: 100; ≥100,000: 50; ≥10,000: 10; ≥1,000: 1;
    // ≥100: 0.1; ≥10: 0.01; ≥1: 0.001; else 0.0001. Upbit has revised bands before; this table
    // is the demo's grid, not a statement about today's exchange rules.
    static Decimal crypto_tick_size(Decimal price);
    // KRX 호가가격단위 (KOSPI and KOSDAQ alike since 2023-01-25): <2,000: 1; <5,000: 5;
    // <20,000: 10; <50,000: 50; <200,000: 100; <500,000: 500; else 1,000.
    static Decimal krx_tick_size(Decimal price);

    // The price the 24 h change at now_ms is measured against: the simulator's price at the last
    // minute boundary at or before now_ms − 24 h. nullopt before the first step or for an
    // unknown code.
    std::optional<Decimal> reference_price(std::string_view code, std::int64_t now_ms) const;
    std::optional<Decimal> last_price(std::string_view code) const;

private:
    struct Coin {
        Instrument instrument;
        Decimal base;        // the level the walk is pulled back towards
        double flat_chance;  // probability that a step leaves the price alone
        Decimal price;
        std::deque<std::pair<std::int64_t, Decimal>> boundaries;  // (minute ms, price as of it)
    };
    struct StockSpec {
        Instrument instrument;
        Decimal base;
    };

    void init_locked(std::int64_t now_ms);
    Decimal walk_locked(Coin& coin, double sigma);
    std::vector<Quote> stock_quotes_locked(CivilDate day);
    double uniform01();
    double normal();

    Hub& hub_;
    const Clock& clock_;
    const KrxCalendar& calendar_;
    const DemoOptions options_;

    mutable std::mutex mu_;
    std::mt19937_64 rng_;
    std::vector<Coin> coins_;
    std::vector<StockSpec> stocks_;
    bool initialised_ = false;
    std::int64_t last_step_ms_ = 0;
    std::int64_t last_boundary_ms_ = 0;
    std::optional<CivilDate> stock_day_;

    std::mutex run_mu_;
    std::condition_variable run_cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sinmun::market
