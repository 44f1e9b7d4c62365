// Development PKI generation with the OpenSSL 3 C API; the contract is in lwc/hub/pki.h.
//
// Everything is built in memory first (keys, certificates, PEM text); only then are the four files
// written to hidden temporary names in `dir` and renamed into place, so an OpenSSL or disk failure
// before the renames leaves `dir` as it was.
#include "lwc/hub/pki.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <utility>

namespace lwc::hub {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxDays = 36500;
// Browsers refuse a TLS server certificate valid longer than 397 days (CA/Browser Forum).
constexpr int kMaxServerDays = 397;
// notBefore is set this far in the past so that a client whose clock is slightly behind the hub's
// still accepts a freshly generated certificate.
constexpr long kBackdateSeconds = 60 * 60;
constexpr int kSerialBits = 128;
constexpr const char* kOrganization = "Lampang Warning Center";
constexpr const char* kCaCommonName = "LWC development CA";
constexpr const char* kServerCommonName = "LWC hub";

// unique_ptr deleter calling an OpenSSL free function.
template <auto kFree>
struct OpensslDeleter {
  template <typename T>
  void operator()(T* p) const { kFree(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpensslDeleter<BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpensslDeleter<X509_EXTENSION_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpensslDeleter<GENERAL_NAMES_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, OpensslDeleter<GENERAL_NAME_free>>;
using OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, OpensslDeleter<ASN1_OCTET_STRING_free>>;
using Ia5StringPtr = std::unique_ptr<ASN1_IA5STRING, OpensslDeleter<ASN1_IA5STRING_free>>;

// Closes a POSIX file descriptor; -1 means none.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { if (fd_ >= 0) ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now and reports close()'s result (0 or -1 with errno set).
  int close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// Drains this thread's OpenSSL error queue into one readable line.
std::string drain_openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "no detail from OpenSSL" : out;
}

Status openssl_error(const std::string& what) {
  return Status(Code::kIo, "dev PKI: " + what + " failed: " + drain_openssl_errors());
}

Status errno_error(const std::string& what, const fs::path& path) {
  return Status(Code::kIo, "dev PKI: " + what + " " + path.string() + ": " + std::strerror(errno));
}

// ---- host names -------------------------------------------------------------------------------

// The IP address `host` in network byte order (4 or 16 bytes), or "" if it is not an IP literal.
// inet_pton is strict: "1.2.3.4x", " 1.2.3.4" and "1.2.3" are not addresses.
std::string parse_ip(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  if (::inet_pton(AF_INET, host.c_str(), buf) == 1) return std::string(buf, buf + 4);
  if (::inet_pton(AF_INET6, host.c_str(), buf) == 1) return std::string(buf, buf + 16);
  return {};
}

// A DNS host name (RFC 1123): dot-separated labels of 1-63 letters, digits and inner hyphens,
// 253 characters at most, and a last label that is not all digits (so "10.0.0.256" is rejected
// rather than taken as a name).
bool is_dns_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::string_view label;
  while (!host.empty()) {
    size_t dot = host.find('.');
    label = host.substr(0, dot);
    host = dot == std::string_view::npos ? std::string_view() : host.substr(dot + 1);
    if (dot != std::string_view::npos && host.empty()) return false;  // trailing dot
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
  }
  for (char c : label) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// ---- certificates -----------------------------------------------------------------------------

struct KeyAndCert {
  PkeyPtr key;
  X509Ptr cert;
};

Status set_random_serial(X509* cert) {
  BignumPtr bn(BN_new());
  // BN_RAND_TOP_ONE: the top bit is set, so the serial is exactly kSerialBits long and never 0.
  if (!bn || !BN_rand(bn.get(), kSerialBits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) ||
      !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert))) {
    return openssl_error("generating a serial number");
  }
  return {};
}

// A fresh P-256 key and an unsigned v3 certificate for it with serial, subject and validity set.
Result<KeyAndCert> new_key_and_cert(const char* common_name, int days) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return openssl_error("generating an EC P-256 key");
  X509Ptr cert(X509_new());
  if (!cert) return openssl_error("allocating a certificate");
  LWC_RETURN_IF_ERROR(set_random_serial(cert.get()));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  auto add_entry = [subject](const char* field, const char* value) {
    return X509_NAME_add_entry_by_txt(subject, field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value), -1, -1, 0);
  };
  if (!X509_set_version(cert.get(), X509_VERSION_3) || !add_entry("O", kOrganization) ||
      !add_entry("CN", common_name) || !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) ||
      !X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr) ||
      !X509_set_pubkey(cert.get(), key.get())) {
    return openssl_error(std::string("filling in the certificate for ") + common_name);
  }
  return KeyAndCert{std::move(key), std::move(cert)};
}

// Adds the extension `nid` parsed from its openssl.cnf-style `value` (a fixed string, never input).
Status add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext || !X509_add_ext(cert, ext.get(), -1)) {
    return openssl_error(std::string("adding extension ") + OBJ_nid2sn(nid) + " = " + value);
  }
  return {};
}

// Adds subjectAltName with one IP or DNS entry per host; the hosts were validated by the caller.
// Built as GENERAL_NAMEs rather than a "DNS:a,IP:b" string so no host can inject other entries.
Status add_subject_alt_names(X509* cert, const std::vector<std::string>& hosts) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) return openssl_error("allocating subjectAltName");
  for (const std::string& host : hosts) {
    GeneralNamePtr name(GENERAL_NAME_new());
    if (!name) return openssl_error("allocating a subjectAltName entry");
    if (std::string ip = parse_ip(host); !ip.empty()) {
      OctetStringPtr value(ASN1_OCTET_STRING_new());
      if (!value || !ASN1_OCTET_STRING_set(value.get(),
                                           reinterpret_cast<const unsigned char*>(ip.data()),
                                           static_cast<int>(ip.size()))) {
        return openssl_error("encoding IP address " + host);
      }
      GENERAL_NAME_set0_value(name.get(), GEN_IPADD, value.release());
    } else {
      Ia5StringPtr value(ASN1_IA5STRING_new());
      if (!value || !ASN1_STRING_set(value.get(), host.data(), static_cast<int>(host.size()))) {
        return openssl_error("encoding DNS name " + host);
      }
      GENERAL_NAME_set0_value(name.get(), GEN_DNS, value.release());
    }
    if (!sk_GENERAL_NAME_push(names.get(), name.get())) {
      return openssl_error("adding subjectAltName entry " + host);
    }
    name.release();  // now owned by `names`
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return openssl_error("adding subjectAltName");
  }
  return {};
}

Status sign(X509* cert, EVP_PKEY* issuer_key, const char* what) {
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) {
    return openssl_error(std::string("signing the ") + what);
  }
  return {};
}

Result<KeyAndCert> make_ca(int days) {
  auto ca = new_key_and_cert(kCaCommonName, days);
  if (!ca.ok()) return ca.status();
  X509* cert = ca->cert.get();
  if (!X509_set_issuer_name(cert, X509_get_subject_name(cert))) {
    return openssl_error("setting the CA issuer name");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  // Self-signed: the authority key identifier comes from the issuer key given here.
  if (!X509V3_set_issuer_pkey(&ctx, ca->key.get())) return openssl_error("setting the CA issuer key");
  LWC_RETURN_IF_ERROR(add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  LWC_RETURN_IF_ERROR(add_extension(cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign"));
  LWC_RETURN_IF_ERROR(add_extension(cert, &ctx, NID_subject_key_identifier, "hash"));
  LWC_RETURN_IF_ERROR(add_extension(cert, &ctx, NID_authority_key_identifier, "keyid:always"));
  LWC_RETURN_IF_ERROR(sign(cert, ca->key.get(), "CA certificate"));
  return ca;
}

Result<KeyAndCert> make_server(const KeyAndCert& ca, const std::vector<std::string>& hosts,
                               int days) {
  auto server = new_key_and_cert(kServerCommonName, days);
  if (!server.ok()) return server.status();
  X509* cert = server->cert.get();
  if (!X509_set_issuer_name(cert, X509_get_subject_name(ca.cert.get()))) {
    return openssl_error("setting the server certificate issuer name");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca.cert.get(), cert, nullptr, nullptr, 0);
  LWC_RETURN_IF_ERROR(add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE"));
  LWC_RETURN_IF_ERROR(add_extension(cert, &ctx, NID_key_usage, "critical,digitalSignature"));
  LWC_RETURN_IF_ERROR(add_extension(cert, &ctx, NID_ext_key_usage, "serverAuth"));
  LWC_RETURN_IF_ERROR(add_extension(cert, &ctx, NID_subject_key_identifier, "hash"));
  LWC_RETURN_IF_ERROR(add_extension(cert, &ctx, NID_authority_key_identifier, "keyid:always"));
  LWC_RETURN_IF_ERROR(add_subject_alt_names(cert, hosts));
  LWC_RETURN_IF_ERROR(sign(cert, ca.key.get(), "server certificate"));
  return server;
}

// ---- PEM and files ----------------------------------------------------------------------------

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

Result<std::string> cert_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_X509(bio.get(), cert)) return openssl_error("PEM-encoding a certificate");
  return bio_contents(bio.get());
}

// Unencrypted PKCS#8 PEM.
Result<std::string> key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)) {
    return openssl_error("PEM-encoding a private key");
  }
  return bio_contents(bio.get());
}

struct OutputFile {
  fs::path path;      // final name
  fs::path tmp_path;  // hidden temporary name in the same directory
  std::string contents;
  bool secret;  // a private key: mode exactly 0600 regardless of umask
};

// Writes and fsyncs `file.contents` to `file.tmp_path`, replacing any stale temporary. Secret files
// are created 0600 (and fchmod'ed to exactly that); others 0644 minus the umask.
Status write_tmp(const OutputFile& file) {
  if (::unlink(file.tmp_path.c_str()) != 0 && errno != ENOENT) {
    return errno_error("removing stale temporary file", file.tmp_path);
  }
  const mode_t mode = file.secret ? 0600 : 0644;
  Fd fd(::open(file.tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (fd.get() < 0) return errno_error("creating", file.tmp_path);
  if (file.secret && ::fchmod(fd.get(), mode) != 0) return errno_error("chmod 0600", file.tmp_path);
  const char* p = file.contents.data();
  size_t left = file.contents.size();
  while (left > 0) {
    ssize_t n = ::write(fd.get(), p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("writing", file.tmp_path);
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return errno_error("fsync", file.tmp_path);
  if (fd.close() != 0) return errno_error("closing", file.tmp_path);
  return {};
}

void remove_tmp_files(const std::vector<OutputFile>& files, size_t from) {
  for (size_t i = from; i < files.size(); ++i) ::unlink(files[i].tmp_path.c_str());
}

// Writes all files to temporaries, then renames them into place in order and fsyncs `dir`.
Status install_files(const fs::path& dir, const std::vector<OutputFile>& files) {
  for (size_t i = 0; i < files.size(); ++i) {
    Status st = write_tmp(files[i]);
    if (!st.ok()) {
      remove_tmp_files(files, 0);
      return st;
    }
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (::rename(files[i].tmp_path.c_str(), files[i].path.c_str()) != 0) {
      Status st = errno_error("renaming into place", files[i].path);
      remove_tmp_files(files, i);
      if (i == 0) return st;
      std::string installed;
      for (size_t j = 0; j < i; ++j) installed += " " + files[j].path.filename().string();
      return Status(Code::kIo, st.message() + " (already replaced:" + installed +
                                   "; the set is inconsistent, run again)");
    }
  }
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0) return errno_error("fsync directory", dir);
  return {};
}

}  // namespace

Status generate_dev_pki(const std::string& dir, const std::vector<std::string>& hosts, int days,
                        PkiFiles* out) {
  if (out == nullptr) return Status(Code::kInvalidArgument, "dev PKI: no output PkiFiles given");
  if (dir.empty()) return Status(Code::kInvalidArgument, "dev PKI: empty directory name");
  if (days < 1 || days > kMaxDays) {
    return Status(Code::kInvalidArgument, "dev PKI: validity must be 1.." + std::to_string(kMaxDays) +
                                              " days, got " + std::to_string(days));
  }
  if (hosts.empty()) {
    return Status(Code::kInvalidArgument, "dev PKI: at least one host name or IP address needed");
  }
  for (const std::string& host : hosts) {
    if (parse_ip(host).empty() && !is_dns_name(host)) {
      return Status(Code::kInvalidArgument,
                    "dev PKI: not an IP address or DNS host name: '" + host + "'");
    }
  }

  std::error_code ec;
  const fs::path abs_dir = fs::absolute(dir, ec).lexically_normal();
  if (ec) return Status(Code::kIo, "dev PKI: cannot resolve directory " + dir + ": " + ec.message());
  if (!fs::is_directory(abs_dir, ec)) {
    return Status(Code::kIo, "dev PKI: directory does not exist: " + abs_dir.string());
  }

  ERR_clear_error();  // so error messages name only what failed here
  auto ca = make_ca(days);
  if (!ca.ok()) return ca.status();
  auto server = make_server(*ca, hosts, std::min(days, kMaxServerDays));
  if (!server.ok()) return server.status();

  auto ca_cert = cert_pem(ca->cert.get());
  if (!ca_cert.ok()) return ca_cert.status();
  auto ca_key = key_pem(ca->key.get());
  if (!ca_key.ok()) return ca_key.status();
  auto server_cert = cert_pem(server->cert.get());
  if (!server_cert.ok()) return server_cert.status();
  auto server_key = key_pem(server->key.get());
  if (!server_key.ok()) return server_key.status();

  auto output = [&abs_dir](const char* name, std::string contents, bool secret) {
    return OutputFile{abs_dir / name, abs_dir / ("." + std::string(name) + ".tmp"),
                      std::move(contents), secret};
  };
  std::vector<OutputFile> files;
  // Renamed in this order; a failure part-way names the files already replaced.
  files.push_back(output("ca.key", std::move(ca_key).value(), true));
  files.push_back(output("ca.pem", std::move(ca_cert).value(), false));
  files.push_back(output("server.key", std::move(server_key).value(), true));
  files.push_back(output("server.pem", std::move(server_cert).value(), false));
  LWC_RETURN_IF_ERROR(install_files(abs_dir, files));

  *out = PkiFiles{files[1].path.string(), files[3].path.string(), files[2].path.string()};
  return {};
}

}  // namespace lwc::hub
