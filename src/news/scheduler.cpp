#include "news/scheduler.hpp"
#include "news/try.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace sinmun::news {

Scheduler::Scheduler(store::Database& db, const Clock& clock,
                     std::function<void(std::int64_t)> on_published)
    : db_(db), clock_(clock), on_published_(std::move(on_published)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stop_ = false;
    thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Scheduler::notify() {
    {
        std::lock_guard lock(mu_);
        poked_ = true;
    }
    cv_.notify_all();
}

Result<std::vector<std::int64_t>> Scheduler::run_once() {
    NEWS_TRY(ids, db_.articles().publish_due(clock_.now_ms(), "system"));
    for (auto id : ids) {
        auth::AuditEntry e;
        e.at = clock_.now_ms();
        e.user_id = 0;
        e.actor = "system";
        e.action = "publish";
        e.target = "article:" + std::to_string(id);
        e.detail = "예약 게재";
        if (auto r = db_.audit().append(e); !r)
            spdlog::warn("audit append failed (scheduled publish of article {}): {}", id,
                         r.error().message);
        spdlog::info("scheduler: published article {}", id);
        if (on_published_) on_published_(id);
    }
    return std::move(ids);
}

std::int64_t Scheduler::next_sleep_ms() {
    auto next = db_.articles().next_scheduled_at();
    if (!next || !*next) return kMaxSleepMs;
    return std::clamp<std::int64_t>(**next - clock_.now_ms(), 0, kMaxSleepMs);
}

void Scheduler::loop() {
    for (;;) {
        {
            std::lock_guard lock(mu_);
            if (stop_) return;
        }
        if (auto r = run_once(); !r)
            spdlog::warn("scheduler: publishing due articles failed: {}", r.error().message);
        // Sleep until the next due time, but never longer than kMaxSleepMs (clock changes,
        // schedules made by another process) and never a busy loop on a failing database.
        std::int64_t sleep_ms = next_sleep_ms();
        if (sleep_ms == 0) sleep_ms = 1;
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, std::chrono::milliseconds(sleep_ms), [&] { return stop_ || poked_; });
        poked_ = false;
        if (stop_) return;
    }
}

}  // namespace sinmun::news
