#include "market/feeds/minute_store.hpp"

#include <algorithm>

#include "market/rolling_window.hpp"
#include "store/stores.hpp"

namespace sinmun::market {

LoadMinutes make_load_minutes(store::MarketStore& store) {
    return [&store](std::int64_t since_minute) { return store.minutes(since_minute); };
}

SaveMinutes make_save_minutes(store::MarketStore& store) {
    return [&store](std::span<const MinuteClose> rows) -> Status {
        if (rows.empty()) return ok();
        const auto newest = std::max_element(rows.begin(), rows.end(), [](auto& a, auto& b) {
                                return a.minute < b.minute;
                            })->minute;
        return store.save_minutes(rows, newest - RollingWindow::kSlots);
    };
}

void persist_minutes_in(store::MarketStore& store, UpbitFeedOptions& options) {
    options.load_minutes = make_load_minutes(store);
    options.save_minutes = make_save_minutes(store);
}

}  // namespace sinmun::market
