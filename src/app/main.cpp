// sinmun: the command-line entry point. Parses flags, loads config, dispatches subcommands.
// Start-up errors are one line on stderr naming the problem, and a non-zero exit code.
#include "app/cli_import.hpp"
#include "app/cli_quotes.hpp"
#include "app/cli_search.hpp"
#include "app/cli_users.hpp"
#include "app/config.hpp"
#include "app/site.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

namespace {

int fail(const std::string& message) {
    std::fprintf(stderr, "sinmun: error: %s\n", message.c_str());
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    using sinmun::app::Config;
    CLI::App cli{
        "Sinmun (신문): a Korean online-newspaper engine.\n"
        "One binary serves the site from an embedded SQLite file.",
        "sinmun"};
    cli.set_version_flag("--version", "sinmun 0.1.0");
    cli.require_subcommand(1);
    cli.footer(
        "\nExamples:\n"
        "  sinmun serve --demo                      demo site at http://127.0.0.1:8080 "
        "(var/demo.db)\n"
        "  sinmun serve --db var/sinmun.db --listen 0.0.0.0:8080 --config sinmun.toml\n"
        "  sinmun migrate --db var/sinmun.db\n"
        "  sinmun user add --email kim@example.com --name 김서연 --role editor   (asks for a "
        "password)\n"
        "  sinmun token create --email wire@example.com --name '연합 와이어'\n"
        "  sinmun import wire.jsonl --as desk@example.com\n"
        "  sinmun export-portal --from 2026-03-01 --to 2026-03-31 --out portal.csv\n"
        "  sinmun reindex --db var/sinmun.db\n"
        "\nRun 'sinmun SUBCOMMAND --help' for a subcommand's options.");
    cli.fallthrough(false);

    Config cfg;
    std::string config_file, listen, db;
    bool demo = false;
    int threads = -1;

    auto* serve = cli.add_subcommand("serve", "Run the web server.");
    serve->add_flag("--demo", demo,
                    "Seed a fresh demo database (default var/demo.db) with demo articles and run "
                    "the demo market "
                    "simulator. Refuses to touch a database that is not a demo database.");
    serve->add_option("--db", db,
                      "SQLite database file (default var/sinmun.db; var/demo.db with --demo)");
    serve->add_option("--listen", listen,
                      "Address to listen on, HOST:PORT (default 127.0.0.1:8080)");
    serve
        ->add_option("--config", config_file,
                     "TOML configuration file (see config/sinmun.example.toml)")
        ->check(CLI::ExistingFile);
    serve->add_option("--threads", threads, "I/O threads (default: one per core)")
        ->check(CLI::Range(1, 256));
    std::string crypto_feed, crypto_rest, crypto_ca;
    int stale_after = 0;
    serve->add_option("--crypto-feed", crypto_feed,
                      "Live crypto feed: Upbit WebSocket URL (wss://api.upbit.com/websocket/v1)");
    serve->add_option(
        "--crypto-rest", crypto_rest,
        "Base URL of the feed's REST API for candle backfill (https://api.upbit.com)");
    serve
        ->add_option("--crypto-ca", crypto_ca,
                     "PEM file of extra CA certificates trusted for the feed's wss:// and https:// "
                     "(besides the system store)")
        ->check(CLI::ExistingFile);
    serve
        ->add_option("--stale-after", stale_after,
                     "Seconds without an update before a price is shown as 지연 (default 30)")
        ->check(CLI::Range(1, 86400));

    auto* migrate =
        cli.add_subcommand("migrate", "Create or upgrade the database schema, then exit.");
    migrate->add_option("--db", db, "SQLite database file (default var/sinmun.db)");
    migrate->add_option("--config", config_file, "TOML configuration file")
        ->check(CLI::ExistingFile);

    auto* reindex = cli.add_subcommand(
        "reindex", "Rebuild the full-text search index from the articles, then exit.");
    reindex->add_option("--db", db, "SQLite database file (default var/sinmun.db)");
    reindex->add_option("--config", config_file, "TOML configuration file")
        ->check(CLI::ExistingFile);

    sinmun::app::UsersCli users_cli(cli, db, config_file);    // `user …` and `token …`
    sinmun::app::ImportCli import_cli(cli, db, config_file);  // `import`, `export-portal`

    std::string quotes_file, quotes_date;
    auto* import_quotes = cli.add_subcommand(
        "import-quotes",
        "Import KOSPI/KOSDAQ end-of-day quotes (data.go.kr 주식시세정보 or KRX CSV/JSON; UTF-8 or "
        "CP949) for 오늘의 상승종목.");
    import_quotes->add_option("FILE", quotes_file, "CSV or JSON quote file")
        ->required()
        ->check(CLI::ExistingFile);
    import_quotes->add_option("--db", db, "SQLite database file (default var/sinmun.db)");
    import_quotes->add_option("--date", quotes_date,
                              "Trading day YYYY-MM-DD for files without a date column (KRX site "
                              "CSV)");
    import_quotes->add_option("--config", config_file, "TOML configuration file")
        ->check(CLI::ExistingFile);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return cli.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return cli.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "sinmun: error: %s (see 'sinmun --help')\n", e.what());
        return 2;
    }

    if (!config_file.empty()) {
        if (auto s = sinmun::app::load_config_file(config_file, cfg); !s)
            return fail(s.error().message);
    }
    if (!listen.empty()) {
        if (auto s = sinmun::app::parse_listen(listen, cfg.host, cfg.port); !s)
            return fail("--listen: " + s.error().message);
    }
    if (threads > 0) cfg.threads = threads;
    if (!crypto_feed.empty()) cfg.crypto_feed = crypto_feed;
    if (!crypto_rest.empty()) cfg.crypto_rest = crypto_rest;
    if (!crypto_ca.empty()) cfg.crypto_ca_file = crypto_ca;
    if (stale_after > 0) cfg.stale_after_s = stale_after;
    cfg.demo = demo;
    if (!db.empty()) cfg.db_path = db;
    if (cfg.db_path.empty()) cfg.db_path = demo ? "var/demo.db" : "var/sinmun.db";
    sinmun::app::resolve_resource_dirs(cfg, argv[0]);

    if (migrate->parsed()) return sinmun::app::run_migrate(cfg);
    if (reindex->parsed()) return sinmun::app::run_reindex(cfg);
    if (import_quotes->parsed())
        return sinmun::app::run_import_quotes(cfg, quotes_file, quotes_date);
    if (users_cli.parsed()) return users_cli.run(cfg);
    if (import_cli.parsed()) return import_cli.run(cfg);
    return sinmun::app::run_serve(cfg);
}
