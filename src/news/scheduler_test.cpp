// Scheduler: due articles are published exactly once, including those that came due while the
// server was down (a new Scheduler over the same file), and it sleeps until the next due time.
#include "news/scheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "news/newsroom_fixture.hpp"

namespace sinmun::news {
namespace {

using SchedulerTest = testing::NewsroomFixture;

TEST_F(SchedulerTest, PublishesDueArticlesExactlyOnce) {
    auto a = room_->create_draft(reporter_, input("오후 6시 기사")).value();
    auto b = room_->create_draft(reporter_, input("내일 기사")).value();
    const auto six = kst::from_kst(2026, 3, 2, 18, 0);
    room_->publish(editor_, a.id, six).value();
    room_->publish(editor_, b.id, kst::from_kst(2026, 3, 3, 7, 0)).value();

    std::vector<std::int64_t> published;
    Scheduler s(*db_, clock_, [&](std::int64_t id) { published.push_back(id); });
    EXPECT_TRUE(s.run_once()->empty());                    // 09:00: nothing due
    EXPECT_EQ(s.next_sleep_ms(), Scheduler::kMaxSleepMs);  // 9 hours away: re-check in 30 s

    clock_.set_ms(six - 10'000);
    EXPECT_EQ(s.next_sleep_ms(), 10'000);  // wakes exactly at the due time
    clock_.set_ms(six);
    EXPECT_EQ(s.run_once().value(), std::vector<std::int64_t>{a.id});
    EXPECT_TRUE(s.run_once()->empty());  // exactly once
    EXPECT_EQ(published, std::vector<std::int64_t>{a.id});

    auto read = db_->articles().article(a.id).value();
    EXPECT_EQ(read.status, ArticleStatus::published);
    EXPECT_EQ(read.published_at, six);
    EXPECT_EQ(read.scheduled_at, 0);
    EXPECT_EQ(db_->articles().article(b.id)->status, ArticleStatus::scheduled);
    auto h = db_->articles().revisions(a.id).value();
    EXPECT_EQ(h.back().action, "publish");
    EXPECT_EQ(h.back().actor, "system");
    EXPECT_EQ(h.back().user_id, 0);
}

TEST_F(SchedulerTest, AfterRestartPublishesWhatCameDueWhileDown) {
    auto a = room_->create_draft(reporter_, input()).value();
    const auto at = kst::from_kst(2026, 3, 2, 12, 0);
    room_->publish(editor_, a.id, at).value();
    reopen();                           // the server stops
    clock_.set_ms(at + 3 * 3'600'000);  // and comes back three hours late

    std::atomic<int> calls{0};
    Scheduler s(*db_, clock_, [&](std::int64_t id) {
        if (id == a.id) ++calls;
    });
    s.start();  // start-up publishes the overdue article without waiting
    for (int i = 0; i < 200 && calls.load() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    s.stop();
    EXPECT_EQ(calls.load(), 1);
    auto read = db_->articles().article(a.id).value();
    EXPECT_EQ(read.status, ArticleStatus::published);
    EXPECT_EQ(read.published_at, clock_.now_ms());  // 입력 is when it really went out

    // A second scheduler over the same file (another restart) does not publish it again.
    Scheduler again(*db_, clock_);
    EXPECT_TRUE(again.run_once()->empty());
}

TEST_F(SchedulerTest, TwoSchedulersRacingPublishOnce) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 20; ++i) {
        auto a = room_->create_draft(reporter_, input("기사 " + std::to_string(i))).value();
        room_->publish(editor_, a.id, clock_.now_ms() + 1000).value();
        ids.push_back(a.id);
    }
    clock_.advance_ms(1000);
    std::atomic<int> total{0};
    Scheduler s1(*db_, clock_, [&](std::int64_t) { ++total; });
    Scheduler s2(*db_, clock_, [&](std::int64_t) { ++total; });
    std::thread t1([&] { (void)s1.run_once(); });
    std::thread t2([&] { (void)s2.run_once(); });
    t1.join();
    t2.join();
    EXPECT_EQ(total.load(), 20);
    for (auto id : ids) EXPECT_EQ(db_->articles().revisions(id)->back().action, "publish");
}

TEST_F(SchedulerTest, NotifyWakesTheThreadForANewSchedule) {
    std::atomic<int> calls{0};
    Scheduler s(*db_, clock_, [&](std::int64_t) { ++calls; });
    s.start();  // nothing scheduled: sleeps up to 30 s
    auto a = room_->create_draft(reporter_, input()).value();
    room_->publish(editor_, a.id, clock_.now_ms() + 60'000).value();
    clock_.advance_ms(60'000);  // time passes (ManualClock), then the app pokes the scheduler
    s.notify();
    for (int i = 0; i < 300 && calls.load() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    s.stop();
    EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace sinmun::news
