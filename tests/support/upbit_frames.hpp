// What the fake Upbit exchange sends, as Upbit documents it: a trade frame, a 1-minute candle, and
// a day of persisted minute closes for the feed's load_minutes hook. Shared by upbit_feed_test and
// upbit_tls_test (plain strings: no Asio or Beast here).
#pragma once

#include "market/model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sinmun::testing {

// A `trade` message; `ts` is the trade time in Unix ms (the message's own timestamp is ts + 3).
std::string upbit_trade(const std::string& code, std::int64_t ts, const std::string& price,
                        std::uint64_t sequential_id, const char* stream = "REALTIME");

// One element of the 1-minute candle REST answer for `market`.
std::string upbit_candle(const std::string& market, std::int64_t minute_ms, std::int64_t last_ms,
                         const char* price);

// KRW-BTC closed at 100,000,000 in every minute from 1,441 to 2 minutes before now_ms.
std::vector<market::MinuteClose> persisted_btc_day(std::int64_t now_ms);

}  // namespace sinmun::testing
