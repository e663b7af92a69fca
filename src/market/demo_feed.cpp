#include "market/demo_feed.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>

namespace sinmun::market {

namespace {

constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// Volatility of one 1-second step, as a fraction of the price (≈3.5 % a day for a pure walk),
// and the pull back towards the base level (half-life about six hours) so a demo left running
// for weeks still shows plausible prices.
constexpr double kSigmaPerSecond = 0.00012;
constexpr double kReversionPerSecond = 3.2e-5;

struct CoinSpec {
    const char* code;
    const char* name;
    std::int64_t base_krw;
    double flat_chance;  // quiet coins (BSV, SAND) often print nothing for a while
};

// Demo base levels: plausible KRW prices, not quotes.
constexpr CoinSpec kCoins[] = {
    {"KRW-BTC", "비트코인", 131'250'000, 0.30}, {"KRW-ETH", "이더리움", 4'850'000, 0.35},
    {"KRW-BCH", "비트코인캐시", 650'000, 0.55}, {"KRW-XRP", "리플", 3'200, 0.45},
    {"KRW-SOL", "솔라나", 280'000, 0.45},       {"KRW-ADA", "에이다", 1'100, 0.55},
    {"KRW-EOS", "이오스", 1'150, 0.70},         {"KRW-TRX", "트론", 420, 0.60},
    {"KRW-XLM", "스텔라루멘", 550, 0.60},       {"KRW-BSV", "비트코인에스브이", 78'000, 0.75},
    {"KRW-LINK", "체인링크", 30'000, 0.55},     {"KRW-SAND", "샌드박스", 690, 0.70},
};

struct StockSpecRow {
    const char* code;  // real 6-digit 단축코드
    const char* name;
    const char* market;
    std::int64_t base_krw;  // demo level only
};

constexpr StockSpecRow kStocks[] = {
    {"005930", "삼성전자", "KOSPI", 71'500},
    {"000660", "SK하이닉스", "KOSPI", 182'000},
    {"373220", "LG에너지솔루션", "KOSPI", 352'000},
    {"207940", "삼성바이오로직스", "KOSPI", 985'000},
    {"005380", "현대차", "KOSPI", 215'000},
    {"000270", "기아", "KOSPI", 98'500},
    {"068270", "셀트리온", "KOSPI", 178'000},
    {"005490", "POSCO홀딩스", "KOSPI", 312'000},
    {"035420", "NAVER", "KOSPI", 204'000},
    {"035720", "카카오", "KOSPI", 41'250},
    {"051910", "LG화학", "KOSPI", 298'000},
    {"006400", "삼성SDI", "KOSPI", 265'000},
    {"105560", "KB금융", "KOSPI", 83'400},
    {"055550", "신한지주", "KOSPI", 52'300},
    {"012330", "현대모비스", "KOSPI", 246'500},
    {"028260", "삼성물산", "KOSPI", 148'200},
    {"066570", "LG전자", "KOSPI", 81'900},
    {"003550", "LG", "KOSPI", 72'800},
    {"015760", "한국전력", "KOSPI", 23'450},
    {"034020", "두산에너빌리티", "KOSPI", 21'800},
    {"012450", "한화에어로스페이스", "KOSPI", 385'000},
    {"017670", "SK텔레콤", "KOSPI", 53'100},
    {"247540", "에코프로비엠", "KOSDAQ", 168'900},
    {"086520", "에코프로", "KOSDAQ", 87'600},
    {"196170", "알테오젠", "KOSDAQ", 342'500},
    {"028300", "HLB", "KOSDAQ", 64'300},
    {"263750", "펄어비스", "KOSDAQ", 38'450},
    {"293490", "카카오게임즈", "KOSDAQ", 17'820},
    {"035900", "JYP Ent.", "KOSDAQ", 62'700},
    {"041510", "에스엠", "KOSDAQ", 78'900},
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

std::int64_t floor_minute(std::int64_t ms) { return floor_div(ms, kMinuteMs) * kMinuteMs; }

// Nearest multiple of the tick that applies at the resulting level. Band edges are multiples of
// the larger tick, so rounding never lands off the grid of the band it lands in.
template <class TickFn>
Decimal snap(std::int64_t units, TickFn tick_of) {
    if (units < 1) units = 1;
    const std::int64_t t = tick_of(Decimal::from_units(units)).units();
    std::int64_t q = floor_div(units, t);
    if ((units - q * t) * 2 > t) ++q;
    if (q < 1) q = 1;
    return Decimal::from_units(q * t);
}

}  // namespace

Decimal DemoMarket::crypto_tick_size(Decimal price) {
    const std::int64_t u = price.units();
    const auto krw = [](std::int64_t v) { return v * Decimal::kScale; };
    if (u >= krw(2'000'000)) return Decimal::from_integer(1000);
    if (u >= krw(1'000'000)) return Decimal::from_integer(500);
    if (u >= krw(500'000)) return Decimal::from_integer(100);
    if (u >= krw(100'000)) return Decimal::from_integer(50);
    if (u >= krw(10'000)) return Decimal::from_integer(10);
    if (u >= krw(1'000)) return Decimal::from_integer(1);
    if (u >= krw(100)) return Decimal::from_units(1000);  // 0.1
    if (u >= krw(10)) return Decimal::from_units(100);    // 0.01
    if (u >= krw(1)) return Decimal::from_units(10);      // 0.001
    return Decimal::from_units(1);                        // 0.0001
}

Decimal DemoMarket::krx_tick_size(Decimal price) {
    const std::int64_t u = price.units();
    const auto krw = [](std::int64_t v) { return v * Decimal::kScale; };
    if (u < krw(2'000)) return Decimal::from_integer(1);
    if (u < krw(5'000)) return Decimal::from_integer(5);
    if (u < krw(20'000)) return Decimal::from_integer(10);
    if (u < krw(50'000)) return Decimal::from_integer(50);
    if (u < krw(200'000)) return Decimal::from_integer(100);
    if (u < krw(500'000)) return Decimal::from_integer(500);
    return Decimal::from_integer(1000);
}

std::vector<Instrument> DemoMarket::instruments() {
    std::vector<Instrument> out;
    int pos = 0;
    for (const auto& c : kCoins)
        out.push_back(Instrument{c.code, c.name, AssetClass::crypto, "UPBIT", pos++});
    pos = 0;
    for (const auto& s : kStocks)
        out.push_back(Instrument{s.code, s.name, AssetClass::stock, s.market, pos++});
    return out;
}

DemoMarket::DemoMarket(Hub& hub, const Clock& clock, const KrxCalendar& calendar,
                       DemoOptions options)
    : hub_(hub), clock_(clock), calendar_(calendar), options_(options), rng_(options.seed) {
    const auto all = instruments();
    std::size_t i = 0;
    for (const auto& c : kCoins) {
        Coin coin;
        coin.instrument = all[i++];
        coin.base = Decimal::from_integer(c.base_krw);
        coin.flat_chance = c.flat_chance;
        coin.price = coin.base;
        coins_.push_back(std::move(coin));
    }
    for (const auto& s : kStocks)
        stocks_.push_back(StockSpec{all[i++], Decimal::from_integer(s.base_krw)});
    hub_.set_instruments(all);
    hub_.set_sources(kCryptoSource, kStockSource);
    hub_.set_demo(true);
}

DemoMarket::~DemoMarket() { stop(); }

double DemoMarket::uniform01() {
    // 53 random bits: portable, unlike std::uniform_real_distribution's unspecified algorithm.
    return static_cast<double>(rng_() >> 11) * 0x1.0p-53;
}

double DemoMarket::normal() {
    // Box–Muller; u1 in (0, 1] keeps log finite.
    const double u1 = 1.0 - uniform01();
    const double u2 = uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// One random-walk move with volatility sigma (fraction of price). Doubles only choose how many
// ticks to move; the price itself is exact tick arithmetic. Stochastic rounding of the tick count
// keeps coarse-tick coins (에이다 at 1 KRW ticks) from jumping a whole tick every step.
Decimal DemoMarket::walk_locked(Coin& coin, double sigma) {
    const double p = static_cast<double>(coin.price.units());
    const double drift = -(sigma / kSigmaPerSecond) * kReversionPerSecond *
                         std::log(p / static_cast<double>(coin.base.units()));
    const double move_units = (drift + sigma * normal()) * p;
    const double tick = static_cast<double>(crypto_tick_size(coin.price).units());
    const double x = move_units / tick;
    const auto ticks = static_cast<std::int64_t>(std::floor(x + uniform01()));
    if (ticks == 0) return coin.price;
    const std::int64_t raw = coin.price.units() + ticks * crypto_tick_size(coin.price).units();
    return snap(raw, crypto_tick_size);
}

void DemoMarket::init_locked(std::int64_t now_ms) {
    // The past day of minute-boundary prices, generated forward from a seeded start so that the
    // very first 24 h change already has an honest reference.
    const std::int64_t last = floor_minute(now_ms) - kMinuteMs;
    const std::int64_t first = last - kDayMs;  // 1,441 boundaries
    const double sigma_minute = kSigmaPerSecond * std::sqrt(60.0);
    for (auto& coin : coins_) {
        const double start =
            static_cast<double>(coin.base.units()) * (1.0 + (uniform01() - 0.5) * 0.1);
        coin.price = snap(static_cast<std::int64_t>(start), crypto_tick_size);
        coin.boundaries.clear();
        for (std::int64_t b = first; b <= last; b += kMinuteMs) {
            if (b != first) coin.price = walk_locked(coin, sigma_minute);
            coin.boundaries.emplace_back(b, coin.price);
        }
    }
    last_boundary_ms_ = last;
    last_step_ms_ = now_ms;
    initialised_ = true;
}

std::vector<Quote> DemoMarket::stock_quotes_locked(CivilDate day) {
    // Each trading day's figures come from the seed and the date alone, so a restart shows the
    // same "yesterday" and the coin walk is unaffected.
    std::mt19937_64 rng(options_.seed ^
                        (0x9E3779B97F4A7C15ULL *
                         static_cast<std::uint64_t>(day.year * 10000 + day.month * 100 + day.day)));
    const auto u01 = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    const auto gauss = [&] {
        const double u1 = 1.0 - u01();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u01());
    };
    const std::size_t n = stocks_.size();
    const std::size_t limit_a = static_cast<std::size_t>(u01() * n) % n;
    const std::size_t limit_b =
        u01() < 0.5 ? (limit_a + 1 + static_cast<std::size_t>(u01() * (n - 1))) % n : n;
    const std::size_t strong_a = (limit_a + 7) % n;
    const std::size_t strong_b = (limit_a + 13) % n;
    const std::int64_t as_of = calendar_.close_ms(day);

    std::vector<Quote> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const StockSpec& s = stocks_[i];
        const double level = static_cast<double>(s.base.units()) * (1.0 + (u01() - 0.5) * 0.16);
        const Decimal prev = snap(static_cast<std::int64_t>(level), krx_tick_size);  // 기준가
        Quote q;
        q.code = s.instrument.code;
        q.as_of_ms = as_of;
        double trade_value = std::exp(std::log(3e9) + u01() * (std::log(1.5e12) - std::log(3e9)));
        if (i == limit_a || i == limit_b) {
            // 상한가: 기준가 × 1.3, cut down to the tick grid.
            const std::int64_t raw = prev.units() * 13 / 10;
            const std::int64_t t = krx_tick_size(Decimal::from_units(raw)).units();
            q.price = Decimal::from_units(raw / t * t);
            q.limit_up = true;
            trade_value *= 3;
        } else {
            double chg =
                (i == strong_a || i == strong_b) ? 0.08 + u01() * 0.14 : 0.003 + 0.022 * gauss();
            chg = std::clamp(chg, -0.285, 0.285);  // inside the ±30 % band, below 상한가
            q.price =
                snap(static_cast<std::int64_t>(static_cast<double>(prev.units()) * (1.0 + chg)),
                     krx_tick_size);
        }
        q.change_ppm = change_ppm(q.price, prev);
        q.tick =
            q.change_ppm && *q.change_ppm > 0 ? 1 : (q.change_ppm && *q.change_ppm < 0 ? -1 : 0);
        q.trade_value = static_cast<std::int64_t>(trade_value);
        out.push_back(std::move(q));
    }
    return out;
}

void DemoMarket::step(std::int64_t now_ms) {
    std::vector<Quote> coin_quotes;
    std::vector<Quote> stock_quotes;
    {
        std::lock_guard lock(mu_);
        if (!initialised_) init_locked(now_ms);
        if (now_ms < last_step_ms_)
            now_ms = last_step_ms_;  // a clock stepping back changes nothing
        last_step_ms_ = now_ms;

        // Boundaries passed since the last step hold the price before this step's move; a
        // boundary exactly at now holds the price after it ("at or before").
        const std::int64_t oldest_needed = floor_minute(now_ms - kDayMs) - kMinuteMs;
        std::int64_t b = std::max(last_boundary_ms_ + kMinuteMs, oldest_needed);
        for (; b < now_ms; b += kMinuteMs)
            for (auto& coin : coins_) coin.boundaries.emplace_back(b, coin.price);
        const bool boundary_now = (b == now_ms);

        coin_quotes.reserve(coins_.size());
        for (auto& coin : coins_) {
            const Decimal before = coin.price;
            if (uniform01() >= coin.flat_chance) coin.price = walk_locked(coin, kSigmaPerSecond);
            if (boundary_now) coin.boundaries.emplace_back(now_ms, coin.price);
            while (!coin.boundaries.empty() && coin.boundaries.front().first < oldest_needed)
                coin.boundaries.pop_front();
            Quote q;
            q.code = coin.instrument.code;
            q.price = coin.price;
            q.tick = coin.price > before ? 1 : (coin.price < before ? -1 : 0);
            q.as_of_ms = now_ms;
            coin_quotes.push_back(std::move(q));
        }
        last_boundary_ms_ = boundary_now ? now_ms : b - kMinuteMs;

        const CivilDate day = calendar_.last_close_day(now_ms);
        if (!stock_day_ || *stock_day_ != day) {
            stock_day_ = day;
            stock_quotes = stock_quotes_locked(day);
        }
    }
    // The change is computed outside the walk loop so it reads the finished history.
    for (auto& q : coin_quotes) {
        if (auto ref = reference_price(q.code, now_ms)) q.change_ppm = change_ppm(q.price, *ref);
    }
    hub_.update(coin_quotes);
    if (!stock_quotes.empty()) hub_.update(stock_quotes);
    hub_.set_krx_state(calendar_.state_at(now_ms), calendar_.close_marker(now_ms));
    hub_.tick();
}

std::optional<Decimal> DemoMarket::reference_price(std::string_view code,
                                                   std::int64_t now_ms) const {
    std::lock_guard lock(mu_);
    const std::int64_t ref = floor_minute(now_ms - kDayMs);
    for (const auto& coin : coins_) {
        if (coin.instrument.code != code) continue;
        const auto it = std::lower_bound(coin.boundaries.begin(), coin.boundaries.end(), ref,
                                         [](const auto& e, std::int64_t v) { return e.first < v; });
        if (it == coin.boundaries.end() || it->first != ref) return std::nullopt;
        return it->second;
    }
    return std::nullopt;
}

std::optional<Decimal> DemoMarket::last_price(std::string_view code) const {
    std::lock_guard lock(mu_);
    for (const auto& coin : coins_)
        if (coin.instrument.code == code && initialised_) return coin.price;
    return std::nullopt;
}

void DemoMarket::start() {
    std::lock_guard lock(run_mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] {
        std::unique_lock lk(run_mu_);
        while (!stopping_) {
            lk.unlock();
            step(clock_.now_ms());
            lk.lock();
            run_cv_.wait_for(lk, std::chrono::milliseconds(options_.interval_ms),
                             [this] { return stopping_; });
        }
    });
}

void DemoMarket::stop() {
    std::thread t;
    {
        std::lock_guard lock(run_mu_);
        if (!thread_.joinable()) return;
        stopping_ = true;
        t = std::move(thread_);
    }
    run_cv_.notify_all();
    t.join();
}

}  // namespace sinmun::market
