#include "upbit_frames.hpp"

#include "core/decimal.hpp"

#include <ctime>

namespace sinmun::testing {
namespace {

constexpr std::int64_t kMinute = 60'000;

std::string utc(std::int64_t ms) {
    const std::time_t secs = ms / 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
}

}  // namespace

std::string upbit_trade(const std::string& code, std::int64_t ts, const std::string& price,
                        std::uint64_t sequential_id, const char* stream) {
    return R"({"type":"trade","code":")" + code + R"(","timestamp":)" + std::to_string(ts + 3) +
           R"(,"trade_date":"2025-11-24","trade_time":"12:00:00","trade_timestamp":)" +
           std::to_string(ts) + R"(,"trade_price":)" + price +
           R"(,"trade_volume":0.01,"ask_bid":"BID","prev_closing_price":99000000,"change":"RISE",)"
           R"("change_price":1000,"sequential_id":)" +
           std::to_string(sequential_id) + R"(,"stream_type":")" + stream + R"("})";
}

std::string upbit_candle(const std::string& market, std::int64_t minute_ms, std::int64_t last_ms,
                         const char* price) {
    return R"({"market":")" + market + R"(","candle_date_time_utc":")" + utc(minute_ms) +
           R"(","trade_price":)" + price + R"(,"timestamp":)" + std::to_string(last_ms) +
           R"(,"unit":1})";
}

std::vector<market::MinuteClose> persisted_btc_day(std::int64_t now_ms) {
    std::vector<market::MinuteClose> rows;
    const std::int64_t m = now_ms / kMinute;
    for (std::int64_t k = m - 1441; k <= m - 2; ++k)
        rows.push_back({"KRW-BTC", k, Decimal::from_integer(100'000'000), k * kMinute + 10,
                        market::SlotState::traded});
    return rows;
}

}  // namespace sinmun::testing
