// news::Scheduler: publishes scheduled articles when their time comes, on its own thread.
//
// At start() it first publishes everything that came due while the server was down, then sleeps
// until the next scheduled_at (never polling every second), re-checking at least every 30 s in
// case the clock jumps or another process scheduled something. notify() wakes it early (the
// Newsroom's on_scheduled hook). Each publish is the store's conditional UPDATE … WHERE
// status='scheduled', so an article is published exactly once even with two schedulers on one
// database. Each is audited as "system", and on_published(id) runs after its commit.
//
// Thread-safety: start/stop/notify/run_once may be called from any thread; on_published runs on
// the scheduler's thread (or the run_once caller's).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/stores.hpp"

namespace sinmun::news {

class Scheduler {
public:
    static constexpr std::int64_t kMaxSleepMs = 30'000;

    Scheduler(store::Database& db, const Clock& clock,
              std::function<void(std::int64_t article_id)> on_published = {});
    ~Scheduler();  // stops the thread
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    void start();
    void stop();
    // Something was scheduled (or the clock changed): re-evaluate the next wake-up now.
    void notify();

    // Publishes everything due at clock.now(); returns the ids published by this call.
    Result<std::vector<std::int64_t>> run_once();
    // How long the thread would sleep now, in ms (0..kMaxSleepMs). For tests and /metrics.
    std::int64_t next_sleep_ms();

private:
    void loop();

    store::Database& db_;
    const Clock& clock_;
    std::function<void(std::int64_t)> on_published_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    bool poked_ = false;
    std::thread thread_;
};

}  // namespace sinmun::news
