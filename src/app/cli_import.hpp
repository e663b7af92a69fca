// The operator's CLI for moving articles in and out: `sinmun import FILE.jsonl` (bulk import with
// a progress bar and a summary of what was imported, skipped or rejected, and why) and
// `sinmun export-portal --from YYYY-MM-DD --to YYYY-MM-DD` (the CSV Korean portals ask for).
// The work is done by news::import_jsonl and news::portal_csv; this is the terminal around them.
// Exit codes: 0 success; 1 an error (one line on stderr) or, for import, any rejected line.
// Thread-safety: used from main() only.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "app/config.hpp"

namespace sinmun::app {

class ImportCli {
public:
    // Adds the `import` and `export-portal` subcommands to `cli`; their --db and --config options
    // write into `db` and `config_file` (which main() applies to the Config).
    ImportCli(CLI::App& cli, std::string& db, std::string& config_file);

    bool parsed() const;
    int run(const Config& cfg);

private:
    int run_import(const Config& cfg);
    int run_export(const Config& cfg);

    CLI::App* import_ = nullptr;
    CLI::App* export_ = nullptr;
    std::string file_, as_email_, from_, to_, out_;
    int batch_ = 200;
};

}  // namespace sinmun::app
