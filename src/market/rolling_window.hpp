// RollingWindow: the honest rolling 24-hour reference price of one instrument
// (market-data.md §3).
//
// Upbit's own change fields are measured from the 09:00 KST close, so Sinmun keeps, per market, a
// ring of 1,441 one-minute slots keyed by the exchange's trade timestamp (minute = ts / 60000).
// A slot holds the close of its minute: the last trade in it (traded), the previous close carried
// through a quiet minute while the connection stayed up (carried), or a close taken from the
// exchange's 1-minute candles after a gap (backfilled). A minute nobody can vouch for is unknown.
//
// reference(now) is the close of minute floor((now − 24 h) / 60000): the last trade at or before
// now − 24 h at minute granularity (the window may be up to 59.999 s wider than 24 h, as Binance's
// rolling tickers are). nullopt when that minute is unknown: the widget then shows "—" (신규),
// never Upbit's since-09:00 figure.
//
// Rules:
// - A trade newer than everything seen (ts ≥ last_ms) sets its slot; the minutes between the
//   previous head and it are carried when the connection stayed up, unknown otherwise.
// - A late trade updates its slot when it is newer than the slot's close, then re-carries the
//   following carried slots up to the next traded one. A late trade into an unknown slot is
//   ignored (earlier trades of that minute may be missing, so it is not known to be the close).
// - A trade older than head − 1440 minutes is dropped.
// - disconnected(): continuity is lost; the last minutes become unknown (their later trades, or
//   late ones in flight, may be missed) and nothing is carried until a trade newer than
//   everything seen or a snapshot.
// - snapshot(ts, price): the exchange's latest trade (Upbit's SNAPSHOT messages). No trade
//   happened after it, so every minute from its minute up to the head gets its price, and
//   continuity is restored.
// - carry_to(now): the minute timer; carries quiet markets forward while continuous.
// - apply_candles(): fills unknown minutes of a gap from 1-minute candles; a minute without a
//   candle inherits the previous close (every traded minute has a candle).
//
// Thread-safety: none; a plain value owned by one thread (UpbitFeed guards it with its mutex).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "market/model.hpp"

namespace sinmun::market {

// SlotState and MinuteClose (one persisted minute) live in market/model.hpp, so the store
// interface can name them without this header.

// One 1-minute candle as the REST endpoint gives it.
struct MinuteCandle {
    std::int64_t minute = 0;   // of candle_date_time_utc
    Decimal close;             // trade_price
    std::int64_t last_ms = 0;  // timestamp (last trade in the candle)
};

class RollingWindow {
public:
    static constexpr std::int64_t kSlots = 1441;
    static constexpr std::int64_t kMinuteMs = 60'000;
    static constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
    // How late a trade may arrive after a newer one (Upbit: trade order is not guaranteed).
    static constexpr std::int64_t kLateMs = 60'000;
    // Tolerated difference between the exchange's clock and ours.
    static constexpr std::int64_t kSkewMs = 5'000;

    enum class TradeOutcome { applied, late_applied, ignored, too_old };

    RollingWindow() = default;

    // The minute of a unix-ms instant (floor division: correct before 1970 too).
    static std::int64_t minute_of(std::int64_t ms) {
        std::int64_t q = ms / kMinuteMs;
        if (ms % kMinuteMs < 0) --q;
        return q;
    }

    // A trade print at exchange time ts_ms.
    TradeOutcome on_trade(std::int64_t ts_ms, Decimal price);
    // The exchange's latest trade (a SNAPSHOT message). Restores continuity when it is not older
    // than anything seen; otherwise it is an ordinary (late) trade.
    TradeOutcome snapshot(std::int64_t ts_ms, Decimal price);
    // The connection dropped at now_ms (our clock): stop carrying; every minute from the one
    // kLateMs + kSkewMs before now_ms on becomes unknown (trades of them may have been in flight).
    void disconnected(std::int64_t now_ms);
    // Minute timer: while continuous, carries the last close through every minute before
    // now_ms's minute.
    void carry_to(std::int64_t now_ms);

    // Fills the minutes [first, last] from candles (any order, minutes outside ignored). A candle
    // overwrites a slot unless the slot holds a newer trade; a minute without a candle inherits
    // the previous close but only fills unknown slots. `before` is the close in force before
    // `first` (the latest candle before it), if the caller fetched one.
    void apply_candles(std::int64_t first, std::int64_t last, std::span<const MinuteCandle> candles,
                       std::optional<Decimal> before = std::nullopt);

    // The price the 24 h change at now_ms is measured against; nullopt when unknown.
    std::optional<Decimal> reference(std::int64_t now_ms) const;
    // change_ppm(last price, reference(now_ms)).
    std::optional<std::int64_t> change_ppm(std::int64_t now_ms) const;

    std::optional<Decimal> last_price() const { return last_price_; }
    std::int64_t last_ms() const { return last_ms_; }
    bool continuous() const { return continuous_; }
    bool empty() const { return !head_.has_value(); }
    std::optional<std::int64_t> head() const { return head_; }

    // Runs of unknown minutes [first, last] inside [head − 1440, head − 1] (oldest first): what
    // a backfill should fetch. An empty ring has none.
    std::vector<std::pair<std::int64_t, std::int64_t>> unknown_runs() const;

    // Known slots with minute ≥ since_minute, oldest first (for persistence). With
    // with_unknown, the ring's unknown minutes in that range come too (state unknown), so a store
    // can forget a close it holds that is no longer vouched for (e.g. the minute in progress when
    // the connection dropped).
    std::vector<MinuteClose> slots_since(std::int64_t since_minute,
                                         bool with_unknown = false) const;
    // Restores persisted slots (as after a restart: not continuous). Slots more than 1440
    // minutes older than the newest are ignored. The last price is taken from the newest slot.
    void restore(std::span<const MinuteClose> slots);

    // The slot for a minute, if the ring holds that minute.
    std::optional<MinuteClose> slot(std::int64_t minute) const;

private:
    struct Slot {
        std::int64_t minute = -1;
        Decimal close;
        std::int64_t last_ms = 0;
        SlotState state = SlotState::unknown;
    };
    Slot& at(std::int64_t minute) { return ring_[static_cast<std::size_t>(index(minute))]; }
    const Slot& at(std::int64_t minute) const {
        return ring_[static_cast<std::size_t>(index(minute))];
    }
    static std::int64_t index(std::int64_t minute) {
        std::int64_t i = minute % kSlots;
        return i < 0 ? i + kSlots : i;
    }
    bool holds(std::int64_t minute) const { return at(minute).minute == minute; }
    // Moves the head to m, filling the minutes in between (carried from `close` or unknown).
    void advance_head(std::int64_t m, bool carry, Decimal close, std::int64_t close_ms);
    // Re-carries `close` into the carried (and, with force, unknown) slots after `from` up to
    // the next traded or backfilled slot or the head.
    void recarry_after(std::int64_t from, Decimal close, std::int64_t close_ms, bool force);

    std::array<Slot, kSlots> ring_{};
    std::optional<std::int64_t> head_;
    std::optional<Decimal> last_price_;
    std::int64_t last_ms_ = 0;
    bool continuous_ = false;
};

}  // namespace sinmun::market
