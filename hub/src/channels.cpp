// The outgoing channels over libcurl: LINE Messaging API push, SMTP e-mail, JSON webhook.
//
// TLS: certificates are verified against the system CA store (curl's default; never turned off);
// plain http:// and smtp:// without TLS are accepted for local tests and relays. Loopback
// addresses never go through a proxy. Every transfer has a connect and a total timeout and stops
// when the Notifier's abort flag turns true.
#include <curl/curl.h>
#include <sodium.h>

#include <cstdio>
#include <cstring>
#include <mutex>

#include "lwc/calendar.h"
#include "lwc/hub/notify.h"

namespace lwc::hub {

namespace {
using nlohmann::json;

constexpr long kConnectTimeoutMs = 10'000;
constexpr long kTimeoutMs = 30'000;
constexpr size_t kLineTextLimit = 5000;  // LINE text message limit (characters, UTF-16 units)
constexpr size_t kKeepReplyBytes = 300;  // of an error answer, for last_error

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Easy {
  CURL* h = curl_easy_init();
  curl_slist* headers = nullptr;
  curl_slist* rcpt = nullptr;
  char error[CURL_ERROR_SIZE] = {0};
  std::string reply;
  ~Easy() {
    curl_slist_free_all(headers);
    curl_slist_free_all(rcpt);
    if (h) curl_easy_cleanup(h);
  }
  void header(const std::string& line) { headers = curl_slist_append(headers, line.c_str()); }
};

size_t keep_reply(char* data, size_t size, size_t n, void* user) {
  auto* reply = static_cast<std::string*>(user);
  const size_t len = size * n;
  if (reply->size() < kKeepReplyBytes)
    reply->append(data, std::min(len, kKeepReplyBytes - reply->size()));
  return len;
}

int check_abort(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return flag && static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0;
}

void common_options(Easy& e, const std::atomic<bool>* abort) {
  curl_easy_setopt(e.h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e.h, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(e.h, CURLOPT_TIMEOUT_MS, kTimeoutMs);
  curl_easy_setopt(e.h, CURLOPT_ERRORBUFFER, e.error);
  curl_easy_setopt(e.h, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
  curl_easy_setopt(e.h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(e.h, CURLOPT_XFERINFOFUNCTION, check_abort);
  curl_easy_setopt(e.h, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(abort));
}

// A failed transfer (not an HTTP answer) as a Status: configuration mistakes are permanent,
// everything else (connection refused, timeout, TLS trouble, reset) is worth retrying.
Status transfer_failure(const char* what, CURLcode rc, const Easy& e) {
  std::string msg = std::string(what) + ": " + (e.error[0] ? e.error : curl_easy_strerror(rc));
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Status(Code::kInvalidArgument, msg);
    case CURLE_LOGIN_DENIED:
      return Status(Code::kUnauthenticated, msg);
    case CURLE_ABORTED_BY_CALLBACK:
      return Status(Code::kIo, std::string(what) + ": stopped");
    default:
      return Status(Code::kIo, msg);
  }
}

// An HTTP answer as a Status (see is_permanent_failure()).
Status http_result(const char* what, long status, const std::string& reply) {
  if (status >= 200 && status < 300) return {};
  std::string msg = std::string(what) + ": HTTP " + std::to_string(status);
  if (!reply.empty()) msg += ": " + reply;
  if (status == 408) return Status(Code::kIo, msg);
  if (status == 429) return Status(Code::kRateLimited, msg);
  if (status == 401) return Status(Code::kUnauthenticated, msg);
  if (status == 403) return Status(Code::kPermissionDenied, msg);
  if (status == 404) return Status(Code::kNotFound, msg);
  if (status == 413) return Status(Code::kTooLarge, msg);
  if (status >= 300 && status < 500) return Status(Code::kInvalidArgument, msg);
  return Status(Code::kIo, msg);  // 5xx (and anything stranger): try again later
}

// POSTs a JSON body; the HTTP status, or a transfer failure.
Result<long> post_json(const char* what, const std::string& url, const std::string& body,
                       const std::vector<std::string>& headers, const std::atomic<bool>* abort,
                       std::string* reply) {
  global_init();
  Easy e;
  if (!e.h) return Status(Code::kInternal, "curl_easy_init failed");
  common_options(e, abort);
  curl_easy_setopt(e.h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e.h, CURLOPT_PROTOCOLS_STR, "http,https");
  e.header("Content-Type: application/json; charset=UTF-8");
  e.header("Expect:");  // no 100-continue round trip
  for (const std::string& h : headers) e.header(h);
  curl_easy_setopt(e.h, CURLOPT_HTTPHEADER, e.headers);
  curl_easy_setopt(e.h, CURLOPT_POST, 1L);
  curl_easy_setopt(e.h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(e.h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(e.h, CURLOPT_WRITEFUNCTION, keep_reply);
  curl_easy_setopt(e.h, CURLOPT_WRITEDATA, &e.reply);
  CURLcode rc = curl_easy_perform(e.h);
  if (rc != CURLE_OK) return transfer_failure(what, rc, e);
  long status = 0;
  curl_easy_getinfo(e.h, CURLINFO_RESPONSE_CODE, &status);
  *reply = e.reply;
  return status;
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string both_languages(const OutMessage& m) {
  if (m.text_en.empty()) return m.text_th;
  if (m.text_th.empty()) return m.text_en;
  return m.text_th + "\n\n" + m.text_en;
}

// Length of the UTF-8 sequence starting with `lead` (1 for a stray byte) and its code point.
size_t utf8_next(const std::string& s, size_t i, uint32_t* cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    *cp = 0xFFFD;
    return 1;
  }
  uint32_t v = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
  for (size_t k = 1; k < n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 2) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (c & 0x3F);
  }
  *cp = v;
  return n;
}

// Thai vowel and tone marks that sit on the previous consonant: never end a cut text just before
// one of them.
bool thai_combining(uint32_t cp) {
  return cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) || (cp >= 0x0E47 && cp <= 0x0E4E);
}

std::string base64_wrapped(const std::string& bytes) {
  const std::string b = base64(bytes);
  std::string out;
  for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

// "Wed, 25 Nov 2026 14:05:00 +0700" (RFC 5322), in Thai time.
std::string rfc5322_date(int64_t ms) {
  static const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int64_t local_s = (ms + kThaiUtcOffsetMs) / 1000;
  int64_t days = local_s / 86400, secs = local_s % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const Date d = civil_from_days(days);
  const int weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %d %s %d %02d:%02d:%02d +0700", kDays[weekday], d.day,
                kMonths[d.month - 1], d.year, int(secs / 3600), int(secs / 60 % 60),
                int(secs % 60));
  return buf;
}

// --- LINE -------------------------------------------------------------------------------------

class LineChannel final : public Channel {
 public:
  LineChannel(LineChannelConfig c, const std::atomic<bool>* abort)
      : c_(std::move(c)), abort_(abort) {}

  // POST {base_url}/v2/bot/message/push with one text message, Thai first. X-Line-Retry-Key makes
  // a retry after a lost answer safe: LINE answers 409 to a key it has already accepted.
  Status send(const OutMessage& m) override {
    if (m.recipient.empty()) return Status(Code::kInvalidArgument, "LINE: no recipient id");
    json body{
        {"to", m.recipient},
        {"messages", json::array({{{"type", "text"},
                                   {"text", truncate_utf16(both_languages(m), kLineTextLimit)}}})}};
    std::string reply;
    auto status = post_json(
        "LINE", c_.base_url + "/v2/bot/message/push", dump(body),
        {"Authorization: Bearer " + c_.channel_token, "X-Line-Retry-Key: " + uuid_from_key(m.key)},
        abort_, &reply);
    if (!status.ok()) return status.status();
    if (*status == 409) return {};  // accepted before under this retry key
    return http_result("LINE", *status, reply);
  }

 private:
  const LineChannelConfig c_;
  const std::atomic<bool>* abort_;
};

// --- webhook ----------------------------------------------------------------------------------

class WebhookChannel final : public Channel {
 public:
  WebhookChannel(WebhookChannelConfig c, const std::atomic<bool>* abort)
      : c_(std::move(c)), abort_(abort) {}

  // POST url {"kind","key","office","subject","text_th","text_en","warnings":[...],"png_base64"?}
  // with an Idempotency-Key header (the outbox key).
  Status send(const OutMessage& m) override {
    json body{{"kind", m.kind},        {"key", m.key},         {"office", m.office},
              {"subject", m.subject},  {"text_th", m.text_th}, {"text_en", m.text_en},
              {"warnings", m.warnings}};
    if (!m.png.empty()) body["png_base64"] = base64(m.png);
    std::string reply;
    auto status =
        post_json("webhook", c_.url, dump(body), {"Idempotency-Key: " + m.key}, abort_, &reply);
    if (!status.ok()) return status.status();
    return http_result("webhook", *status, reply);
  }

 private:
  const WebhookChannelConfig c_;
  const std::atomic<bool>* abort_;
};

// --- e-mail -----------------------------------------------------------------------------------

struct Upload {
  const std::string* data;
  size_t pos = 0;
};

size_t read_upload(char* buf, size_t size, size_t n, void* user) {
  auto* u = static_cast<Upload*>(user);
  const size_t len = std::min(size * n, u->data->size() - u->pos);
  std::memcpy(buf, u->data->data() + u->pos, len);
  u->pos += len;
  return len;
}

class EmailChannel final : public Channel {
 public:
  EmailChannel(EmailChannelConfig c, const Clock& clock, const std::atomic<bool>* abort)
      : c_(std::move(c)), clock_(clock), abort_(abort) {}

  Status send(const OutMessage& m) override {
    if (m.recipient.empty()) return Status(Code::kInvalidArgument, "e-mail: no recipient address");
    const std::string mail = compose(m);
    global_init();
    Easy e;
    if (!e.h) return Status(Code::kInternal, "curl_easy_init failed");
    common_options(e, abort_);
    curl_easy_setopt(e.h, CURLOPT_URL, c_.smtp_url.c_str());
    curl_easy_setopt(e.h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // Never send a password in the clear: with a user name, smtp:// must upgrade by STARTTLS.
    curl_easy_setopt(e.h, CURLOPT_USE_SSL,
                     c_.username.empty() ? long(CURLUSESSL_TRY) : long(CURLUSESSL_ALL));
    if (!c_.username.empty()) {
      curl_easy_setopt(e.h, CURLOPT_USERNAME, c_.username.c_str());
      curl_easy_setopt(e.h, CURLOPT_PASSWORD, c_.password.c_str());
    }
    const std::string from = "<" + c_.from + ">";
    curl_easy_setopt(e.h, CURLOPT_MAIL_FROM, from.c_str());
    e.rcpt = curl_slist_append(e.rcpt, ("<" + m.recipient + ">").c_str());
    curl_easy_setopt(e.h, CURLOPT_MAIL_RCPT, e.rcpt);
    Upload upload{&mail};
    curl_easy_setopt(e.h, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(e.h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(e.h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e.h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.size()));
    CURLcode rc = curl_easy_perform(e.h);
    if (rc == CURLE_OK) return {};
    long code = 0;
    curl_easy_getinfo(e.h, CURLINFO_RESPONSE_CODE, &code);
    Status s = transfer_failure("SMTP", rc, e);
    // SMTP 5xx replies are permanent (unknown mailbox, refused sender); 4xx are transient.
    if (code >= 500 && code < 600 && rc != CURLE_ABORTED_BY_CALLBACK) {
      return Status(Code::kInvalidArgument, s.message() + " (SMTP " + std::to_string(code) + ")");
    }
    return s;
  }

 private:
  // An RFC 5322 message: UTF-8 text (Thai first) as base64, a PNG as a second MIME part.
  std::string compose(const OutMessage& m) const {
    const std::string id = uuid_from_key(m.key);
    const size_t at = c_.from.find('@');
    const std::string domain = at == std::string::npos ? "lwc.invalid" : c_.from.substr(at + 1);
    std::string out;
    out += "Date: " + rfc5322_date(clock_.now_ms()) + "\r\n";
    out += "From: " + c_.from + "\r\n";
    out += "To: " + m.recipient + "\r\n";
    out += "Subject: " + encode_header_rfc2047(m.subject) + "\r\n";
    out += "Message-ID: <" + id + "@" + domain + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    const std::string text_part =
        "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
        base64_wrapped(both_languages(m));
    if (m.png.empty()) return out + text_part;
    const std::string boundary = "lwc-" + id;
    out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
    out += "--" + boundary + "\r\n" + text_part;
    out += "--" + boundary + "\r\n";
    out += "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n";
    out += "Content-Disposition: attachment; filename=\"summary.png\"\r\n\r\n";
    out += base64_wrapped(m.png);
    out += "--" + boundary + "--\r\n";
    return out;
  }

  const EmailChannelConfig c_;
  const Clock& clock_;
  const std::atomic<bool>* abort_;
};

}  // namespace

bool is_permanent_failure(const Status& s) {
  switch (s.code()) {
    case Code::kMalformed:
    case Code::kInvalidArgument:
    case Code::kUnauthenticated:
    case Code::kPermissionDenied:
    case Code::kNotFound:
    case Code::kTooLarge:
    case Code::kUnsupported:
      return true;
    default:
      return false;
  }
}

std::unique_ptr<Channel> make_line_channel(const LineChannelConfig& c,
                                           const std::atomic<bool>* abort) {
  return std::make_unique<LineChannel>(c, abort);
}
std::unique_ptr<Channel> make_email_channel(const EmailChannelConfig& c, const Clock& clock,
                                            const std::atomic<bool>* abort) {
  return std::make_unique<EmailChannel>(c, clock, abort);
}
std::unique_ptr<Channel> make_webhook_channel(const WebhookChannelConfig& c,
                                              const std::atomic<bool>* abort) {
  return std::make_unique<WebhookChannel>(c, abort);
}

std::string truncate_utf16(const std::string& s, size_t max_units) {
  struct Cut {
    size_t end, units;
  };
  std::vector<Cut> cuts;  // after each character: byte end and UTF-16 units so far
  size_t units = 0;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t n = utf8_next(s, i, &cp);
    units += cp >= 0x10000 ? 2 : 1;
    i += n;
    cuts.push_back({i, units});
  }
  if (units <= max_units) return s;
  if (max_units == 0) return {};
  // Keep the longest prefix of at most max_units - 1 units (one more for "…") that does not end
  // just before a combining mark.
  size_t keep = 0;
  for (size_t k = 0; k < cuts.size() && cuts[k].units <= max_units - 1; ++k) {
    uint32_t next_cp = 0;
    if (cuts[k].end < s.size()) utf8_next(s, cuts[k].end, &next_cp);
    if (!thai_combining(next_cp)) keep = cuts[k].end;
  }
  return s.substr(0, keep) + "\xE2\x80\xA6";  // U+2026 …
}

std::string encode_header_rfc2047(const std::string& text) {
  bool plain = text.find("=?") == std::string::npos;
  for (unsigned char c : text) plain &= c >= 0x20 && c < 0x7F;
  if (plain) return text;
  // 75 characters per encoded word: "=?UTF-8?B?" + 60 base64 characters + "?=" -> 45 bytes.
  constexpr size_t kChunk = 45;
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t end = i;
    while (end < text.size()) {
      uint32_t cp = 0;
      const size_t n = utf8_next(text, end, &cp);
      if (end + n - i > kChunk) break;
      end += n;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string uuid_from_key(const std::string& key) {
  unsigned char d[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(d, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  d[6] = static_cast<unsigned char>((d[6] & 0x0F) | 0x40);  // version 4 layout
  d[8] = static_cast<unsigned char>((d[8] & 0x3F) | 0x80);  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0], d[1],
                d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14],
                d[15]);
  return buf;
}

}  // namespace lwc::hub
