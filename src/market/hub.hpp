// Hub: the one in-process market picture, fanned out to any number of consumers.
//
// Feeds (exchange adapters, the demo simulator) push quotes in; consumers (SSE streams, the page
// renderer, the snapshot API) pull an immutable Snapshot. Every change rebuilds the snapshot
// (a dozen coins and ten gainers: cheap) and swaps a shared_ptr under a short mutex, so readers
// never wait for a writer's work and never see a half-applied batch.
//
// Coalescing (DESIGN §1, "latest value wins"): the hub keeps only the latest quote per instrument.
// Each change bumps a global seq and stamps the changed rows with it; a consumer remembers the
// seq it last sent and sends just the rows whose seq is newer. Nothing is queued per consumer,
// so a slow client costs nothing.
//
// Thread-safety: every member function may be called from any thread. Subscription callbacks run
// on the thread that made the change, after the new snapshot is visible, outside the hub's state
// lock; they must be cheap (post a wake-up, set a flag) and must not call the hub's mutators.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "market/gainers.hpp"
#include "market/model.hpp"

namespace sinmun::market {

struct HubOptions {
    // A crypto row with no quote for this long is marked stale (지연). Feeds should re-send
    // unchanged quotes as a heartbeat; the hub ignores them except for this timer.
    std::int64_t stale_after_ms = 30'000;
    // 오늘의 상승종목: how many rows, and which stocks may appear.
    std::size_t gainers_limit = 10;
    std::int64_t gainers_min_trade_value = 0;  // 거래대금 floor in KRW; thin names excluded
    bool gainers_only_rising = true;           // a "gainers" list never shows falling names
    // Which markets are ranked (empty: all, merged) and which names are left out
    // (market/gainers.hpp). limit, min_trade_value and only_rising come from the fields above.
    std::vector<std::string> gainers_markets = {"KOSPI", "KOSDAQ"};
    bool gainers_exclude_first_day = true;
    bool gainers_exclude_etf_etn = true;
    bool gainers_exclude_preferred = true;
    bool gainers_exclude_halted = true;

    // The GainerRules these options describe.
    GainerRules gainer_rules() const;
};

class Hub;

// RAII handle of a hub subscription. Movable, not copyable. Destroying or reset()ting it
// unsubscribes; once that returns, the callback is not running on another thread and will not be
// called again (calling reset() from inside the callback itself is allowed).
class Subscription {
public:
    Subscription() = default;
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    ~Subscription();

    void reset();
    bool active() const { return static_cast<bool>(entry_); }

    struct Entry;  // shared between the hub's list and this handle

private:
    friend class Hub;
    explicit Subscription(std::shared_ptr<Entry> entry) : entry_(std::move(entry)) {}
    std::shared_ptr<Entry> entry_;
};

class Hub {
public:
    explicit Hub(const Clock& clock, HubOptions options = {});
    ~Hub();
    Hub(const Hub&) = delete;
    Hub& operator=(const Hub&) = delete;

    // Replaces the instrument table. Crypto rows appear in ascending `position` (ties keep the
    // given order); stocks are the universe ranked for gainers. Quotes of codes that remain are
    // kept; quotes of dropped codes are forgotten.
    void set_instruments(std::vector<Instrument> instruments);

    // Adds stock instruments or replaces those with the same code, keeping every other
    // instrument and all quotes (the quote import and push API register new listings this way).
    // Crypto instruments in the argument are ignored: their table belongs to set_instruments.
    void upsert_stocks(std::vector<Instrument> stocks);

    // Applies the latest quotes. Quotes of unknown codes are ignored. A quote identical to the
    // current one apart from as_of_ms only refreshes the stale timer (no seq, no callback).
    void update(std::span<const Quote> quotes);

    void set_krx_state(KrxState state, std::string marker);
    void set_sources(std::string crypto_source, std::string stock_source);
    void set_demo(bool demo);

    // Re-evaluates staleness against the clock; publishes once if any row flipped.
    // The owner calls it about once a second.
    void tick();

    // The current picture. Never null (seq 0 before anything was set).
    std::shared_ptr<const Snapshot> snapshot() const;

    // Every stock that has a quote (the gainers universe), ordered by code; row seq is 0.
    std::vector<StockRow> stocks() const;

    // Calls on_change after every published change.
    Subscription subscribe(std::function<void()> on_change);

    const HubOptions& options() const { return options_; }
    const Clock& clock() const { return clock_; }

private:
    struct CryptoState {
        Instrument instrument;
        Quote quote;
        bool has_quote = false;
        bool stale = false;
        std::int64_t last_update_ms = 0;  // arrival time by the hub's clock
        std::uint64_t seq = 0;
    };
    struct StockState {
        Instrument instrument;
        Quote quote;
        bool has_quote = false;
    };

    // Caller holds mu_. Bumps seq, rebuilds and swaps the snapshot; callers notify after unlock.
    void publish_locked(bool crypto_layout_changed, bool stocks_changed);
    std::vector<StockRow> rank_gainers_locked() const;
    void notify();

    const Clock& clock_;
    const HubOptions options_;

    mutable std::mutex mu_;            // guards everything below up to snapshot_mu_
    std::vector<CryptoState> crypto_;  // display order
    std::map<std::string, std::size_t> crypto_index_;
    std::map<std::string, StockState> stocks_;
    std::vector<StockRow> gainers_;
    KrxState krx_state_ = KrxState::closed;
    std::string krx_marker_;
    std::string crypto_source_;
    std::string stock_source_;
    bool demo_ = false;
    std::uint64_t seq_ = 0;
    std::uint64_t stocks_seq_ = 0;
    std::uint64_t layout_seq_ = 0;

    mutable std::mutex snapshot_mu_;  // held only to copy or swap the pointer
    std::shared_ptr<const Snapshot> snapshot_;

    std::mutex subs_mu_;
    std::vector<std::weak_ptr<Subscription::Entry>> subs_;
    // subs_.size() after its last sweep of expired entries: subscribe() sweeps again only once the
    // list has doubled, so N subscriptions cost O(N), not O(N²) (notify() sweeps on every call).
    std::size_t subs_swept_size_ = 0;
};

}  // namespace sinmun::market
