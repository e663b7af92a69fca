// A throw-away public-key infrastructure for TLS tests, made at test time with the OpenSSL API
// (no private key is ever committed): a CA, and server certificates it (or another CA) signs for
// the names a test chooses. Keys are ECDSA P-256, certificates X.509 v3 valid for one day.
// Thread-safety: none needed (build the PKI on one thread, then only read the PEM files).
#pragma once

#include <string>
#include <vector>

namespace sinmun::testing {

// PEM files of one certificate and its private key.
struct CertFiles {
    std::string cert_pem;  // path
    std::string key_pem;   // path
};

class TestCa {
public:
    // Creates a self-signed CA named `common_name`; its files land in `dir` as <name>-ca.pem and
    // <name>-ca.key. Aborts the test binary (std::abort) if OpenSSL fails: nothing to test then.
    TestCa(const std::string& dir, const std::string& name);
    ~TestCa();
    TestCa(const TestCa&) = delete;
    TestCa& operator=(const TestCa&) = delete;

    const std::string& cert_pem() const { return files_.cert_pem; }

    // Issues a server certificate (serverAuth) for `sans`, each "DNS:name" or "IP:address",
    // written to dir/<file_stem>.pem and .key.
    CertFiles issue(const std::string& file_stem, const std::vector<std::string>& sans);

private:
    struct Impl;
    Impl* impl_;
    std::string dir_;
    CertFiles files_;
};

}  // namespace sinmun::testing
