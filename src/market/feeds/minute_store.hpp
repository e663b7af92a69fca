// Persistence hooks for UpbitFeed's minute ring: they keep the rolling 24-hour windows in a
// store::MarketStore (table market_minutes), so a restart keeps the 24 h reference
// (market-data.md §3 "Restart").
//
// UpbitFeed calls load at start() with since_minute = now's minute − 1441, and save from its
// worker thread at most once a minute with the slots that changed (never from the transport's
// thread, never under its mutex). The save hook prunes in the same transaction every row older
// than the newest minute it is given − 1441: the window the next load asks for.
//
// Thread-safety: the hooks may be called from any thread (store::MarketStore back ends are
// thread-safe); the store must outlive every copy of them.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/result.hpp"
#include "market/feeds/upbit_feed.hpp"
#include "market/model.hpp"

namespace sinmun::store {
class MarketStore;
}

namespace sinmun::market {

using LoadMinutes = std::function<Result<std::vector<MinuteClose>>(std::int64_t since_minute)>;
using SaveMinutes = std::function<Status(std::span<const MinuteClose> rows)>;

// store.minutes(since_minute).
LoadMinutes make_load_minutes(store::MarketStore& store);
// store.save_minutes(rows, newest minute in rows − RollingWindow::kSlots); empty rows: ok(),
// nothing written.
SaveMinutes make_save_minutes(store::MarketStore& store);
// Sets options.load_minutes and options.save_minutes to the two hooks above.
void persist_minutes_in(store::MarketStore& store, UpbitFeedOptions& options);

}  // namespace sinmun::market
