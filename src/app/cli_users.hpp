// The operator's CLI for newsroom identities: `sinmun user add|passwd|disable|enable|role|list`
// and `sinmun token create|list|revoke`, over auth::AuthService on the configured database.
//
// Passwords never come from argv (they would show in `ps` and shell history): from the terminal
// with echo off, asked twice, when stdin is a TTY; otherwise one line from stdin.
// Errors are one line "sinmun: error: …" on stderr and a non-zero exit code.
// Thread-safety: used from main() only.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "app/config.hpp"

namespace sinmun::app {

class UsersCli {
public:
    // Adds the `user` and `token` subcommands to `cli`; their --db and --config options write
    // into `db` and `config_file` (the variables main() already applies to the Config).
    UsersCli(CLI::App& cli, std::string& db, std::string& config_file);

    // Whether one of this CLI's subcommands was given on the command line.
    bool parsed() const;

    // Runs the parsed subcommand against cfg.db_path; returns the process exit code.
    int run(const Config& cfg);

private:
    CLI::App* user_ = nullptr;
    CLI::App* token_ = nullptr;
    std::string email_, name_, role_, token_name_;
    long long token_id_ = 0;
};

}  // namespace sinmun::app
