#include "market/rolling_window.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

namespace sinmun::market {
namespace {

constexpr std::int64_t kMin = RollingWindow::kMinuteMs;
constexpr std::int64_t kDay = RollingWindow::kDayMs;
constexpr std::int64_t kT0 = 1'764'000'000'000;  // 2025-11-24, a minute boundary

Decimal krw(std::int64_t v) { return Decimal::from_integer(v); }

TEST(RollingWindow, EmptyHasNoReference) {
    RollingWindow w;
    EXPECT_FALSE(w.reference(kT0).has_value());
    EXPECT_FALSE(w.change_ppm(kT0).has_value());
}

TEST(RollingWindow, ReferenceIsCloseOfMinuteTwentyFourHoursAgo) {
    RollingWindow w;
    w.on_trade(kT0 + 1'000, krw(100));
    w.on_trade(kT0 + 59'000, krw(101));  // close of minute 0
    w.on_trade(kT0 + 61'000, krw(105));
    // Quiet for a day; the minute timer carries it forward.
    for (std::int64_t t = kT0 + 2 * kMin; t <= kT0 + kDay; t += kMin) w.carry_to(t);
    w.on_trade(kT0 + kDay + 30'000, krw(110));
    EXPECT_EQ(w.reference(kT0 + kDay + 30'000), krw(101));
    // 2.4 % above 101 → ppm of (110 - 101)/101 = 89108.9… → 89109
    EXPECT_EQ(w.change_ppm(kT0 + kDay + 30'000), 89109);
    EXPECT_EQ(w.reference(kT0 + kDay + kMin + 5), krw(105));
    w.carry_to(kT0 + kDay + 11 * kMin);
    EXPECT_EQ(w.reference(kT0 + kDay + 10 * kMin), krw(105));  // carried
}

TEST(RollingWindow, NewListingHasNoReference) {
    RollingWindow w;
    w.on_trade(kT0, krw(1000));
    for (std::int64_t t = kT0; t <= kT0 + 3 * 3600'000; t += kMin) w.carry_to(t);
    EXPECT_FALSE(w.reference(kT0 + 3 * 3600'000).has_value());  // listed 3 h ago: 신규
}

TEST(RollingWindow, GapStaysUnknownUntilBackfilled) {
    RollingWindow w;
    w.on_trade(kT0 + 10'000, krw(100));
    for (std::int64_t t = kT0; t <= kT0 + 10 * kMin; t += kMin) w.carry_to(t);
    w.disconnected(kT0 + 10 * kMin);
    w.on_trade(kT0 + 30 * kMin + 1, krw(120));  // back after 20 minutes
    for (std::int64_t m = 8; m < 30; ++m)
        EXPECT_FALSE(w.reference(kT0 + kDay + m * kMin).has_value()) << m;
    EXPECT_EQ(w.reference(kT0 + kDay + 5 * kMin), krw(100));
    const auto runs = w.unknown_runs();
    ASSERT_FALSE(runs.empty());
    EXPECT_EQ(runs.back().second, kT0 / kMin + 29);
    // Candles: a trade at minute 15 (110) and minute 20 (115); nothing else.
    const MinuteCandle candles[] = {{kT0 / kMin + 15, krw(110), kT0 + 15 * kMin + 5},
                                    {kT0 / kMin + 20, krw(115), kT0 + 20 * kMin + 5}};
    w.apply_candles(runs.back().first, runs.back().second, candles);
    EXPECT_EQ(w.reference(kT0 + kDay + 12 * kMin), krw(100));  // inherits minute 7's close
    EXPECT_EQ(w.reference(kT0 + kDay + 15 * kMin), krw(110));
    EXPECT_EQ(w.reference(kT0 + kDay + 19 * kMin), krw(110));
    EXPECT_EQ(w.reference(kT0 + kDay + 29 * kMin), krw(115));
    EXPECT_EQ(w.reference(kT0 + kDay + 30 * kMin), krw(120));
}

TEST(RollingWindow, SnapshotProvesQuietMinutes) {
    RollingWindow w;
    w.on_trade(kT0 + 10'000, krw(100));
    w.carry_to(kT0 + 5 * kMin);
    w.disconnected(kT0 + 5 * kMin);
    // Reconnected: the latest trade is still the one we had, so nothing traded since.
    w.snapshot(kT0 + 10'000, krw(100));
    w.carry_to(kT0 + 20 * kMin);
    for (std::int64_t m = 0; m < 19; ++m)
        EXPECT_EQ(w.reference(kT0 + kDay + m * kMin), krw(100)) << m;
}

TEST(RollingWindow, LateTradeRecarries) {
    RollingWindow w;
    w.on_trade(kT0 + 1'000, krw(100));
    w.carry_to(kT0 + 5 * kMin);         // minutes 1..4 carried at 100
    w.on_trade(kT0 + 59'000, krw(99));  // late: the real close of minute 0
    for (std::int64_t m = 0; m < 5; ++m) EXPECT_EQ(w.reference(kT0 + kDay + m * kMin), krw(99));
    w.on_trade(kT0 + 30'000, krw(50));  // older than minute 0's close: ignored
    EXPECT_EQ(w.reference(kT0 + kDay), krw(99));
}

TEST(RollingWindow, TooOldTradeDropped) {
    RollingWindow w;
    w.on_trade(kT0 + 2 * kDay, krw(100));
    EXPECT_EQ(w.on_trade(kT0, krw(1)), RollingWindow::TradeOutcome::too_old);
}

TEST(RollingWindow, SlotsSinceListsUnknownMinutesOnlyWhenAsked) {
    RollingWindow w;
    const std::int64_t m0 = kT0 / kMin;
    w.on_trade(kT0 + 10'000, krw(100));
    w.on_trade(kT0 + kMin + 10'000, krw(101));  // minute m0 + 1, in progress
    w.disconnected(kT0 + kMin + 40'000);        // m0 and m0 + 1 become unknown
    w.on_trade(kT0 + 3 * kMin + 5'000, krw(103));
    const auto known = w.slots_since(m0);
    ASSERT_EQ(known.size(), 1u);
    EXPECT_EQ(known[0].minute, m0 + 3);
    const auto all = w.slots_since(m0, /*with_unknown=*/true);
    ASSERT_EQ(all.size(), 4u);
    for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(all[k].minute, m0 + k);
        EXPECT_EQ(all[k].state, SlotState::unknown);
    }
    EXPECT_EQ(all[3].state, SlotState::traded);
    EXPECT_EQ(all[3].close, krw(103));
}

TEST(RollingWindow, RestoreKeepsReferenceAcrossRestart) {
    RollingWindow w;
    w.on_trade(kT0 + 1'000, krw(100));
    for (std::int64_t t = kT0; t <= kT0 + 60 * kMin; t += kMin) w.carry_to(t);
    const auto rows = w.slots_since(0);
    RollingWindow r;
    r.restore(rows);
    EXPECT_FALSE(r.continuous());
    EXPECT_EQ(r.reference(kT0 + kDay + 30 * kMin), krw(100));
    EXPECT_EQ(r.last_price(), krw(100));
}

// ---- Property test: random tapes against a brute-force oracle ---------------------------------

struct TrueTrade {
    std::int64_t ts;
    Decimal price;
};

// The last trade whose minute is at or before the minute of now − 24 h.
std::optional<Decimal> oracle(const std::vector<TrueTrade>& tape, std::int64_t now) {
    const std::int64_t m = RollingWindow::minute_of(now - kDay);
    std::optional<Decimal> out;
    for (const auto& t : tape) {
        if (RollingWindow::minute_of(t.ts) > m) break;
        out = t.price;
    }
    return out;
}

struct Event {
    std::int64_t at;
    int kind;  // 0 deliver trade, 1 minute timer, 2 disconnect, 3 reconnect, 4 query
    std::size_t trade = 0;
    bool operator<(const Event& o) const { return at != o.at ? at < o.at : kind < o.kind; }
};

struct Outcome {
    int queries = 0;
    int known = 0;
    int oracle_known = 0;
};

// Runs one random tape. With `disconnects` the connection drops now and then; with `backfill`
// every reconnect fills the gaps from candles built from the true tape.
Outcome run_tape(std::uint64_t seed, bool disconnects, bool backfill) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u01(0, 1);
    const std::int64_t span = 3 * kDay;
    std::vector<TrueTrade> tape;
    std::int64_t t = kT0 + static_cast<std::int64_t>(u01(rng) * 600'000);
    std::int64_t price = 10'000;
    while (t < kT0 + span) {
        price =
            std::max<std::int64_t>(1, price + static_cast<std::int64_t>((u01(rng) - 0.5) * 200));
        tape.push_back({t, krw(price)});
        // Busy stretches, quiet minutes, and the odd silent hour.
        const double r = u01(rng);
        std::int64_t dt = r < 0.4    ? 1 + static_cast<std::int64_t>(u01(rng) * 20'000)
                          : r < 0.97 ? static_cast<std::int64_t>(u01(rng) * 5 * kMin)
                                     : static_cast<std::int64_t>(u01(rng) * 90 * kMin);
        t += std::max<std::int64_t>(1, dt);
    }
    std::vector<Event> events;
    for (std::size_t i = 0; i < tape.size(); ++i) {
        // Most trades arrive within a second; some are up to a minute late.
        const double r = u01(rng);
        const std::int64_t delay = r < 0.75 ? static_cast<std::int64_t>(u01(rng) * 1000)
                                            : static_cast<std::int64_t>(u01(rng) * 59'000);
        events.push_back({tape[i].ts + delay, 0, i});
    }
    for (std::int64_t m = kT0; m < kT0 + span; m += kMin) events.push_back({m, 1});
    std::vector<std::pair<std::int64_t, std::int64_t>> downs;
    if (disconnects) {
        for (int i = 0; i < 12; ++i) {
            const std::int64_t d = kT0 + static_cast<std::int64_t>(u01(rng) * span);
            const std::int64_t len = 1'000 + static_cast<std::int64_t>(u01(rng) * 3 * 3600'000);
            downs.emplace_back(d, d + len);
        }
        std::sort(downs.begin(), downs.end());
        std::vector<std::pair<std::int64_t, std::int64_t>> merged;
        for (auto d : downs) {
            if (!merged.empty() && d.first <= merged.back().second + 1)
                merged.back().second = std::max(merged.back().second, d.second);
            else
                merged.push_back(d);
        }
        downs = merged;
        for (auto [d, r] : downs) {
            events.push_back({d, 2});
            events.push_back({r, 3});
        }
    }
    for (std::int64_t q = kT0 + kDay; q < kT0 + span; q += kMin + 13'000) events.push_back({q, 4});
    std::stable_sort(events.begin(), events.end());

    auto candles_for = [&](std::int64_t first, std::int64_t last) {
        std::map<std::int64_t, MinuteCandle> by;
        for (const auto& tr : tape) {
            const std::int64_t m = RollingWindow::minute_of(tr.ts);
            if (m < first || m > last) continue;
            auto& c = by[m];
            if (tr.ts >= c.last_ms) c = {m, tr.price, tr.ts};
        }
        std::vector<MinuteCandle> out;
        for (auto& [m, c] : by) out.push_back(c);
        return out;
    };

    RollingWindow w;
    bool up = true;
    Outcome o;
    for (const auto& e : events) {
        switch (e.kind) {
            case 0:
                if (up) w.on_trade(tape[e.trade].ts, tape[e.trade].price);
                break;
            case 1:
                if (up) w.carry_to(e.at);
                break;
            case 2:
                up = false;
                w.disconnected(e.at);
                break;
            case 3: {
                up = true;
                // The SNAPSHOT: the latest trade at the reconnect.
                const TrueTrade* latest = nullptr;
                for (const auto& tr : tape)
                    if (tr.ts <= e.at) latest = &tr;
                if (latest) w.snapshot(latest->ts, latest->price);
                if (backfill) {
                    for (auto [first, last] : w.unknown_runs()) {
                        // Only complete minutes, as a real reconnect would see them.
                        last = std::min(last, RollingWindow::minute_of(e.at) - 1);
                        if (first > last) continue;
                        auto cs = candles_for(first, last);
                        auto before = candles_for(first - 3 * 1441, first - 1);
                        std::optional<Decimal> b;
                        if (!before.empty()) b = before.back().close;
                        w.apply_candles(first, last, cs, b);
                    }
                }
                break;
            }
            case 4: {
                ++o.queries;
                const auto want = oracle(tape, e.at);
                const auto got = w.reference(e.at);
                if (want) ++o.oracle_known;
                if (got) {
                    ++o.known;
                    EXPECT_EQ(got, want)
                        << "seed " << seed << " at +" << (e.at - kT0) / kMin << " min";
                }
                // Without disconnects (or with backfill) the window knows whatever the oracle
                // knows, once the window has a day of history.
                if ((!disconnects || backfill) && want && e.at >= tape.front().ts + kDay + kMin) {
                    EXPECT_TRUE(got.has_value())
                        << "seed " << seed << " at +" << (e.at - kT0) / kMin << " min";
                }
                break;
            }
        }
    }
    return o;
}

TEST(RollingWindowProperty, MatchesBruteForceWithLateTrades) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        const auto o = run_tape(seed, false, false);
        EXPECT_GT(o.known, o.queries / 2);
    }
}

TEST(RollingWindowProperty, NeverWrongAcrossDisconnects) {
    for (std::uint64_t seed = 11; seed <= 16; ++seed) {
        const auto o = run_tape(seed, true, false);
        EXPECT_GT(o.known, 0);
        EXPECT_LE(o.known, o.oracle_known);
    }
}

TEST(RollingWindowProperty, BackfillRestoresEveryGap) {
    for (std::uint64_t seed = 21; seed <= 26; ++seed) {
        const auto o = run_tape(seed, true, true);
        EXPECT_GT(o.known, o.queries / 2);
    }
}

}  // namespace
}  // namespace sinmun::market
