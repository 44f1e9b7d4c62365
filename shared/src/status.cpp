#include "lwc/status.h"

namespace lwc {

const char* code_name(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kMalformed:
      return "malformed";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kNotFound:
      return "not_found";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kConflict:
      return "conflict";
    case Code::kTooLarge:
      return "too_large";
    case Code::kUnsupported:
      return "unsupported";
    case Code::kRateLimited:
      return "rate_limited";
    case Code::kClockSkew:
      return "clock_skew";
    case Code::kSchemaTooNew:
      return "schema_too_new";
    case Code::kIo:
      return "io_error";
    case Code::kDiskFull:
      return "disk_full";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kHubRestored:
      return "hub_restored";
    case Code::kDeviceForked:
      return "device_forked";
    case Code::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  return std::string(code_name(code_)) + ": " + message_;
}

}  // namespace lwc
