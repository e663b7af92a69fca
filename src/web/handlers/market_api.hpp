// The market JSON API: the two widgets' data and the push endpoint for licensed stock feeds.
//
//   GET  /api/v1/market/crypto          실시간 암호화폐 시세: rows (docs/market-stream.md ROW) with
//                                        each row's exchange time and age, basis, source, demo.
//   GET  /api/v1/market/stocks/gainers  오늘의 상승종목: rows (STOCKROW plus as_of, age_s, stale,
//                                        halted, kind), the KRX state and marker, the delay.
//                                        ?market=KOSPI|KOSDAQ|all ranks that market (or all,
//                                        merged) with the hub's rules; without it, the widget's
//                                        own list. ?limit=1..100.
//   POST /api/v1/market/quotes          Authorization: Bearer <API token>; JSON
//                                        {"quotes":[{code, name, market, price, change_rate,
//                                        trade_value, as_of, halted, base_price?, kind?,
//                                        listing_date?}]}; numbers as strings or JSON numbers.
//                                        Validated against an allowlist (400 names the index and
//                                        field of the first bad quote), 401 without or with a bad
//                                        token, 413 over max_batch, 415 not JSON. Persisted in one
//                                        transaction, then applied to the hub: {"accepted":N,
//                                        "ignored":M} (M: older than the quote already held).
// Row encoders are market/market_stream.hpp's, so the API and the stream agree byte for byte.
// Thread-safety: handlers run concurrently; everything they touch is thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "auth/auth_service.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "web/http.hpp"

namespace sinmun::store {
class MarketStore;
}
namespace sinmun::market {
class Hub;
class KrxCalendar;
}  // namespace sinmun::market

namespace sinmun::web {

class Router;

struct MarketApiServices {
    const Clock* clock = nullptr;
    market::Hub* hub = nullptr;
    store::MarketStore* store = nullptr;
    const market::KrxCalendar* calendar = nullptr;
    // Checks an Authorization header value ("Bearer snm_…"): who pushed (for the log), or an
    // unauthorized error. Wire with token_checker(auth_service).
    std::function<Result<std::string>(std::string_view authorization)> authenticate;
    std::size_t max_batch = 2000;                // quotes per request (413 above)
    std::int64_t max_future_ms = 5 * 60 * 1000;  // as_of may run ahead of our clock this much
    bool refresh_state = true;  // set the KRX state line after a push (false when a demo owns it)
};

// The three routes above.
void add_market_routes(Router& router, MarketApiServices& services);

// The handlers, for tests that skip the router.
Response market_crypto(MarketApiServices& s, const Request& req);
Response market_gainers(MarketApiServices& s, const Request& req);
Response market_push_quotes(MarketApiServices& s, const Request& req);

// MarketApiServices::authenticate over the auth engineer's AuthService (API tokens).
inline std::function<Result<std::string>(std::string_view)> token_checker(auth::AuthService& auth) {
    return [&auth](std::string_view authorization) -> Result<std::string> {
        auto user = auth.authenticate_token(authorization);
        if (!user) return user.error();
        return user->email;
    };
}

}  // namespace sinmun::web
