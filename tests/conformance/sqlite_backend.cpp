// The SQLite back end for the conformance suite: a database file in a fresh temp directory.
#include <filesystem>
#include <fstream>
#include <random>

#include "backend.hpp"

namespace sinmun::store::conformance {
namespace {

namespace fs = std::filesystem;

class SqliteBackend final : public Backend {
public:
    SqliteBackend() {
        std::random_device rd;
        dir_ = fs::temp_directory_path() /
               ("sinmun-conformance-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(dir_);
    }
    ~SqliteBackend() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    Result<std::unique_ptr<Database>> open() override {
        return open_sqlite({.path = (dir_ / "sinmun.db").string()});
    }

    std::pair<Result<std::unique_ptr<Database>>, std::string> open_not_a_database() override {
        const std::string path = (dir_ / "기사목록.txt").string();
        {
            std::ofstream out(path, std::ios::binary);
            out << "이것은 데이터베이스가 아닙니다. This is a plain text file, not SQLite.\n";
            for (int i = 0; i < 200; ++i) out << "padding line " << i << '\n';
        }
        return {open_sqlite({.path = path}), path};
    }

private:
    fs::path dir_;
};

}  // namespace

std::vector<BackendFactory> all_backends() {
    return {{"sqlite", [] { return std::make_unique<SqliteBackend>(); }}};
}

}  // namespace sinmun::store::conformance
