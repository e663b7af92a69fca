// Result<T>: the value-or-error type every module returns for expected failures.
//
// One error enum for the whole program, each value carrying a message a person can act on.
// web/ maps Errc to HTTP statuses in exactly one place (web/errors.cpp). Store back ends
// translate driver codes at their border, so nothing above store/ sees SQLite codes.
// Thread-safety: plain values.
#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace sinmun {

enum class Errc {
    not_found = 1,
    invalid_input,
    conflict,
    unauthorized,
    forbidden,
    too_large,
    rate_limited,
    unavailable,
    internal,
};

std::string_view to_string(Errc code) noexcept;

struct Error {
    Errc code = Errc::internal;
    std::string message;
};

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

// Thrown only by Result<T>::value() on an error: a programming mistake, not control flow.
class ErrorException : public std::exception {
public:
    explicit ErrorException(Error e) : error_(std::move(e)) {}
    const char* what() const noexcept override { return error_.message.c_str(); }
    const Error& error() const noexcept { return error_; }

private:
    Error error_;
};

// Found by ADL from boost::system::result<T, Error>::value().
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

using Status = boost::system::result<void, Error>;

inline Status ok() { return {}; }

}  // namespace sinmun
