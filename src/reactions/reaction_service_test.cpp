#include "reactions/reaction_service.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <mutex>
#include <random>
#include <set>
#include <span>
#include <stdexcept>
#include <thread>

#include "reactions/reader_id.hpp"
#include "store/stores.hpp"

namespace sinmun::reactions {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A valid reader id made from a number, so tests can name readers.
ReaderId reader(std::uint64_t n) {
    char buf[33];
    std::snprintf(buf, sizeof buf, "%032llx", static_cast<unsigned long long>(n));
    return buf;
}

class ReactionServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("sinmun-reactions-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
        db_ = open();
        ASSERT_TRUE(db_);
        const auto sec = db_->articles().save_section({0, "society", "사회", 0}).value();
        news::Article a;
        a.section_id = sec;
        a.headline = "반응 테스트 기사";
        a.status = news::ArticleStatus::published;
        a.published_at = 1'700'000'000'000;
        article_ = db_->articles().save_article(a).value();
    }
    void TearDown() override {
        db_.reset();
        fs::remove_all(dir_);
    }
    std::unique_ptr<store::Database> open() {
        auto db = store::open_sqlite({.path = (dir_ / "news.db").string()});
        EXPECT_TRUE(db) << db.error().message;
        return db ? std::move(*db) : nullptr;
    }
    // Submits and waits for the answer.
    Result<State> vote_sync(ReactionService& svc, Vote v) {
        std::promise<Result<State>> p;
        auto f = p.get_future();
        svc.submit(std::move(v), [&p](Result<State> r) { p.set_value(std::move(r)); });
        return f.get();
    }

    fs::path dir_;
    std::unique_ptr<store::Database> db_;
    std::int64_t article_ = 0;
};

TEST_F(ReactionServiceTest, ManyThreadsShareBatchesAndEveryCallbackFiresOnce) {
    constexpr int kThreads = 8, kPerThread = 250, kTotal = kThreads * kPerThread;
    std::vector<std::atomic<int>> fired(kTotal);
    std::atomic<int> failures{0};
    {
        ReactionService svc(db_->reactions());
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    const int n = t * kPerThread + i;
                    const auto kind = kAllKinds[static_cast<std::size_t>(n % 4)];
                    svc.submit({article_, reader(n / 4), kind, true}, [&, n](Result<State> r) {
                        if (!r) ++failures;
                        ++fired[static_cast<std::size_t>(n)];
                    });
                }
            });
        }
        for (auto& th : threads) th.join();
        svc.stop();
        const auto stats = svc.stats();
        EXPECT_EQ(stats.votes, static_cast<std::uint64_t>(kTotal));
        EXPECT_GT(stats.max_batch_seen, 1u);
        EXPECT_LT(stats.batches, static_cast<std::uint64_t>(kTotal));
        EXPECT_LE(stats.max_batch_seen, 1024u);
    }
    EXPECT_EQ(failures.load(), 0);
    for (int n = 0; n < kTotal; ++n) ASSERT_EQ(fired[static_cast<std::size_t>(n)].load(), 1) << n;
    auto s = db_->reactions().state(article_, "");
    ASSERT_TRUE(s);
    for (auto k : kAllKinds) EXPECT_EQ(s->counts[k], kTotal / 4);
}

TEST_F(ReactionServiceTest, BatchesNeverExceedMaxBatch) {
    ReactionService svc(db_->reactions(), {.max_batch = 7});
    std::atomic<int> answered{0};
    for (int n = 0; n < 200; ++n)
        svc.submit({article_, reader(n), ReactionKind::like, true},
                   [&](Result<State>) { ++answered; });
    svc.stop();
    EXPECT_EQ(answered.load(), 200);
    EXPECT_LE(svc.stats().max_batch_seen, 7u);
    EXPECT_GE(svc.stats().batches, 200u / 7);
}

TEST_F(ReactionServiceTest, ToggleOnAndOff) {
    ReactionService svc(db_->reactions());
    const auto me = new_reader_id();
    auto r = vote_sync(svc, {article_, me, ReactionKind::want_more, true});
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->counts[ReactionKind::want_more], 1);
    EXPECT_EQ(r->mine, std::vector<ReactionKind>{ReactionKind::want_more});
    r = vote_sync(svc, {article_, me, ReactionKind::want_more, true});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->counts[ReactionKind::want_more], 1);
    r = vote_sync(svc, {article_, me, ReactionKind::want_more, false});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->counts[ReactionKind::want_more], 0);
    EXPECT_TRUE(r->mine.empty());
    auto s = svc.state(article_, me);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->mine.empty());
    EXPECT_EQ(s->counts.total(), 0);
}

TEST_F(ReactionServiceTest, CallbackRunsOnlyAfterTheVoteIsCommitted) {
    ReactionService svc(db_->reactions());
    std::atomic<int> visible{0}, total{0};
    for (int n = 0; n < 100; ++n) {
        svc.submit({article_, reader(n), ReactionKind::sad, true}, [&, n](Result<State> r) {
            // A read connection sees only committed data.
            auto seen = svc.state(article_, reader(n));
            if (r && seen && seen->mine == std::vector<ReactionKind>{ReactionKind::sad}) ++visible;
            ++total;
        });
    }
    svc.stop();
    EXPECT_EQ(total.load(), 100);
    EXPECT_EQ(visible.load(), 100);
}

TEST_F(ReactionServiceTest, MissingArticleFailsOnlyThatVote) {
    ReactionService svc(db_->reactions());
    auto bad = vote_sync(svc, {article_ + 99, reader(1), ReactionKind::like, true});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, Errc::not_found);
    auto good = vote_sync(svc, {article_, reader(1), ReactionKind::like, true});
    ASSERT_TRUE(good) << good.error().message;
    EXPECT_EQ(good->counts[ReactionKind::like], 1);
}

// around_answers runs once per batch, before that batch's answers, with each stored article
// once; a hook that forgets to call answer_all (or throws) still leaves no vote unanswered.
TEST_F(ReactionServiceTest, AroundAnswersSeesEachBatchOnceAndCannotLoseAnswers) {
    std::mutex mu;
    std::vector<std::vector<std::int64_t>> seen;
    std::atomic<int> answered{0};
    int calls = 0;
    ReactionService::Options o;
    o.around_answers = [&](std::span<const std::int64_t> ids, const std::function<void()>& all) {
        std::lock_guard lock(mu);
        seen.emplace_back(ids.begin(), ids.end());
        if (++calls % 2 == 0) throw std::runtime_error("hook failed");  // and skips answer_all
        if (calls % 3 == 0) return;                                     // skips answer_all
        all();
    };
    ReactionService svc(db_->reactions(), o);
    for (int round = 0; round < 6; ++round) {
        std::promise<void> both;
        std::atomic<int> left{3};
        auto done = [&](Result<State> r) {
            EXPECT_TRUE(r || r.error().code == Errc::not_found);
            ++answered;
            if (--left == 0) both.set_value();
        };
        const int before = answered.load();
        // Queued while the writer is busy or not: one or more batches per round.
        svc.submit({article_, reader(round * 10 + 1), ReactionKind::like, true}, done);
        svc.submit({article_, reader(round * 10 + 2), ReactionKind::sad, true}, done);
        svc.submit({article_ + 99, reader(round * 10 + 3), ReactionKind::sad, true}, done);
        both.get_future().wait();
        EXPECT_EQ(answered.load(), before + 3);
    }
    svc.stop();
    EXPECT_EQ(answered.load(), 18);
    std::lock_guard lock(mu);
    ASSERT_FALSE(seen.empty());
    for (const auto& ids : seen) {
        // Only the stored article, never the missing one, and never twice.
        EXPECT_LE(ids.size(), 1u);
        for (auto id : ids) EXPECT_EQ(id, article_);
    }
    auto st = svc.state(article_, "");
    ASSERT_TRUE(st);
    EXPECT_EQ(st->counts[ReactionKind::like], 6);
    EXPECT_EQ(st->counts[ReactionKind::sad], 6);
}

TEST_F(ReactionServiceTest, MalformedReaderIsRefusedAtOnce) {
    ReactionService svc(db_->reactions());
    std::optional<Result<State>> got;
    svc.submit({article_, "not-a-reader", ReactionKind::like, true},
               [&](Result<State> r) { got = std::move(r); });
    ASSERT_TRUE(got);  // answered synchronously, on this thread
    ASSERT_FALSE(*got);
    EXPECT_EQ(got->error().code, Errc::invalid_input);
    EXPECT_FALSE(svc.state(article_, "NOT-HEX"));
    EXPECT_TRUE(svc.state(article_, ""));
}

TEST_F(ReactionServiceTest, FullQueueAnswersUnavailableImmediately) {
    ReactionService svc(db_->reactions(), {.max_batch = 1024, .max_pending = 5});
    std::promise<void> writer_blocked, release;
    auto release_future = release.get_future().share();
    svc.submit({article_, reader(1000), ReactionKind::like, true}, [&](Result<State>) {
        writer_blocked.set_value();
        release_future.wait();  // hold the writer thread so the queue can only grow
    });
    writer_blocked.get_future().wait();
    std::atomic<int> ok_answers{0};
    for (int n = 0; n < 5; ++n)
        svc.submit({article_, reader(n), ReactionKind::like, true},
                   [&](Result<State> r) { ok_answers += r ? 1 : 0; });
    std::optional<Result<State>> refused;
    svc.submit({article_, reader(6), ReactionKind::like, true},
               [&](Result<State> r) { refused = std::move(r); });
    ASSERT_TRUE(refused);
    ASSERT_FALSE(*refused);
    EXPECT_EQ(refused->error().code, Errc::unavailable);
    release.set_value();
    svc.stop();
    EXPECT_EQ(ok_answers.load(), 5);
    EXPECT_EQ(svc.state(article_, "")->counts[ReactionKind::like], 6);
}

TEST_F(ReactionServiceTest, StopDrainsTheQueueAndIsIdempotent) {
    std::atomic<int> answered{0};
    ReactionService svc(db_->reactions());
    for (int n = 0; n < 500; ++n)
        svc.submit({article_, reader(n), ReactionKind::angry, true},
                   [&](Result<State> r) { answered += r ? 1 : 0; });
    svc.stop();
    EXPECT_EQ(answered.load(), 500);
    svc.stop();
    std::optional<Result<State>> late;
    svc.submit({article_, reader(9999), ReactionKind::angry, true},
               [&](Result<State> r) { late = std::move(r); });
    ASSERT_TRUE(late);
    ASSERT_FALSE(*late);
    EXPECT_EQ(late->error().code, Errc::unavailable);
    EXPECT_EQ(svc.state(article_, "")->counts[ReactionKind::angry], 500);
}

TEST_F(ReactionServiceTest, AThrowingCallbackDoesNotStopTheOthers) {
    ReactionService svc(db_->reactions());
    std::atomic<int> answered{0};
    svc.submit({article_, reader(1), ReactionKind::like, true},
               [](Result<State>) { throw std::runtime_error("handler bug"); });
    svc.submit({article_, reader(2), ReactionKind::like, true}, [&](Result<State>) { ++answered; });
    svc.stop();
    EXPECT_EQ(answered.load(), 1);
}

// Durability: a child process votes and reports each acknowledged vote through a pipe; the
// parent kills it with SIGKILL mid-stream, re-opens the file and finds every acknowledged vote.
TEST_F(ReactionServiceTest, AcknowledgedVotesSurviveKill9) {
    db_.reset();  // no SQLite handle may cross fork()
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const std::string path = (dir_ / "news.db").string();
    const std::int64_t article = article_;
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        auto db = store::open_sqlite({.path = path});
        if (!db) _exit(2);
        ReactionService svc((*db)->reactions());
        std::atomic<std::int64_t> outstanding{0};
        for (std::int64_t n = 0;; ++n) {
            while (outstanding.load() > 4000) std::this_thread::sleep_for(1ms);
            ++outstanding;
            svc.submit({article, reader(static_cast<std::uint64_t>(n)), kAllKinds[n % 4], true},
                       [fd = fds[1], n, &outstanding](Result<State> r) {
                           if (r) (void)!write(fd, &n, sizeof n);
                           --outstanding;
                       });
        }
    }
    close(fds[1]);
    std::set<std::int64_t> acked;
    std::string buf;
    auto read_some = [&]() -> bool {
        char chunk[4096];
        const ssize_t got = read(fds[0], chunk, sizeof chunk);
        if (got <= 0) return false;
        buf.append(chunk, static_cast<std::size_t>(got));
        while (buf.size() >= sizeof(std::int64_t)) {
            std::int64_t n;
            std::memcpy(&n, buf.data(), sizeof n);
            acked.insert(n);
            buf.erase(0, sizeof n);
        }
        return true;
    };
    while (acked.size() < 3000 && read_some()) {
    }
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child ended by itself, status " << status;
    EXPECT_EQ(WTERMSIG(status), SIGKILL);
    while (read_some()) {  // acknowledgements already in the pipe count too
    }
    close(fds[0]);
    ASSERT_GE(acked.size(), 3000u);

    db_ = open();
    ASSERT_TRUE(db_);
    std::size_t missing = 0;
    for (auto n : acked) {
        auto s = db_->reactions().state(article, reader(static_cast<std::uint64_t>(n)));
        ASSERT_TRUE(s) << s.error().message;
        if (s->mine != std::vector<ReactionKind>{kAllKinds[n % 4]}) ++missing;
    }
    EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged votes";
    auto totals = db_->reactions().state(article, "");
    ASSERT_TRUE(totals);
    EXPECT_GE(totals->counts.total(), static_cast<std::int64_t>(acked.size()));
}

}  // namespace
}  // namespace sinmun::reactions
