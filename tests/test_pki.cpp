#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "lwc/hub/pki.h"
#include "temp_dir.h"

using lwc::Code;
using lwc::hub::generate_dev_pki;
using lwc::hub::PkiFiles;
using lwc::test::TempDir;

namespace {

template <auto kFree>
struct OpensslDeleter {
  template <typename T>
  void operator()(T* p) const {
    kFree(p);
  }
};
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO_free_all>>;
using StorePtr = std::unique_ptr<X509_STORE, OpensslDeleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpensslDeleter<X509_STORE_CTX_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpensslDeleter<GENERAL_NAMES_free>>;
using BasicConstraintsPtr =
    std::unique_ptr<BASIC_CONSTRAINTS, OpensslDeleter<BASIC_CONSTRAINTS_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpensslDeleter<BN_free>>;

X509Ptr load_cert(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  REQUIRE(bio);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  REQUIRE(cert);
  return cert;
}

PkeyPtr load_key(const std::string& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  REQUIRE(bio);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  REQUIRE(key);
  return key;
}

PkiFiles generate(const TempDir& dir,
                  const std::vector<std::string>& hosts = {"127.0.0.1", "localhost"}) {
  PkiFiles files;
  auto st = generate_dev_pki(dir.path().string(), hosts, 30, &files);
  INFO(st.to_string());
  REQUIRE(st.ok());
  return files;
}

// X509_verify_cert of `leaf` against the single trusted `ca`, as a TLS client checking a server.
// `host` / `ip`, when given, must match the leaf's subjectAltName. Returns the X509_V_* result.
int verify(X509* ca, X509* leaf, const char* host = nullptr, const char* ip = nullptr) {
  StorePtr store(X509_STORE_new());
  REQUIRE(store);
  REQUIRE(X509_STORE_add_cert(store.get(), ca) == 1);
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  REQUIRE(ctx);
  REQUIRE(X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr) == 1);
  REQUIRE(X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER) == 1);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  if (host) REQUIRE(X509_VERIFY_PARAM_set1_host(param, host, 0) == 1);
  if (ip) REQUIRE(X509_VERIFY_PARAM_set1_ip_asc(param, ip) == 1);
  int rc = X509_verify_cert(ctx.get());
  int err = X509_STORE_CTX_get_error(ctx.get());
  INFO(X509_verify_cert_error_string(err));
  CHECK((rc == 1) == (err == X509_V_OK));
  return err;
}

// subjectAltName entries as "DNS:name" / "IP:a.b.c.d" (IPv4) / "IP6:<16 bytes>" strings.
std::set<std::string> subject_alt_names(X509* cert) {
  GeneralNamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  REQUIRE(names);
  std::set<std::string> out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* s = name->d.dNSName;
      out.insert("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                      ASN1_STRING_length(s)));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* s = name->d.iPAddress;
      const unsigned char* b = ASN1_STRING_get0_data(s);
      if (ASN1_STRING_length(s) == 4) {
        out.insert("IP:" + std::to_string(b[0]) + "." + std::to_string(b[1]) + "." +
                   std::to_string(b[2]) + "." + std::to_string(b[3]));
      } else {
        out.insert("IP6:" + std::string(reinterpret_cast<const char*>(b), ASN1_STRING_length(s)));
      }
    } else {
      out.insert("other");
    }
  }
  return out;
}

std::string subject_entry(X509* cert, int nid) {
  char buf[256] = {};
  REQUIRE(X509_NAME_get_text_by_NID(X509_get_subject_name(cert), nid, buf, sizeof buf) > 0);
  return buf;
}

mode_t file_mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::set<std::string> dir_entries(const TempDir& dir) {
  std::set<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    names.insert(e.path().filename().string());
  }
  return names;
}

}  // namespace

TEST_CASE("pki: writes four files and returns their absolute paths", "[pki]") {
  TempDir dir;
  PkiFiles files = generate(dir);
  CHECK(files.ca_cert == dir.file("ca.pem"));
  CHECK(files.server_cert == dir.file("server.pem"));
  CHECK(files.server_key == dir.file("server.key"));
  CHECK(std::filesystem::path(files.ca_cert).is_absolute());
  // No temporary files are left behind.
  CHECK(dir_entries(dir) == std::set<std::string>{"ca.key", "ca.pem", "server.key", "server.pem"});
}

TEST_CASE("pki: the server certificate verifies against the CA as a TLS server", "[pki]") {
  TempDir dir;
  PkiFiles files = generate(dir);
  X509Ptr ca = load_cert(files.ca_cert);
  X509Ptr server = load_cert(files.server_cert);
  CHECK(verify(ca.get(), server.get()) == X509_V_OK);
  CHECK(verify(ca.get(), server.get(), "localhost") == X509_V_OK);
  CHECK(verify(ca.get(), server.get(), nullptr, "127.0.0.1") == X509_V_OK);
  // ...and the checks can fail: a name or address not in the SAN, or a different CA.
  CHECK(verify(ca.get(), server.get(), "example.com") == X509_V_ERR_HOSTNAME_MISMATCH);
  CHECK(verify(ca.get(), server.get(), nullptr, "10.0.0.1") == X509_V_ERR_IP_ADDRESS_MISMATCH);
  TempDir other_dir;
  X509Ptr other_ca = load_cert(generate(other_dir).ca_cert);
  CHECK(verify(other_ca.get(), server.get()) != X509_V_OK);
}

TEST_CASE("pki: subjectAltName holds every host as IP or DNS", "[pki]") {
  TempDir dir;
  PkiFiles files =
      generate(dir, {"127.0.0.1", "localhost", "hub.lampang.example", "::1", "192.168.1.20"});
  X509Ptr server = load_cert(files.server_cert);
  const std::string ipv6_loopback("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16);
  CHECK(subject_alt_names(server.get()) ==
        std::set<std::string>{"IP:127.0.0.1", "DNS:localhost", "DNS:hub.lampang.example",
                              "IP6:" + ipv6_loopback, "IP:192.168.1.20"});
}

TEST_CASE("pki: each key matches its certificate and is EC P-256", "[pki]") {
  TempDir dir;
  PkiFiles files = generate(dir);
  X509Ptr ca = load_cert(files.ca_cert);
  X509Ptr server = load_cert(files.server_cert);
  PkeyPtr ca_key = load_key(dir.file("ca.key"));
  PkeyPtr server_key = load_key(files.server_key);
  CHECK(X509_check_private_key(server.get(), server_key.get()) == 1);
  CHECK(X509_check_private_key(ca.get(), ca_key.get()) == 1);
  CHECK(X509_check_private_key(server.get(), ca_key.get()) != 1);
  ERR_clear_error();
  for (EVP_PKEY* key : {ca_key.get(), server_key.get()}) {
    CHECK(EVP_PKEY_is_a(key, "EC"));
    char group[64] = {};
    REQUIRE(EVP_PKEY_get_group_name(key, group, sizeof group, nullptr) == 1);
    CHECK(std::string(group) == "prime256v1");
  }
}

TEST_CASE("pki: key files have mode 0600", "[pki]") {
  TempDir dir;
  PkiFiles files = generate(dir);
  CHECK(file_mode(files.server_key) == 0600);
  CHECK(file_mode(dir.file("ca.key")) == 0600);
  // Regenerating over existing files keeps that.
  generate(dir);
  CHECK(file_mode(files.server_key) == 0600);
  CHECK(file_mode(dir.file("ca.key")) == 0600);
}

TEST_CASE("pki: CA and server extensions, names and validity", "[pki]") {
  TempDir dir;
  PkiFiles files = generate(dir);
  X509Ptr ca = load_cert(files.ca_cert);
  X509Ptr server = load_cert(files.server_cert);

  CHECK(subject_entry(ca.get(), NID_commonName) == "LWC development CA");
  CHECK(subject_entry(server.get(), NID_commonName) == "LWC hub");
  CHECK(subject_entry(ca.get(), NID_organizationName) == "Lampang Warning Center");
  CHECK(subject_entry(server.get(), NID_organizationName) == "Lampang Warning Center");
  CHECK(X509_check_issued(ca.get(), ca.get()) == X509_V_OK);  // self-signed
  CHECK(X509_check_issued(ca.get(), server.get()) == X509_V_OK);

  BasicConstraintsPtr ca_bc(static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(ca.get(), NID_basic_constraints, nullptr, nullptr)));
  REQUIRE(ca_bc);
  CHECK(ca_bc->ca != 0);
  BasicConstraintsPtr server_bc(static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(server.get(), NID_basic_constraints, nullptr, nullptr)));
  REQUIRE(server_bc);
  CHECK(server_bc->ca == 0);

  CHECK(X509_get_key_usage(ca.get()) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  CHECK(X509_get_key_usage(server.get()) == KU_DIGITAL_SIGNATURE);
  CHECK(X509_get_extended_key_usage(server.get()) == XKU_SSL_SERVER);

  // Valid now, until `days` (30) from the moment of generation (a few seconds ago at most).
  for (X509* cert : {ca.get(), server.get()}) {
    CHECK(X509_cmp_current_time(X509_get0_notBefore(cert)) < 0);
    int day = 0, sec = 0;
    REQUIRE(ASN1_TIME_diff(&day, &sec, nullptr, X509_get0_notAfter(cert)) == 1);
    const long left = day * 86400L + sec;
    CHECK(left <= 30 * 86400L);
    CHECK(left > 30 * 86400L - 600);
  }
}

TEST_CASE("pki: a server certificate is valid at most 397 days, as browsers require", "[pki]") {
  TempDir dir;
  PkiFiles files;
  REQUIRE(generate_dev_pki(dir.path().string(), {"localhost"}, 825, &files).ok());
  auto left_days = [](const std::string& path) {
    X509Ptr cert = load_cert(path);
    int day = 0, sec = 0;
    REQUIRE(ASN1_TIME_diff(&day, &sec, nullptr, X509_get0_notAfter(cert.get())) == 1);
    return day + (sec > 0 ? 1 : 0);
  };
  CHECK(left_days(files.server_cert) <= 397);
  CHECK(left_days(files.server_cert) >= 396);
  CHECK(left_days(files.ca_cert) >= 824);  // the CA, pinned by the clients, keeps its validity
}

TEST_CASE("pki: serial numbers are random 128-bit values", "[pki]") {
  TempDir dir;
  std::set<std::string> serials;
  for (int i = 0; i < 2; ++i) {
    PkiFiles files = generate(dir);
    for (const std::string& path : {files.ca_cert, files.server_cert}) {
      X509Ptr cert = load_cert(path);
      BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.get()), nullptr));
      REQUIRE(bn);
      CHECK(BN_num_bits(bn.get()) == 128);
      char* hex = BN_bn2hex(bn.get());
      serials.insert(hex);
      OPENSSL_free(hex);
    }
  }
  CHECK(serials.size() == 4);
}

TEST_CASE("pki: a missing directory is an I/O error and creates nothing", "[pki]") {
  TempDir dir;
  const std::string missing = dir.file("no/such/dir");
  PkiFiles files{"unchanged", "", ""};
  auto st = generate_dev_pki(missing, {"127.0.0.1"}, 30, &files);
  CHECK_FALSE(st.ok());
  CHECK(st.code() == Code::kIo);
  CHECK(st.message().find("does not exist") != std::string::npos);
  CHECK(files.ca_cert == "unchanged");
  CHECK(dir_entries(dir).empty());
}

TEST_CASE("pki: a path that is a file, not a directory, is an I/O error", "[pki]") {
  TempDir dir;
  PkiFiles files;
  generate(dir);
  auto st = generate_dev_pki(dir.file("ca.pem"), {"localhost"}, 30, &files);
  CHECK(st.code() == Code::kIo);
}

TEST_CASE("pki: bad arguments are rejected before anything is written", "[pki]") {
  TempDir dir;
  const std::string d = dir.path().string();
  PkiFiles files;
  CHECK(generate_dev_pki(d, {}, 30, &files).code() == Code::kInvalidArgument);
  CHECK(generate_dev_pki(d, {"localhost"}, 0, &files).code() == Code::kInvalidArgument);
  CHECK(generate_dev_pki(d, {"localhost"}, -5, &files).code() == Code::kInvalidArgument);
  CHECK(generate_dev_pki(d, {"localhost"}, 30, nullptr).code() == Code::kInvalidArgument);
  CHECK(generate_dev_pki("", {"localhost"}, 30, &files).code() == Code::kInvalidArgument);
  for (const char* bad : {"", "a,DNS:evil.example", "1.2.3.4:443", "[::1]", "1.2.3", "10.0.0.256",
                          "-bad.example", "host.", "two words", "under_score"}) {
    INFO(bad);
    CHECK(generate_dev_pki(d, {"localhost", bad}, 30, &files).code() == Code::kInvalidArgument);
  }
  CHECK(dir_entries(dir).empty());
}

// The two tests below inject disk faults by putting a directory where a file must go; this works
// even as root (unlike a read-only directory). The first relies on the temporary-file name
// ".<name>.tmp" used by pki.cpp.
TEST_CASE("pki: a write failure leaves no files behind", "[pki]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / ".server.pem.tmp" / "blocker");
  PkiFiles files;
  auto st = generate_dev_pki(dir.path().string(), {"localhost"}, 30, &files);
  CHECK(st.code() == Code::kIo);
  CHECK(st.message().find(".server.pem.tmp") != std::string::npos);
  CHECK(dir_entries(dir) == std::set<std::string>{".server.pem.tmp"});
}

TEST_CASE("pki: a rename failure part-way says which files were already replaced", "[pki]") {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "server.pem" / "blocker");
  PkiFiles files;
  auto st = generate_dev_pki(dir.path().string(), {"localhost"}, 30, &files);
  CHECK(st.code() == Code::kIo);
  INFO(st.message());
  CHECK(st.message().find("already replaced: ca.key ca.pem server.key") != std::string::npos);
  CHECK(dir_entries(dir) == std::set<std::string>{"ca.key", "ca.pem", "server.key", "server.pem"});
}
