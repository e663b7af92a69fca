// The minute ring persisted through the UpbitFeed hooks into a real (temp-file) SQLite database:
// a restart keeps the rolling 24-hour reference (issue 4, item 2).
#include "market/feeds/minute_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include "core/clock.hpp"
#include "market/feeds/upbit_feed.hpp"
#include "market/hub.hpp"
#include "market/rolling_window.hpp"
#include "store/stores.hpp"

namespace sinmun::market {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMin;
constexpr std::int64_t kT = 1'764'000'000'000 + 30'000;  // a minute boundary + 30 s
constexpr std::int64_t kM = kT / kMin;                   // now's minute

std::string trade(const std::string& code, std::int64_t ts, const std::string& price,
                  std::uint64_t sid) {
    return R"({"type":"trade","code":")" + code + R"(","timestamp":)" + std::to_string(ts + 3) +
           R"(,"trade_date":"2025-11-24","trade_time":"12:00:00","trade_timestamp":)" +
           std::to_string(ts) + R"(,"trade_price":)" + price +
           R"(,"trade_volume":0.01,"ask_bid":"BID","prev_closing_price":99000000,"change":"RISE",)"
           R"("change_price":1000,"sequential_id":)" +
           std::to_string(sid) + R"(,"stream_type":"REALTIME"})";
}

class MinuteStore : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sinmun-minutes-test-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
        open();
    }
    void TearDown() override {
        db_.reset();
        fs::remove_all(dir_);
    }
    void open() {
        db_.reset();
        auto db = store::open_sqlite({.path = (dir_ / "m.db").string()});
        ASSERT_TRUE(db) << db.error().message;
        db_ = std::move(*db);
    }
    UpbitFeedOptions options() {
        UpbitFeedOptions o;
        o.markets = {{"KRW-BTC", "비트코인", AssetClass::crypto, "UPBIT", 1},
                     {"KRW-DOGE", "도지코인", AssetClass::crypto, "UPBIT", 2}};
        persist_minutes_in(db_->market(), o);
        return o;
    }
    std::size_t stored(const std::string& code) {
        auto rows = db_->market().minutes(0);
        EXPECT_TRUE(rows) << rows.error().message;
        std::size_t n = 0;
        for (const auto& r : *rows) n += r.code == code;
        return n;
    }

    fs::path dir_;
    std::unique_ptr<store::Database> db_;
    ManualClock clock_{kT - kDay};
};

TEST_F(MinuteStore, ARestartedFeedKeepsTheExact24HourChange) {
    {
        Hub hub(clock_);
        UpbitFeed feed(hub, clock_, options());
        feed.start();
        feed.on_connected();
        // Yesterday's close of the reference minute, then a quiet day while connected.
        feed.on_message(trade("KRW-BTC", kT - kDay - 10'000, "100000000", 1), false);
        feed.on_message(trade("KRW-DOGE", kT - kDay - 20'000, "0.2500", 1), false);
        clock_.advance_ms(kMin);
        feed.tick();  // the minute's save
        clock_.set_ms(kT - 1'000);
        feed.tick();  // the minute timer carries the day (one save)
        feed.on_message(trade("KRW-BTC", kT - 2'000, "102130000", 2), false);
        feed.on_message(trade("KRW-DOGE", kT - 1'500, "0.2487", 2), false);
        clock_.set_ms(kT + kMin);
        feed.tick();
        EXPECT_EQ(feed.change_ppm("KRW-BTC"), std::optional<std::int64_t>(21'300));
        EXPECT_EQ(feed.change_ppm("KRW-DOGE"), std::optional<std::int64_t>(-5'200));
        feed.stop();
    }
    // Every minute of the window is stored, and nothing more.
    EXPECT_EQ(stored("KRW-BTC"), 1'441u);  // kM − 1440 … kM

    // The process restarts 20 s later: a fresh database handle, hub and feed, no connection yet.
    open();
    clock_.advance_ms(20'000);
    Hub hub(clock_);
    UpbitFeed feed(hub, clock_, options());
    feed.start();
    EXPECT_EQ(feed.reference("KRW-BTC"),
              std::optional<Decimal>(Decimal::from_integer(100'000'000)));
    EXPECT_EQ(feed.change_ppm("KRW-BTC"), std::optional<std::int64_t>(21'300));
    EXPECT_EQ(feed.change_ppm("KRW-DOGE"), std::optional<std::int64_t>(-5'200));
    feed.stop();
}

TEST_F(MinuteStore, AWindowRestoredFromTheHooksMatchesTheOriginal) {
    RollingWindow w;
    w.on_trade(kT - kDay - 5'000, *Decimal::parse("4500000.5"));
    for (std::int64_t k = 1; k <= 1440; k += 7)
        w.on_trade(kT - kDay + k * kMin, Decimal::from_integer(4'500'000 + k));
    w.carry_to(kT);
    auto rows = w.slots_since(kM - RollingWindow::kSlots);
    for (auto& r : rows) r.code = "KRW-ETH";
    ASSERT_TRUE(make_save_minutes(db_->market())(rows));

    open();
    auto loaded = make_load_minutes(db_->market())(kM - RollingWindow::kSlots);
    ASSERT_TRUE(loaded) << loaded.error().message;
    ASSERT_EQ(loaded->size(), rows.size());
    RollingWindow fresh;
    fresh.restore(*loaded);
    int known = 0;
    for (std::int64_t now = kT - 5 * kMin; now <= kT + 1'430 * kMin; now += 13 * kMin) {
        EXPECT_EQ(fresh.reference(now), w.reference(now)) << now;
        EXPECT_EQ(fresh.change_ppm(now), w.change_ppm(now)) << now;
        known += w.change_ppm(now).has_value();
    }
    EXPECT_GT(known, 100);
    EXPECT_EQ(fresh.reference(kT), std::optional<Decimal>(*Decimal::parse("4500000.5")));
}

TEST_F(MinuteStore, SavingPrunesMinutesOlderThanTheWindow) {
    std::vector<MinuteClose> rows{
        {"KRW-BTC", kM - 2000, Decimal::from_integer(1), 0, SlotState::traded},
        {"KRW-XRP", kM - 1442, Decimal::from_integer(2), 0, SlotState::traded},
        {"KRW-XRP", kM - 1441, Decimal::from_integer(3), 0, SlotState::carried},
    };
    ASSERT_TRUE(db_->market().save_minutes(rows, 0));
    const MinuteClose now{"KRW-BTC", kM, Decimal::from_integer(4), kT, SlotState::traded};
    ASSERT_TRUE(make_save_minutes(db_->market())(std::span(&now, 1)));
    auto all = db_->market().minutes(0);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);  // kM − 1441 is what the next load asks for: kept
    EXPECT_EQ((*all)[0].minute, kM);
    EXPECT_EQ((*all)[1].minute, kM - 1441);
}

TEST_F(MinuteStore, AFailedSaveIsRetriedWithTheNextMinute) {
    auto o = options();
    int calls = 0;
    auto save = o.save_minutes;
    o.save_minutes = [&](std::span<const MinuteClose> rows) -> Status {
        if (++calls == 1) return make_error(Errc::unavailable, "database is locked");
        return save(rows);
    };
    clock_.set_ms(kT);
    Hub hub(clock_);
    UpbitFeed feed(hub, clock_, o);
    feed.start();
    feed.on_connected();
    feed.on_message(trade("KRW-BTC", kT - 1'000, "100000000", 1), false);
    clock_.advance_ms(kMin);
    feed.tick();  // fails
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(stored("KRW-BTC"), 0u);
    clock_.advance_ms(kMin);
    feed.tick();
    EXPECT_EQ(calls, 2);
    EXPECT_EQ(stored("KRW-BTC"), 2u);  // kM (traded, the failed save's row) and kM + 1 (carried)
    feed.stop();
}

}  // namespace
}  // namespace sinmun::market

namespace sinmun::market {
namespace {

// Issue 4, item 4: the minute in progress when the connection drops was stored with the close
// seen so far, although its later trades were missed. It must not come back as a known close
// after a restart unless something confirms it.
class MinuteInProgress : public MinuteStore {
protected:
    // The feed's save hook plus a failing candle endpoint (the backfill cannot confirm).
    std::unique_ptr<UpbitFeed> feed(Hub& hub) {
        return std::make_unique<UpbitFeed>(hub, clock_, options(), [](const std::string&) {
            return Result<HttpAnswer>(make_error(Errc::unavailable, "connect: refused"));
        });
    }
    std::optional<MinuteClose> stored_minute(const std::string& code, std::int64_t minute) {
        auto rows = db_->market().minutes(0);
        EXPECT_TRUE(rows) << rows.error().message;
        for (const auto& r : *rows)
            if (r.code == code && r.minute == minute) return r;
        return std::nullopt;
    }
    // The close a restarted feed measures the 24 h change against at `minute` + 24 h.
    std::optional<Decimal> reference_after_restart(std::int64_t minute) {
        open();
        clock_.set_ms(minute * kMin + kDay + 10'000);
        Hub hub(clock_);
        UpbitFeed fresh(hub, clock_, options());
        fresh.start();
        auto r = fresh.reference("KRW-BTC");
        fresh.stop();
        return r;
    }
};

TEST_F(MinuteInProgress, IsForgottenByTheStoreWhenTheBackfillCannotConfirmIt) {
    clock_.set_ms(kT);
    {
        Hub hub(clock_);
        auto f = feed(hub);  // ticked by hand below (no worker thread racing the clock)
        f->on_connected();
        f->on_message(trade("KRW-BTC", kM * kMin + 20'000, "100000000", 1), false);
        // A print of the next minute arrives before our minute timer: that minute is the head,
        // in progress, and the minute's save includes it.
        clock_.set_ms((kM + 1) * kMin + 500);
        f->on_message(trade("KRW-BTC", (kM + 1) * kMin + 200, "101000000", 2), false);
        f->tick();
        ASSERT_TRUE(stored_minute("KRW-BTC", kM + 1));
        EXPECT_EQ(stored_minute("KRW-BTC", kM + 1)->close, Decimal::from_integer(101'000'000));
        // The connection drops 40 s into that minute; its later trades are never seen.
        clock_.set_ms((kM + 1) * kMin + 40'000);
        f->on_disconnected("connection reset by peer");
        clock_.set_ms((kM + 2) * kMin + 1'000);
        f->tick();
        EXPECT_FALSE(stored_minute("KRW-BTC", kM + 1)) << "forgotten, not kept as known";
        EXPECT_FALSE(stored_minute("KRW-BTC", kM)) << "its late trades may have been in flight";
        // Back two minutes later; the backfill of the gap fails.
        const auto failures_before = f->stats().backfill_failures;
        clock_.set_ms((kM + 3) * kMin + 5'000);
        f->on_connected();
        f->on_message(trade("KRW-BTC", (kM + 3) * kMin + 2'000, "102000000", 3), false);
        f->tick();
        clock_.set_ms((kM + 4) * kMin + 1'000);
        f->tick();
        EXPECT_GT(f->stats().backfill_failures, failures_before);
        bool open_run = false;
        for (auto [a, b] : f->unknown_runs("KRW-BTC")) open_run |= a <= kM + 1 && kM + 1 <= b;
        EXPECT_TRUE(open_run);
        EXPECT_FALSE(stored_minute("KRW-BTC", kM + 1));
        EXPECT_EQ(stored_minute("KRW-BTC", kM + 3)->close, Decimal::from_integer(102'000'000));
    }
    // A day later, after a restart: no 24 h reference for that minute (신규 "—"), never the
    // close seen before the drop.
    EXPECT_EQ(reference_after_restart(kM + 1), std::nullopt);
}

TEST_F(MinuteInProgress, IsKnownAgainWhenALaterTradeOfTheSameMinuteConfirmsIt) {
    clock_.set_ms(kT);
    {
        Hub hub(clock_);
        auto f = feed(hub);  // ticked by hand below (no worker thread racing the clock)
        f->on_connected();
        f->on_message(trade("KRW-BTC", kM * kMin + 20'000, "100000000", 1), false);
        clock_.set_ms((kM + 1) * kMin + 500);
        f->on_message(trade("KRW-BTC", (kM + 1) * kMin + 200, "101000000", 2), false);
        f->tick();
        clock_.set_ms((kM + 1) * kMin + 20'000);
        f->on_disconnected("connection reset by peer");
        // Back within the same minute: a newer trade of that minute closes it after all.
        clock_.set_ms((kM + 1) * kMin + 30'000);
        f->on_connected();
        f->on_message(trade("KRW-BTC", (kM + 1) * kMin + 45'000, "101500000", 3), false);
        clock_.set_ms((kM + 2) * kMin + 1'000);
        f->tick();
        ASSERT_TRUE(stored_minute("KRW-BTC", kM + 1));
        EXPECT_EQ(stored_minute("KRW-BTC", kM + 1)->close, Decimal::from_integer(101'500'000));
        EXPECT_EQ(stored_minute("KRW-BTC", kM + 1)->state, SlotState::traded);
        // Trading goes on (a restart treats the newest stored minutes as unknown, not this one).
        clock_.set_ms((kM + 3) * kMin + 10'000);
        f->on_message(trade("KRW-BTC", (kM + 3) * kMin + 5'000, "102000000", 4), false);
        f->tick();
    }
    EXPECT_EQ(reference_after_restart(kM + 1),
              std::optional<Decimal>(Decimal::from_integer(101'500'000)));
}

}  // namespace
}  // namespace sinmun::market
