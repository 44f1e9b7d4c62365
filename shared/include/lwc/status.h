// Status and Result<T>: expected failures as values (STYLE.md §6).
//
// A Status is either ok() or carries a Code and a human-readable message. The code is the stable,
// machine-readable part; it maps 1:1 onto the protocol's error `code` strings (see code_name()).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace lwc {

enum class Code {
  kOk = 0,
  kMalformed,        // not parseable at all (bad JSON, bad query string)
  kInvalidArgument,  // well-formed but wrong: wrong type, unknown table/field, bad value
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,  // outside the caller's jurisdiction
  kUnauthenticated,   // missing, wrong, expired or revoked credentials
  kConflict,          // state does not allow the operation (e.g. a gap in mutation counters)
  kTooLarge,          // body or batch over a limit
  kUnsupported,       // unsupported media type or protocol version
  kRateLimited,
  kClockSkew,     // a clock beyond the allowed drift
  kSchemaTooNew,  // a store written by a newer version of LWC
  kIo,            // the local disk or SQLite (a file that cannot be read or written)
  kDiskFull,      // no space left on the disk holding a store
  kUnavailable,   // the hub cannot be reached or cannot answer now (network, TLS, 5xx)
  kHubRestored,   // the hub holds less than a client saw: it was restored from an older copy
  kDeviceForked,  // a second data folder (a copy) numbers its changes as the same device
  kInternal,
};

// Stable lower-case name of a code, as used on the wire ("invalid_argument", ...).
const char* code_name(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return {}; }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "code_name: message", for logs and the command line.
  std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  // The value, or `fallback` when there is none (for readers that treat every error alike).
  T value_or(T fallback) && { return value_ ? std::move(*value_) : std::move(fallback); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace lwc

#define LWC_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::lwc::Status lwc_status_ = (expr);        \
    if (!lwc_status_.ok()) return lwc_status_; \
  } while (0)
