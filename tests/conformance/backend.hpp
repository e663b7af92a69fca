// The hook that lets one conformance suite run on every store back end.
//
// A back end provides a factory for a fresh, empty database location; the suite opens it (more
// than once, to test durability across re-opening) through the plain store::Database interface.
// To add PostgreSQL later: implement Backend over a scratch database and list it in
// all_backends().
// Thread-safety: a Backend is used by one test at a time.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "store/stores.hpp"

namespace sinmun::store::conformance {

class Backend {
public:
    virtual ~Backend() = default;
    // Opens this back end's database; the first open finds it empty (and migrates it).
    virtual Result<std::unique_ptr<Database>> open() = 0;
    // Tries to open a location holding something that is not a database; returns the result and
    // the name of that location, which the error message must mention.
    virtual std::pair<Result<std::unique_ptr<Database>>, std::string> open_not_a_database() = 0;
};

struct BackendFactory {
    std::string name;  // a gtest parameter name: letters and digits
    std::function<std::unique_ptr<Backend>()> make;
};

// Shown by gtest instead of the struct's raw bytes.
inline void PrintTo(const BackendFactory& f, std::ostream* os) { *os << f.name; }

// Every back end compiled into this test binary.
std::vector<BackendFactory> all_backends();

}  // namespace sinmun::store::conformance
