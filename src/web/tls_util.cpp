#include "web/tls_util.hpp"

#include <openssl/x509_vfy.h>
#include <boost/url/parse.hpp>

namespace sinmun::web {

Result<ParsedUrl> parse_url(std::string_view text,
                            std::initializer_list<std::string_view> schemes) {
    auto u = boost::urls::parse_uri(text);
    if (!u) return make_error(Errc::invalid_input, "not an absolute URL: " + std::string(text));
    ParsedUrl out;
    for (char c : u->scheme()) out.scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    bool allowed = false;
    for (auto s : schemes) allowed = allowed || s == out.scheme;
    if (!allowed)
        return make_error(Errc::invalid_input, "unsupported URL scheme in " + std::string(text));
    out.tls = out.scheme == "wss" || out.scheme == "https";
    out.host = std::string(u->encoded_host());
    if (out.host.empty())
        return make_error(Errc::invalid_input, "URL without host: " + std::string(text));
    if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
        out.host = out.host.substr(1, out.host.size() - 2);
    out.port = u->has_port() ? std::string(u->port()) : (out.tls ? "443" : "80");
    out.target = std::string(u->encoded_path());
    if (out.target.empty()) out.target = "/";
    if (u->has_query()) out.target += "?" + std::string(u->encoded_query());
    return out;
}

Status configure_tls_context(boost::asio::ssl::context& ctx, const std::string& extra_ca_file) {
    boost::system::error_code ec;
    ctx.set_options(boost::asio::ssl::context::default_workarounds |
                        boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                        boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1,
                    ec);
    ctx.set_default_verify_paths(ec);
    if (ec) return make_error(Errc::unavailable, "TLS: no system trust store: " + ec.message());
    if (!extra_ca_file.empty()) {
        ctx.load_verify_file(extra_ca_file, ec);
        if (ec)
            return make_error(Errc::unavailable,
                              "TLS: cannot load CA file " + extra_ca_file + ": " + ec.message());
    }
    ctx.set_verify_mode(boost::asio::ssl::verify_peer);
    return ok();
}

Status check_ca_file(const std::string& extra_ca_file) {
    if (extra_ca_file.empty()) return ok();
    X509_STORE* store = X509_STORE_new();
    const bool loaded = store && X509_STORE_load_file(store, extra_ca_file.c_str()) == 1;
    const bool any = loaded && sk_X509_OBJECT_num(X509_STORE_get0_objects(store)) > 0;
    X509_STORE_free(store);
    if (!any)
        return make_error(Errc::unavailable,
                          "TLS: cannot load CA file " + extra_ca_file + ": no certificate read");
    return ok();
}

}  // namespace sinmun::web
