// ReactionService: reader votes with group commit.
//
// Every vote must be durable before its request is answered (DESIGN §1), and a durable commit
// costs an fsync. Rather than one transaction per vote, submit() only enqueues; one writer thread
// takes everything queued (up to max_batch), applies it with ReactionStore::apply in ONE
// transaction, and only after that commit calls each vote's callback. Under load, batches grow
// by themselves, so throughput scales with the batch, not with fsyncs per second.
//
// Thread-safety: submit(), state() and stats() may be called from any thread concurrently.
// Callbacks run on the writer thread, after the commit, exactly once per submit(); they must be
// quick and must not call stop(). stop() is idempotent and called by the destructor.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "reactions/model.hpp"

namespace sinmun::store {
class ReactionStore;
}

namespace sinmun::reactions {

struct ReactionServiceOptions {
    std::size_t max_batch = 1024;      // votes per transaction at most
    std::size_t max_pending = 100000;  // queued votes beyond this are refused (Errc::unavailable)
    // When set, runs on the writer thread once per committed batch instead of a plain loop over
    // its answers: it gets the distinct ids of the batch's articles (e.g. to drop the cached pages
    // that show their counts once per batch rather than once per vote) and must call
    // answer_all() exactly once (e.g. inside a scope that hands the replies to the io threads
    // together).
    std::function<void(std::span<const std::int64_t> article_ids,
                       const std::function<void()>& answer_all)>
        around_answers;
};

class ReactionService {
public:
    using Options = ReactionServiceOptions;
    using Callback = std::function<void(Result<State>)>;

    struct Stats {
        std::uint64_t batches = 0;       // transactions committed (or attempted)
        std::uint64_t votes = 0;         // votes taken from the queue into batches
        std::size_t max_batch_seen = 0;  // largest batch so far
    };

    // Starts the writer thread. `store` must outlive this service.
    explicit ReactionService(store::ReactionStore& store, Options options = {});
    ~ReactionService();
    ReactionService(const ReactionService&) = delete;
    ReactionService& operator=(const ReactionService&) = delete;

    // Enqueues a vote; `done` later receives the article's state for the vote's reader after the
    // batch holding the vote committed, or the vote's error (not_found for a missing article).
    // Answered at once, on the calling thread, with invalid_input for a malformed reader id and
    // with unavailable when the queue is full or the service has stopped.
    void submit(Vote vote, Callback done);

    // The article's counts and the reader's kinds, read directly from the store (reader may be
    // empty for a reader without a cookie).
    Result<State> state(std::int64_t article_id, const ReaderId& reader);

    // Refuses new votes, commits and answers everything already queued, joins the writer thread.
    void stop();

    Stats stats() const;

private:
    struct Pending {
        Vote vote;
        Callback done;
    };

    void run();
    // Answers a taken batch (callbacks[i] gets results[i], or `error` for all when set).
    void answer_batch(std::vector<Vote>& votes, std::vector<Callback>& callbacks,
                      std::vector<Result<State>>* results, const Error* error);

    store::ReactionStore& store_;
    const Options options_;
    mutable std::mutex mu_;
    std::condition_variable wake_;
    std::deque<Pending> queue_;
    bool stopping_ = false;
    Stats stats_;
    std::once_flag joined_;
    std::thread writer_;
};

}  // namespace sinmun::reactions
