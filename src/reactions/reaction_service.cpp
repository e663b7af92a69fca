#include "reactions/reaction_service.hpp"

#include <algorithm>
#include <vector>

#include "reactions/reader_id.hpp"
#include "store/stores.hpp"

namespace sinmun::reactions {
namespace {

// A callback that throws must not take the writer thread (and every later vote) down with it;
// the callbacks belong to other modules, so the exception is dropped here.
void answer(const ReactionService::Callback& done, Result<State> result) {
    if (!done) return;
    try {
        done(std::move(result));
    } catch (...) {
    }
}

ReactionServiceOptions with_min_batch(ReactionServiceOptions o) {
    o.max_batch = std::max<std::size_t>(o.max_batch, 1);
    return o;
}

}  // namespace

ReactionService::ReactionService(store::ReactionStore& store, Options options)
    : store_(store), options_(with_min_batch(options)) {
    writer_ = std::thread([this] { run(); });
}

ReactionService::~ReactionService() { stop(); }

void ReactionService::submit(Vote vote, Callback done) {
    if (!is_valid_reader_id(vote.reader))
        return answer(done, make_error(Errc::invalid_input, "invalid reader id"));
    {
        std::lock_guard lock(mu_);
        if (stopping_)
            return answer(done, make_error(Errc::unavailable, "reactions are shutting down"));
        if (queue_.size() >= options_.max_pending)
            return answer(done, make_error(Errc::unavailable,
                                           "too many reactions waiting to be saved; try again"));
        queue_.push_back({std::move(vote), std::move(done)});
    }
    wake_.notify_one();
}

Result<State> ReactionService::state(std::int64_t article_id, const ReaderId& reader) {
    if (!reader.empty() && !is_valid_reader_id(reader))
        return make_error(Errc::invalid_input, "invalid reader id");
    return store_.state(article_id, reader);
}

void ReactionService::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_one();
    std::call_once(joined_, [this] {
        if (writer_.joinable()) writer_.join();
    });
}

ReactionService::Stats ReactionService::stats() const {
    std::lock_guard lock(mu_);
    return stats_;
}

void ReactionService::run() {
    std::vector<Vote> votes;
    std::vector<Callback> callbacks;
    for (;;) {
        {
            std::unique_lock lock(mu_);
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            // Stop only once the queue is drained: every accepted vote gets its answer.
            if (queue_.empty()) return;
            const auto n = std::min(queue_.size(), options_.max_batch);
            votes.clear();
            callbacks.clear();
            for (std::size_t i = 0; i < n; ++i) {
                votes.push_back(std::move(queue_.front().vote));
                callbacks.push_back(std::move(queue_.front().done));
                queue_.pop_front();
            }
            ++stats_.batches;
            stats_.votes += n;
            stats_.max_batch_seen = std::max(stats_.max_batch_seen, n);
        }
        auto results = store_.apply(votes);
        // Answers go out only now, after apply() returned: its success means committed durably.
        if (!results || results->size() != votes.size()) {
            const Error e = results ? make_error(Errc::internal,
                                                 "reaction store answered a batch "
                                                 "with the wrong number of results")
                                    : results.error();
            answer_batch(votes, callbacks, nullptr, &e);
        } else {
            answer_batch(votes, callbacks, &*results, nullptr);
        }
        callbacks.clear();  // release callbacks (and what they captured) before sleeping
    }
}

void ReactionService::answer_batch(std::vector<Vote>& votes, std::vector<Callback>& callbacks,
                                   std::vector<Result<State>>* results, const Error* error) {
    auto answer_all = [&] {
        for (std::size_t i = 0; i < callbacks.size(); ++i)
            answer(callbacks[i], error ? Result<State>(*error) : std::move((*results)[i]));
    };
    if (!options_.around_answers) return answer_all();
    std::vector<std::int64_t> articles;
    if (!error)
        for (std::size_t i = 0; i < votes.size(); ++i)
            if ((*results)[i] &&
                std::find(articles.begin(), articles.end(), votes[i].article_id) == articles.end())
                articles.push_back(votes[i].article_id);
    bool answered = false;
    auto once = [&] {
        if (answered) return;
        answered = true;
        answer_all();
    };
    try {
        options_.around_answers(articles, once);
    } catch (...) {
    }
    once();  // every vote gets its answer, whatever the hook did
}

}  // namespace sinmun::reactions
