#include "core/result.hpp"

namespace sinmun {

std::string_view to_string(Errc code) noexcept {
    switch (code) {
        case Errc::not_found:
            return "not_found";
        case Errc::invalid_input:
            return "invalid_input";
        case Errc::conflict:
            return "conflict";
        case Errc::unauthorized:
            return "unauthorized";
        case Errc::forbidden:
            return "forbidden";
        case Errc::too_large:
            return "too_large";
        case Errc::rate_limited:
            return "rate_limited";
        case Errc::unavailable:
            return "unavailable";
        case Errc::internal:
            return "internal";
    }
    return "internal";
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw ErrorException(e);
}

}  // namespace sinmun
