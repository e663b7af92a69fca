// Internal to web/'s clients (ws_client.cpp, https_client.cpp): URL splitting and the TLS set-up
// every outgoing connection uses (system trust store, SNI, host-name verification).
// Includes Asio's SSL headers: include it only from .cpp files in web/.
// Thread-safety: pure functions; a context is configured once before use.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace sinmun::web {

struct ParsedUrl {
    std::string scheme;  // lower case
    bool tls = false;
    std::string host;
    std::string port;    // explicit or the scheme's default
    std::string target;  // path and query, "/" at least
};

// Parses an absolute URL whose scheme is one of `schemes` (ws, wss, http, https).
Result<ParsedUrl> parse_url(std::string_view url, std::initializer_list<std::string_view> schemes);

// TLS 1.2+, peer verification against the system's default trust store and, when
// extra_ca_file is not empty, the PEM certificates in that file as well (an operator's private CA,
// or the test CA). Error unavailable naming the file when it cannot be read or holds no
// certificate.
// Loading the system trust store parses every certificate in it (~10 ms of CPU per context), so
// clients configure their context on first connection, on their own thread, not at start-up.
Status configure_tls_context(boost::asio::ssl::context& ctx, const std::string& extra_ca_file = {});

// The start-up check of an operator's CA file: reads only that file. Ok for an empty path; Error
// unavailable naming the file when it cannot be read or holds no certificate.
Status check_ca_file(const std::string& extra_ca_file);

// SNI and host-name verification for one connection.
template <class Stream>
Status prepare_tls(boost::asio::ssl::stream<Stream>& s, const std::string& host) {
    if (!SSL_set_tlsext_host_name(s.native_handle(), host.c_str()))
        return make_error(Errc::unavailable, "TLS: cannot set SNI host name " + host);
    s.set_verify_mode(boost::asio::ssl::verify_peer);
    s.set_verify_callback(boost::asio::ssl::host_name_verification(host));
    return ok();
}

}  // namespace sinmun::web
