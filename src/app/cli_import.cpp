#include "app/cli_import.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "core/clock.hpp"
#include "news/import.hpp"
#include "news/portal_export.hpp"
#include "store/stores.hpp"

namespace sinmun::app {
namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "sinmun: error: %s\n", message.c_str());
    return 1;
}

// A one-line bar redrawn in place on a terminal; plain lines, at most one per 1,000 lines read,
// when stderr is a file or pipe (logs stay readable).
class Progress {
public:
    Progress() : tty_(::isatty(::fileno(stderr)) == 1) {}

    void operator()(const news::ImportProgress& p) {
        if (tty_) {
            const int pct =
                p.total_bytes > 0
                    ? static_cast<int>(std::min<std::int64_t>(
                          100, p.bytes * 100 / std::max<std::int64_t>(1, p.total_bytes)))
                    : 0;
            std::string bar(static_cast<std::size_t>(pct / 4), '#');
            bar.resize(25, ' ');
            std::fprintf(stderr, "\r[%s] %3d%%  %lld줄  가져옴 %lld  건너뜀 %lld  거부 %lld",
                         bar.c_str(), pct, static_cast<long long>(p.lines),
                         static_cast<long long>(p.imported), static_cast<long long>(p.skipped),
                         static_cast<long long>(p.rejected));
            std::fflush(stderr);
            drawn_ = true;
        } else if (p.lines - last_lines_ >= 1000) {
            last_lines_ = p.lines;
            std::fprintf(stderr,
                         "import: %lld lines read, %lld imported, %lld skipped, %lld rejected\n",
                         static_cast<long long>(p.lines), static_cast<long long>(p.imported),
                         static_cast<long long>(p.skipped), static_cast<long long>(p.rejected));
        }
    }
    void finish() {
        if (drawn_) std::fputc('\n', stderr);
    }

private:
    bool tty_;
    bool drawn_ = false;
    std::int64_t last_lines_ = 0;
};

}  // namespace

ImportCli::ImportCli(CLI::App& cli, std::string& db, std::string& config_file) {
    import_ = cli.add_subcommand("import",
                                 "Bulk-import articles from a JSON Lines file (one article per "
                                 "line; see docs). Exits 1 if any line was rejected.");
    import_->add_option("FILE", file_, "JSONL file")->required()->check(CLI::ExistingFile);
    import_->add_option("--db", db, "SQLite database file (default var/sinmun.db)");
    import_->add_option("--config", config_file, "TOML configuration file")
        ->check(CLI::ExistingFile);
    import_->add_option("--as", as_email_,
                        "E-mail of the newsroom user recorded as the importer (default: cli)");
    import_->add_option("--batch", batch_, "Lines per transaction (default 200)")
        ->check(CLI::Range(1, 10000));

    export_ = cli.add_subcommand(
        "export-portal",
        "Write the CSV of published articles Korean portals ask for (link, headline, reporters, "
        "time, section) for a KST date range.");
    export_->add_option("--from", from_, "First day, KST, YYYY-MM-DD")->required();
    export_->add_option("--to", to_, "Last day (inclusive), KST, YYYY-MM-DD")->required();
    export_->add_option("--out", out_, "Output file (default: standard output)");
    export_->add_option("--db", db, "SQLite database file (default var/sinmun.db)");
    export_->add_option("--config", config_file, "TOML configuration file")
        ->check(CLI::ExistingFile);
}

bool ImportCli::parsed() const { return import_->parsed() || export_->parsed(); }

int ImportCli::run(const Config& cfg) {
    return import_->parsed() ? run_import(cfg) : run_export(cfg);
}

int ImportCli::run_import(const Config& cfg) {
    auto db = store::open_sqlite({.path = cfg.db_path});
    if (!db) return fail(db.error().message);
    news::ImportOptions options;
    options.batch_size = batch_;
    if (!as_email_.empty()) {
        auto user = (*db)->users().user_by_email(as_email_);
        if (!user) return fail("--as " + as_email_ + ": " + user.error().message);
        options.user_id = user->id;
        options.actor = user->email;
    }
    std::ifstream in(file_, std::ios::binary);
    if (!in) return fail("cannot read " + file_);
    std::error_code ec;
    const auto size = std::filesystem::file_size(file_, ec);
    options.total_bytes = ec ? 0 : static_cast<std::int64_t>(size);
    Progress progress;
    options.progress = [&](const news::ImportProgress& p) { progress(p); };

    auto report = news::import_jsonl(**db, SystemClock::instance(), in, options);
    progress.finish();
    if (!report) return fail(report.error().message);
    std::printf("가져옴 %lld건, 건너뜀 %lld건 (external_id 중복), 거부 %zu건 (%lld줄 읽음)\n",
                static_cast<long long>(report->imported), static_cast<long long>(report->skipped),
                report->rejected.size(), static_cast<long long>(report->lines));
    for (const auto& r : report->rejected)
        std::printf("  %lld번째 줄: %s\n", static_cast<long long>(r.line), r.reason.c_str());
    return report->rejected.empty() ? 0 : 1;
}

int ImportCli::run_export(const Config& cfg) {
    auto db = store::open_sqlite({.path = cfg.db_path, .create_if_missing = false});
    if (!db) return fail(db.error().message);
    auto csv = news::portal_csv(**db, from_, to_);
    if (!csv) return fail(csv.error().message);
    if (out_.empty()) {
        std::fwrite(csv->data(), 1, csv->size(), stdout);
        return 0;
    }
    std::ofstream out(out_, std::ios::binary | std::ios::trunc);
    out.write(csv->data(), static_cast<std::streamsize>(csv->size()));
    out.close();
    if (!out) return fail("cannot write " + out_);
    return 0;
}

}  // namespace sinmun::app
