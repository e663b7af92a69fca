#include "test_pki.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>

namespace sinmun::testing {

namespace {

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "test_pki: %s failed\n", what);
    std::abort();
}

EVP_PKEY* new_key() {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    if (!key) die("EVP_EC_gen");
    return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) die("X509V3_EXT_conf_nid");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

X509* new_cert(EVP_PKEY* key, const std::string& cn, long serial) {
    X509* cert = X509_new();
    if (!cert) die("X509_new");
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("Sinmun tests"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    return cert;
}

void write_files(X509* cert, EVP_PKEY* key, const CertFiles& files) {
    FILE* c = std::fopen(files.cert_pem.c_str(), "w");
    if (!c || !PEM_write_X509(c, cert)) die("PEM_write_X509");
    std::fclose(c);
    FILE* k = std::fopen(files.key_pem.c_str(), "w");
    if (!k || !PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr))
        die("PEM_write_PrivateKey");
    std::fclose(k);
}

}  // namespace

struct TestCa::Impl {
    EVP_PKEY* key = nullptr;
    X509* cert = nullptr;
    long next_serial = 2;
};

TestCa::TestCa(const std::string& dir, const std::string& name) : impl_(new Impl), dir_(dir) {
    impl_->key = new_key();
    impl_->cert = new_cert(impl_->key, name + " test CA", 1);
    X509_set_issuer_name(impl_->cert, X509_get_subject_name(impl_->cert));
    add_ext(impl_->cert, impl_->cert, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(impl_->cert, impl_->cert, NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(impl_->cert, impl_->cert, NID_subject_key_identifier, "hash");
    if (!X509_sign(impl_->cert, impl_->key, EVP_sha256())) die("X509_sign (CA)");
    files_ = {dir + "/" + name + "-ca.pem", dir + "/" + name + "-ca.key"};
    write_files(impl_->cert, impl_->key, files_);
}

TestCa::~TestCa() {
    X509_free(impl_->cert);
    EVP_PKEY_free(impl_->key);
    delete impl_;
}

CertFiles TestCa::issue(const std::string& file_stem, const std::vector<std::string>& sans) {
    EVP_PKEY* key = new_key();
    X509* cert =
        new_cert(key, sans.empty() ? file_stem : sans.front().substr(sans.front().find(':') + 1),
                 impl_->next_serial++);
    X509_set_issuer_name(cert, X509_get_subject_name(impl_->cert));
    std::string san;
    for (const auto& s : sans) san += (san.empty() ? "" : ",") + s;
    add_ext(cert, impl_->cert, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert, impl_->cert, NID_key_usage, "critical,digitalSignature");
    add_ext(cert, impl_->cert, NID_ext_key_usage, "serverAuth");
    add_ext(cert, impl_->cert, NID_authority_key_identifier, "keyid:always");
    if (!san.empty()) add_ext(cert, impl_->cert, NID_subject_alt_name, san);
    if (!X509_sign(cert, impl_->key, EVP_sha256())) die("X509_sign");
    CertFiles files{dir_ + "/" + file_stem + ".pem", dir_ + "/" + file_stem + ".key"};
    write_files(cert, key, files);
    X509_free(cert);
    EVP_PKEY_free(key);
    return files;
}

}  // namespace sinmun::testing
