// Clock: every piece of code that reads the time takes one, so tests inject time.
// Thread-safety: SystemClock is stateless; ManualClock is safe to read and set from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace sinmun {

using SysTime = std::chrono::system_clock::time_point;

// Milliseconds since the Unix epoch, the unit stores and the wire use.
inline std::int64_t to_unix_ms(SysTime t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline SysTime from_unix_ms(std::int64_t ms) {
    return SysTime{std::chrono::duration_cast<SysTime::duration>(std::chrono::milliseconds{ms})};
}

class Clock {
public:
    virtual ~Clock() = default;
    virtual SysTime now() const = 0;
    std::int64_t now_ms() const { return to_unix_ms(now()); }
};

class SystemClock final : public Clock {
public:
    SysTime now() const override { return std::chrono::system_clock::now(); }
    static const SystemClock& instance() {
        static const SystemClock clock;
        return clock;
    }
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t unix_ms = 0) : ms_(unix_ms) {}
    SysTime now() const override { return from_unix_ms(ms_.load()); }
    void set_ms(std::int64_t unix_ms) { ms_.store(unix_ms); }
    void advance_ms(std::int64_t delta) { ms_.fetch_add(delta); }

private:
    std::atomic<std::int64_t> ms_;
};

}  // namespace sinmun
