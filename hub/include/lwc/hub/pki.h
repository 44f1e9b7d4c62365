// Development PKI: a throw-away CA and a hub server certificate for local and LAN testing.
//
// Not for production: the CA key is written unencrypted next to the certificates.
#pragma once

#include <string>
#include <vector>

#include "lwc/status.h"

namespace lwc::hub {

// Absolute paths of the files a client and the hub need. (The CA key, ca.key, sits next to ca_cert.)
struct PkiFiles {
  std::string ca_cert, server_cert, server_key;
};

// Creates in `dir` (which must exist) a development CA (ca.pem, its key ca.key) and a server
// certificate server.pem + key server.key signed by that CA, the CA valid `days` days and the server
// certificate as long but at most 397 days (what browsers accept), with subjectAltName
// entries for every host in `hosts` (IP addresses as IP:, names as DNS:). Keys: EC P-256.
// The CA has basicConstraints CA:TRUE, keyUsage keyCertSign,cRLSign; the server cert CA:FALSE,
// keyUsage digitalSignature, extendedKeyUsage serverAuth. Key files are written with mode 0600.
//
// Success: the four files exist (existing ones are replaced), *out holds the absolute paths.
// Failure: kInvalidArgument if `hosts` is empty or holds something that is neither an IP address
// nor a DNS name, if `days` is outside [1, 36500] or `out` is null; kIo with a clear message on any
// other failure (missing directory, OpenSSL or disk error). Files are written to temporary names
// and renamed into place only once all four are on disk, so a failure leaves no partial files
// (only a failed rename part-way through can leave a mix; the message then says so).
// *out is untouched on failure. Thread-safe, but not concurrently for the same `dir`.
lwc::Status generate_dev_pki(const std::string& dir, const std::vector<std::string>& hosts,
                             int days, PkiFiles* out);

}  // namespace lwc::hub
