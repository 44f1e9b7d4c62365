// lwc-client command line. Every command takes --data DIR (the local store); commands that print
// data take --json. Data entry works offline: it writes the local store and the outbox; `sync`
// sends it when there is a link.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <random>
#include <thread>

#include "lwc/calendar.h"
#include "lwc/client/config.h"
#include "lwc/client/enroll.h"
#include "lwc/client/gui.h"
#include "lwc/client/sync_engine.h"
#include "lwc/client/transport.h"
#include "lwc/entries.h"
#include "lwc/protocol.h"
#include "lwc/sse.h"
#include "lwc/warnings.h"

namespace lwc::client {

namespace {
namespace fs = std::filesystem;
using nlohmann::json;

std::atomic<bool> g_stop{false};

// The exit codes, one per class of failure (documented in README.md, "Exit codes"):
//   0 done; 1 any other failure; 2 the command or its input is wrong; 3 the hub cannot be reached
//   (the data is safe locally, try later); 4 the disk is full; 5 the local data folder cannot be
//   read or written; 6 a login is needed (token expired or revoked); 7 not allowed for this
//   account; 8 the hub refused the device's clock.
int exit_code(Code code) {
  switch (code) {
    case Code::kOk:
      return 0;
    case Code::kInvalidArgument:
    case Code::kMalformed:
    case Code::kNotFound:
      return 2;
    case Code::kUnavailable:
      return 3;
    case Code::kDiskFull:
      return 4;
    case Code::kIo:
    case Code::kSchemaTooNew:
      return 5;
    case Code::kUnauthenticated:
      return 6;
    case Code::kPermissionDenied:
      return 7;
    case Code::kClockSkew:
      return 8;
    default:
      return 1;
  }
}

int fail(const Status& s) {
  std::cerr << "lwc-client: " << s.to_string() << "\n";
  return exit_code(s.code());
}

std::string read_password() {
  std::string pw;
  std::getline(std::cin, pw);
  while (!pw.empty() && (pw.back() == '\r' || pw.back() == '\n')) pw.pop_back();
  return pw;
}

std::string today() {
  return format_date(thai_date(process_clock().now_ms()));
}

json value_json(const FieldVersion* v) {
  return v ? json::parse(v->value) : json();
}

struct Client {
  ClientConfig config;
  std::unique_ptr<Store> store;

  static Result<Client> open(const std::string& data) {
    auto config = load_client_config(data);
    if (!config.ok()) return config.status();
    auto store = Store::open(config->store_options(), process_clock());
    if (!store.ok()) return store.status();
    return Client{*config, std::move(store).value()};
  }

  std::unique_ptr<Transport> transport() const {
    return make_curl_transport({config.hub_url, config.ca_file()});
  }

  // Validates locally (same rules as the hub) and writes to the store and the outbox.
  Status write(const Result<RowWrite>& w) {
    if (!w.ok()) return w.status();
    for (const auto& f : w->fields) {
      Change c{w->table, w->id, w->scope, f.field, FieldVersion{f.value, Hlc{1}, "", {}}};
      LWC_RETURN_IF_ERROR(validate_change(c, config.principal()));
    }
    auto r = store->write_local(w->table, w->id, w->scope, w->fields);
    return r.ok() ? Status{} : r.status();
  }

  Result<Row> row(const std::string& table, const std::string& id) {
    auto r = store->get_row(table, id);
    if (!r.ok()) return r.status();
    if (!r->has_value())
      return Status(Code::kNotFound, "no " + table + " " + id + " here (sync first?)");
    return **r;
  }
};

void print_progress(const SyncProgress& p) {
  if (p.phase == SyncProgress::Phase::kPush) {
    std::cerr << "\rpush " << p.done << "/" << p.total << " mutations" << std::flush;
  } else {
    std::cerr << "\rpull " << p.done << " changes          " << std::flush;
  }
}

int run_sync(Client& c, bool as_json, bool quiet) {
  quiet = quiet || !isatty(STDERR_FILENO);  // the progress line is for a person at a terminal
  auto transport = c.transport();
  SyncOptions options;
  options.on_forked = [&c](const std::string&, const std::string& token, int64_t expires_ms) {
    c.config.token = token;
    c.config.token_expires_ms = expires_ms;
    return save_client_config(c.config);
  };
  SyncEngine engine(*c.store, *transport, c.config.token, options);
  auto stats =
      engine.sync_once(quiet ? std::function<void(const SyncProgress&)>{} : print_progress);
  if (!quiet) std::cerr << "\n";
  if (!stats.ok()) {
    (void)c.store->set_meta("last_error", stats.status().to_string());
    return fail(stats.status());
  }
  (void)c.store->set_meta("last_error", "");
  if (as_json) {
    std::cout << json{{"pushed", stats->pushed},
                      {"rejected", stats->rejected},
                      {"pulled", stats->pulled},
                      {"cursor", stats->cursor},
                      {"restamped", stats->restamped},
                      {"requeued", stats->requeued},
                      {"hub_restored", stats->hub_restored},
                      {"resent", stats->resent},
                      {"forked_from", stats->forked_from},
                      {"device_id", c.store->device_id()}}
                     .dump()
              << "\n";
  } else {
    std::cout << "synced: pushed " << stats->pushed << ", pulled " << stats->pulled << ", cursor "
              << stats->cursor << "\n";
    if (stats->restamped > 0) {
      std::cout << stats->restamped
                << " change(s) saved while this computer's clock was ahead were given a "
                   "corrected time (just after this computer's last contact) and sent"
                << (stats->requeued > 0 ? " (" + std::to_string(stats->requeued) +
                                              " of them had been refused for the clock)"
                                        : std::string())
                << "\n";
    }
    if (!stats->forked_from.empty()) {
      std::cout << "this data folder is a copy of another that syncs as device "
                << stats->forked_from << ": it is now device " << c.store->device_id()
                << " of the same account, and what it had not sent was sent as that device\n";
    }
    if (stats->hub_restored) {
      std::cout << "the hub had been restored from an older copy: " << stats->resent
                << " change(s) of this computer were sent again and everything was pulled "
                   "again\n";
    }
    if (stats->rejected > 0) {
      std::cout << stats->rejected
                << " change(s) were refused by the hub — see `lwc-client status`\n";
    }
  }
  return 0;
}

// sync --watch: hold the event stream, sync on every announcement; when the stream cannot be held,
// poll with exponential backoff and jitter (1 s .. 60 s). Stops on SIGINT/SIGTERM.
int run_watch(Client& c) {
  std::mt19937 rng(std::random_device{}());
  int64_t backoff_ms = 1000;
  while (!g_stop) {
    int rc = run_sync(c, false, true);
    if (rc == 0) {
      backoff_ms = 1000;
      auto transport = c.transport();
      SseParser parser;
      std::cout << "watching the hub's event stream" << std::endl;
      Status s = transport->stream(
          "/v1/events", c.config.token,
          [&](std::string_view chunk) {
            for (const SseEvent& e : parser.feed(chunk)) {
              if (e.event == "warning") {  // shown at once, ahead of the data that backs it
                json w = protocol::parse_json(e.data).value_or(json());
                if (w.is_object()) {
                  std::cout << "WARNING [" << w.value("stage", "") << "] "
                            << w.value("district", "") << " " << w.value("message_th", "") << " / "
                            << w.value("message_en", "") << " (" << w.value("id", "") << ")"
                            << std::endl;
                }
              }
              if (e.event == "changes" || e.event == "warning") {
                if (run_sync(c, false, true) != 0) return false;
              }
            }
            return !g_stop.load();
          },
          g_stop);
      if (s.code() == Code::kUnauthenticated) return fail(s);
    }
    if (g_stop) break;
    std::uniform_int_distribution<int64_t> jitter(0, backoff_ms / 2);
    const int64_t wait = backoff_ms + jitter(rng);
    std::cerr << "hub unreachable or stream lost; retrying in " << wait / 1000.0 << " s\n";
    for (int64_t waited = 0; waited < wait && !g_stop; waited += 100) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    backoff_ms = std::min<int64_t>(backoff_ms * 2, 60'000);
  }
  return 0;
}

int run_enroll(const std::string& data, const std::string& hub, const std::string& ca,
               const std::string& user, const std::string& device_name) {
  auto config = enroll({data, hub, ca, user, read_password(), device_name});
  if (!config.ok()) return fail(config.status());
  auto client = Client::open(config->data_dir);
  if (!client.ok()) return fail(client.status());
  std::cout << "enrolled " << user << " (" << role_name(config->role)
            << (config->district.empty() ? "" : " " + config->district) << ") on device "
            << client->store->device_id() << "\n";
  return run_sync(*client, false, false);
}

// The token lapsed or was revoked, or the password changed: the same folder logs in again and
// keeps its device, entries and outbox, then syncs what waited.
int run_login(Client& c) {
  auto config = log_in_again(c.config, read_password());
  if (!config.ok()) return fail(config.status());
  c.config = *config;
  std::cout << "logged in again as " << c.config.user << " on device " << c.store->device_id()
            << "\n";
  return run_sync(c, false, false);
}

int run_status(Client& c, bool as_json) {
  auto pending = c.store->outbox_size();
  auto pending_rows = c.store->outbox_rows();
  auto cursor = c.store->pull_cursor();
  auto last = c.store->get_meta("last_sync_ms");
  auto last_error = c.store->get_meta("last_error");
  auto rejected = c.store->rejected();
  auto repairs = repair_notes(*c.store);
  if (!pending.ok() || !pending_rows.ok() || !cursor.ok() || !last.ok() || !rejected.ok() ||
      !repairs.ok()) {
    return fail(Status(Code::kIo, "cannot read the local store"));
  }
  auto transport = make_curl_transport({c.config.hub_url, c.config.ca_file(), 2000, 3000});
  auto health = transport->request("GET", "/v1/health", "", "");
  const bool online = health.ok() && health->status == 200;
  json rej = json::array();
  for (const RejectedMutation& m : *rejected) {
    rej.push_back(json{{"counter", m.mutation.counter},
                       {"table", m.mutation.change.table},
                       {"id", m.mutation.change.row_id},
                       {"field", m.mutation.change.field},
                       {"value", json::parse(m.mutation.change.version.value)},
                       {"code", code_name(m.reason.code())},
                       {"reason", m.reason.message()}});
  }
  json out{{"online", online},
           {"hub", c.config.hub_url},
           {"user", c.config.user},
           {"role", role_name(c.config.role)},
           {"district", c.config.district},
           {"device_id", c.store->device_id()},
           {"pending_mutations", *pending},
           {"pending_entries", *pending_rows},
           {"last_sync_ms", last->empty() ? json() : json(std::stoll(*last))},
           {"last_error", *last_error},
           {"cursor", *cursor},
           {"rejected", rej},
           {"hub_restored_ms", repairs->hub_restored_ms ? json(repairs->hub_restored_ms) : json()},
           {"hub_restored_resent",
            repairs->hub_restored_ms ? json(repairs->hub_restored_resent) : json()},
           {"forked_from", repairs->forked_from.empty() ? json() : json(repairs->forked_from)},
           {"forked_ms", repairs->forked_ms ? json(repairs->forked_ms) : json()}};
  if (as_json) {
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::cout << (online ? "online" : "OFFLINE") << " — " << c.config.hub_url << "\n"
            << "user " << c.config.user << " (" << role_name(c.config.role) << " "
            << c.config.district << "), device " << c.store->device_id() << "\n"
            << "pending: " << *pending_rows << (*pending_rows == 1 ? " entry (" : " entries (")
            << *pending << (*pending == 1 ? " field change)\n" : " field changes)\n")
            << "last successful sync: "
            << (last->empty() ? std::string("never") : format_date(thai_date(std::stoll(*last))))
            << "\n"
            << "cursor: " << *cursor << "\n";
  if (!last_error->empty()) std::cout << "last error: " << *last_error << "\n";
  if (repairs->hub_restored_ms) {
    std::cout << "the hub was restored from an older copy; found "
              << format_date(thai_date(repairs->hub_restored_ms)) << ", "
              << repairs->hub_restored_resent << " change(s) of this computer sent again\n";
  }
  if (!repairs->forked_from.empty()) {
    std::cout << "this data folder was found to be a copy of device " << repairs->forked_from
              << " on " << format_date(thai_date(repairs->forked_ms))
              << "; it became a device of its own\n";
  }
  if (!rej.empty()) {
    std::cout << rej.size()
              << " change(s) refused by the hub; correct the cause, then `lwc-client retry` "
                 "queues them all again:\n";
  }
  for (const auto& r : rej) {
    std::cout << "REFUSED by the hub: " << r["table"].get<std::string>() << "."
              << r["field"].get<std::string>() << " = " << r["value"].dump() << " — "
              << r["reason"].get<std::string>() << "\n";
  }
  return 0;
}

int run_task_list(Client& c, bool as_json) {
  auto tasks = c.store->rows("task", ScopeFilter::everything());
  if (!tasks.ok()) return fail(tasks.status());
  json out = json::array();
  for (const Row& t : *tasks) {
    if (t.deleted()) continue;
    json districts = value_json(t.find("districts"));
    if (c.config.role == Role::kDistrict &&
        (!districts.is_array() ||
         std::find(districts.begin(), districts.end(), c.config.district) == districts.end())) {
      continue;
    }
    json item{{"id", t.id},
              {"kind", text_field(t, "kind")},
              {"letter_no", text_field(t, "letter_no")},
              {"title", text_field(t, "title")},
              {"due", text_field(t, "due")},
              {"districts", districts}};
    if (c.config.role == Role::kDistrict) {
      // Returned for correction counts as not submitted (the warning rules agree).
      auto sub = c.store->get_row("submission", submission_row_id(t.id, c.config.district));
      const bool present = sub.ok() && sub->has_value() && (*sub)->find("submitted_at");
      const Verification v =
          present ? verification_state(**sub, reviewed_fields(**sub)) : Verification::kDraft;
      item["submitted"] = present && v != Verification::kReturned;
      item["review"] = present ? verification_name(v) : "";
      if (v == Verification::kReturned) item["review_note"] = text_field(**sub, "review_note");
    } else if (districts.is_array()) {
      // Province roles: each district's submission, with the id `verify` and `return` take.
      json subs = json::array();
      for (const json& d : districts) {
        if (!d.is_string()) continue;
        const std::string id = submission_row_id(t.id, d.get<std::string>());
        auto sub = c.store->get_row("submission", id);
        if (!sub.ok() || !sub->has_value() || !(*sub)->find("submitted_at")) continue;
        subs.push_back(
            {{"district", d},
             {"submission_id", id},
             {"review", verification_name(verification_state(**sub, reviewed_fields(**sub)))}});
      }
      item["submissions"] = subs;
    }
    out.push_back(item);
  }
  std::sort(out.begin(), out.end(),
            [](const json& a, const json& b) { return a["due"] < b["due"]; });
  if (as_json) {
    std::cout << out.dump() << "\n";
    return 0;
  }
  for (const json& t : out) {
    const std::string review = t.value("review", "");
    std::cout << t["id"].get<std::string>() << "  due " << t["due"].get<std::string>() << "  "
              << (review == "returned"          ? "[returned: " + t.value("review_note", "") + "] "
                  : review == "verified"        ? "[verified] "
                  : t.value("submitted", false) ? "[submitted] "
                                                : "")
              << t["letter_no"].get<std::string>() << " " << t["title"].get<std::string>() << "\n";
    for (const json& sub : t.value("submissions", json::array())) {
      std::cout << "    " << sub["district"].get<std::string>() << " "
                << sub["review"].get<std::string>() << "  submission "
                << sub["submission_id"].get<std::string>() << "\n";
    }
  }
  return 0;
}

// warnings: the local rules' verdicts with the hub's open warnings, most urgent first.
int run_warnings(Client& c, bool as_json, int64_t now) {
  auto items = current_warnings(*c.store, c.config.principal(), now);
  if (!items.ok()) return fail(items.status());
  json out = json::array();
  for (const WarningItem& i : *items) {
    json j = warning_json(i.warning);
    j["source"] = i.from_hub ? (i.raised_locally ? "hub" : "hub, no longer raised here")
                             : "local (not yet at the hub)";
    j["acknowledged"] = i.ack.acknowledged;
    j["acknowledged_by"] = i.ack.acknowledged_by;
    j["disputed"] = i.ack.disputed_open;
    j["answered_by_me"] = i.acked_by_me;
    out.push_back(j);
  }
  if (as_json) {
    std::cout << out.dump() << "\n";
    return 0;
  }
  if (out.empty()) std::cout << "no warnings\n";
  for (const json& w : out) {
    std::cout << w["id"].get<std::string>() << "  [" << w["stage"].get<std::string>() << "] "
              << w["district"].get<std::string>() << "  due " << w["due"].get<std::string>() << "  "
              << w["message_en"].get<std::string>() << "\n    "
              << w["message_th"].get<std::string>()
              << "\n    source: " << w["source"].get<std::string>()
              << (w["answered_by_me"].get<bool>() ? ", answered" : "")
              << (w["disputed"].get<bool>() ? ", disputed" : "")
              << (w.contains("silenced_by") ? ", silenced" : "") << "\n";
  }
  return 0;
}

int run_conflicts(Client& c, bool as_json) {
  // Conflicts are filed at the hub, where every version meets (a district sees its own).
  auto transport = c.transport();
  auto r = transport->request("GET", "/v1/conflicts", "", c.config.token);
  if (!r.ok()) return fail(r.status());
  auto body = protocol::parse_json(r->body);
  if (!body.ok()) return fail(body.status());
  if (r->status != 200) return fail(protocol::parse_error_body(*body, Code::kUnavailable));
  json out = (*body)["conflicts"];
  if (as_json) {
    std::cout << out.dump() << "\n";
  } else {
    for (const json& k : out) std::cout << k.dump() << "\n";
  }
  return 0;
}

// Re-issues every refused change with a fresh clock (after the officer fixed the cause).
int run_retry(Client& c) {
  auto rejected = c.store->rejected();
  if (!rejected.ok()) return fail(rejected.status());
  int n = 0;
  for (const RejectedMutation& m : *rejected) {
    const Change& ch = m.mutation.change;
    RowWrite w{ch.table, ch.row_id, ch.scope, {{ch.field, ch.version.value}}};
    if (Status s = c.write(w); !s.ok()) return fail(s);
    auto del = c.store->db().prepare("DELETE FROM rejected WHERE counter=?1");
    if (!del.ok()) return fail(del.status());
    del->bind(1, m.mutation.counter);
    if (Status s = del->run(); !s.ok()) return fail(s);
    ++n;
  }
  std::cout << n << " refused change(s) queued again; run `lwc-client sync`\n";
  return 0;
}

std::vector<std::string> split_csv(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t comma = s.find(',', pos);
    if (comma == std::string::npos) comma = s.size();
    if (comma > pos) out.push_back(s.substr(pos, comma - pos));
    pos = comma + 1;
  }
  return out;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"lwc-client — Lampang Warning Center desktop client"};
  std::string data =
      std::getenv("LWC_CLIENT_DATA") ? std::getenv("LWC_CLIENT_DATA") : "lwc-client-data";
  app.add_option("--data", data, "local store directory (env LWC_CLIENT_DATA)")
      ->capture_default_str();
  bool as_json = false;
  auto json_flag = [&](CLI::App* cmd) { cmd->add_flag("--json", as_json, "print JSON"); };

  auto* enroll = app.add_subcommand("enroll", "enroll this device; password from stdin");
  std::string hub, ca, user, device_name = "lwc-client";
  enroll->add_option("--hub", hub, "hub URL, https://HOST:PORT")->required();
  enroll->add_option("--ca", ca, "the hub's CA certificate (PEM), pinned")->required();
  enroll->add_option("--user", user, "account name")->required();
  enroll->add_option("--device-name", device_name, "a name for this computer");

  auto* login = app.add_subcommand(
      "login",
      "log in again (expired token, new password): same device and outbox; password from stdin");
  auto* sync = app.add_subcommand("sync", "push the outbox and pull to the end");
  bool watch = false;
  sync->add_flag("--watch", watch, "stay connected and sync on every announcement");
  json_flag(sync);
  auto* status =
      app.add_subcommand("status", "online/offline, pending, last sync, refused changes");
  json_flag(status);

  std::string as_of, work_group, district_opt, note, reason, doc_ref, id;
  double amount = -1;
  int64_t collected = 0, entered = 0, updated = 0;
  auto* budget = app.add_subcommand("budget", "budget disbursement");
  budget->require_subcommand(1);
  auto* budget_set = budget->add_subcommand("set", "enter the cumulative amount disbursed");
  budget_set->add_option("--work-group", work_group, "work group key")->required();
  budget_set->add_option("--amount", amount, "baht disbursed so far this fiscal year")->required();
  budget_set->add_option("--as-of", as_of, "date of the figure, YYYY-MM-DD (default today)");
  budget_set->add_option("--district", district_opt, "province roles: the district");

  auto* bmn = app.add_subcommand("bmn", "BMN (จปฐ.) survey progress");
  bmn->require_subcommand(1);
  auto* bmn_set = bmn->add_subcommand("set", "enter household counts");
  bmn_set->add_option("--collected", collected, "households collected")->required();
  bmn_set->add_option("--entered", entered, "households entered")->required();
  bmn_set->add_option("--updated", updated, "households updated/verified")->required();
  bmn_set->add_option("--as-of", as_of, "date, YYYY-MM-DD (default today)");
  bmn_set->add_option("--district", district_opt, "province roles: the district");

  auto* task = app.add_subcommand("task", "tasks: directive letters and monthly reports");
  task->require_subcommand(1);
  auto* task_list = task->add_subcommand("list", "tasks, soonest due first");
  json_flag(task_list);
  auto* task_submit = task->add_subcommand("submit", "record this district's submission");
  task_submit->add_option("task_id", id)->required();
  task_submit->add_option("--doc-ref", doc_ref, "letter or document reference");
  TaskEntry new_task;
  std::string districts_csv;
  auto* task_create = task->add_subcommand("create", "province: issue a task");
  task_create->add_option("--kind", new_task.kind, "directive|monthly_report")->required();
  task_create->add_option("--letter-no", new_task.letter_no, "directive letter number");
  task_create->add_option("--title", new_task.title)->required();
  task_create->add_option("--issued", new_task.issued, "YYYY-MM-DD (default today)");
  task_create->add_option("--due", new_task.due, "YYYY-MM-DD")->required();
  task_create->add_option("--districts", districts_csv, "5201,5202,... or all")->required();
  task_create->add_option("--work-group", new_task.work_group);

  auto* target = app.add_subcommand("target", "province: targets");
  target->require_subcommand(1);
  TargetEntry new_target;
  auto* target_set = target->add_subcommand("set", "set a target");
  target_set->add_option("--indicator", new_target.indicator, "budget_disbursement|bmn_progress")
      ->required();
  target_set->add_option("--district", new_target.district)->required();
  target_set->add_option("--period", new_target.period, "BE fiscal year, e.g. 2570")->required();
  target_set->add_option("--value", new_target.value)->required();
  target_set->add_option("--work-group", new_target.work_group);

  auto* verify = app.add_subcommand("verify", "province: verify a measurement or submission");
  verify->add_option("row_id", id)->required();
  verify->add_option("--note", note);
  auto* ret = app.add_subcommand("return", "province: return data for quality, with a note");
  ret->add_option("row_id", id)->required();
  ret->add_option("--note", note)->required();

  auto* warnings = app.add_subcommand("warnings", "list warnings");
  json_flag(warnings);
  auto* ack = app.add_subcommand("ack", "acknowledge a warning");
  ack->add_option("warning_id", id)->required();
  auto* dispute = app.add_subcommand("dispute", "dispute a warning (e.g. data out of date)");
  dispute->add_option("warning_id", id)->required();
  dispute->add_option("--reason", reason)->required();

  auto* resolve = app.add_subcommand("resolve", "province: resolve a dispute (escalation resumes)");
  resolve->add_option("ack_id", id, "the dispute's ack row id")->required();
  resolve->add_option("--resolution", reason, "how it was resolved")->required();
  SilenceEntry silence_args;
  std::string silence_until;
  auto* silence =
      app.add_subcommand("silence", "province: silence a district's warnings (audited)");
  silence->add_option("--district", silence_args.district)->required();
  silence->add_option("--rule", silence_args.rule,
                      "task_deadline|budget_curve|bmn_curve (default all)");
  silence->add_option("--subject", silence_args.subject,
                      "task id or indicator subject (default all)");
  silence->add_option("--until", silence_until, "end, YYYY-MM-DD[THH:MM] Thai time")->required();
  silence->add_option("--reason", silence_args.reason, "e.g. the approved extension letter")
      ->required();

  auto* conflicts = app.add_subcommand("conflicts", "concurrent edits kept for review");
  json_flag(conflicts);
  auto* retry = app.add_subcommand("retry", "queue the changes the hub refused again");
  auto* exp = app.add_subcommand("export", "canonical dump of the local state");
  exp->add_flag("--json", as_json, "canonical JSON (the only format)")->required();

  GuiOptions gui_options;
  std::string gui_lang = "th";
  auto* gui = app.add_subcommand("gui", "the desktop window (also: no command at all)");
  gui->add_option("--lang", gui_lang, "th|en: the language it starts in")
      ->check(CLI::IsMember({"th", "en"}));
  gui->add_option("--screenshot", gui_options.screenshot, "render, write this PNG and exit");
  gui->add_option(
      "--view", gui_options.view,
      "screenshot: "
      "district|province|charts|reports|conflicts|fleet|forms|award|popup|relogin|enroll");
  gui->add_option("--frames", gui_options.frames, "screenshot: frames to render first");
  gui->add_option("--size", gui_options.size, "window size WIDTHxHEIGHT");
  gui->add_flag("--live", gui_options.live, "screenshot: sync with the hub first");
  gui->add_option("--export-chart", gui_options.export_chart,
                  "screenshot, view charts: also export this chart (budget|bmn|groups)");
  gui->add_option("--export-path", gui_options.export_path, "where --export-chart writes");
  gui->add_option("--bench", gui_options.bench,
                  "benchmark: write first-frame time, idle CPU and peak RSS to this JSON, exit");
  gui->add_option("--bench-idle-s", gui_options.bench_idle_s, "benchmark: seconds of idling");
  gui->add_flag("--bench-baseline", gui_options.bench_baseline,
                "benchmark: the same window drawing an empty ImGui frame (no data, no workers, "
                "ImGui's own font): what the window and the OpenGL driver cost by themselves");
  gui->add_option("--hub", gui_options.enroll_hub, "enrol screen: the hub URL to fill in");
  gui->add_option("--ca", gui_options.enroll_ca, "enrol screen: the hub CA file to fill in");
  gui->add_option("--user", gui_options.enroll_user, "enrol screen: the user name to fill in");

  CLI11_PARSE(app, argc, argv);
  if (app.get_subcommands().empty() || gui->parsed()) {
    gui_options.data_dir = data;
    gui_options.lang = gui_lang == "en" ? Lang::kEn : Lang::kTh;
    return run_gui(gui_options);
  }
  std::signal(SIGINT, [](int) { g_stop = true; });
  std::signal(SIGTERM, [](int) { g_stop = true; });

  if (enroll->parsed()) return run_enroll(data, hub, ca, user, device_name);
  auto opened = Client::open(data);
  if (!opened.ok()) return fail(opened.status());
  Client& c = *opened;
  const int64_t now = process_clock().now_ms();
  const std::string district = district_opt.empty() ? c.config.district : district_opt;
  if (as_of.empty()) as_of = today();

  auto done = [&](const Status& s, const std::string& what) {
    if (!s.ok()) return fail(s);
    std::cout << what << " (saved locally; `lwc-client sync` sends it)\n";
    return 0;
  };

  if (login->parsed()) return run_login(c);
  if (sync->parsed()) return watch ? run_watch(c) : run_sync(c, as_json, false);
  if (status->parsed()) return run_status(c, as_json);
  // A typed as-of date: a real date, in the Common Era, not after today (Thai, then English).
  auto check_typed_as_of = [&]() -> Status {
    auto d = parse_date(as_of);
    if (!d.ok()) return d.status();
    const Date now = thai_date(process_clock().now_ms());
    Status th = check_as_of(*d, now, Lang::kTh);
    if (th.ok()) return th;
    return Status(th.code(), th.message() + " / " + check_as_of(*d, now, Lang::kEn).message());
  };
  if (budget_set->parsed() || bmn_set->parsed()) {
    if (Status s = check_typed_as_of(); !s.ok()) return fail(s);
  }
  if (budget_set->parsed()) {
    // Only the province's work groups count towards a district's total.
    auto group = c.store->get_row("work_group", work_group_row_id(work_group));
    if (!group.ok()) return fail(group.status());
    if (!group->has_value() || (*group)->deleted()) {
      auto all = c.store->rows("work_group", ScopeFilter::everything());
      if (!all.ok()) return fail(all.status());
      std::string known;
      for (const Row& g : *all) {
        if (g.deleted()) continue;
        known += (known.empty() ? "" : ", ") + text_field(g, "key");
      }
      return fail(Status(Code::kInvalidArgument,
                         "unknown work group '" + work_group + "'" +
                             (known.empty() ? std::string("; sync first to fetch the work groups")
                                            : "; the work groups are: " + known)));
    }
    return done(c.write(budget_entry({district, work_group, amount, as_of, c.config.user})),
                "budget figure entered");
  }
  if (bmn_set->parsed()) {
    return done(c.write(bmn_entry({district, collected, entered, updated, as_of, c.config.user})),
                "BMN progress entered");
  }
  if (task_list->parsed()) return run_task_list(c, as_json);
  if (task_submit->parsed()) {
    auto t = c.row("task", id);
    if (!t.ok()) return fail(t.status());
    return done(c.write(submission_entry(*t, district, c.config.user, now, doc_ref)),
                "submission recorded");
  }
  if (task_create->parsed()) {
    if (new_task.issued.empty()) new_task.issued = today();
    if (districts_csv == "all") {
      for (int n = 1; n <= 13; ++n)
        new_task.districts.push_back("52" + std::string(n < 10 ? "0" : "") + std::to_string(n));
    } else {
      new_task.districts = split_csv(districts_csv);
    }
    auto w = task_entry(new_task);
    if (!w.ok()) return fail(w.status());
    Status s = c.write(w);
    if (s.ok()) std::cout << w->id << "\n";
    return done(s, "task created");
  }
  if (target_set->parsed()) return done(c.write(target_entry(new_target)), "target set");
  if (verify->parsed() || ret->parsed()) {
    Result<Row> row = c.row("measurement", id);
    if (!row.ok()) row = c.row("submission", id);
    if (!row.ok()) return fail(row.status());
    return done(c.write(review_entry(*row, verify->parsed(), c.config.user, now, note)),
                verify->parsed() ? "verified" : "returned for quality");
  }
  if (warnings->parsed()) return run_warnings(c, as_json, now);
  if (ack->parsed() || dispute->parsed()) {
    // A warning the hub raised, or one the local rules raise offline (same id as the hub's).
    std::string scope;
    if (auto w = c.row("warning", id); w.ok()) scope = w->scope;
    if (scope.empty()) {
      auto items = current_warnings(*c.store, c.config.principal(), now);
      if (!items.ok()) return fail(items.status());
      for (const WarningItem& i : *items) {
        if (i.warning.id == id) scope = i.warning.district;
      }
    }
    if (scope.empty()) return fail(Status(Code::kNotFound, "no warning " + id + " here"));
    return done(c.write(ack_entry(id, scope, c.config.user, now, dispute->parsed(), reason)),
                dispute->parsed() ? "dispute recorded" : "acknowledged");
  }
  if (resolve->parsed()) {
    auto a = c.row("ack", id);
    if (!a.ok()) return fail(a.status());
    return done(c.write(resolve_entry(*a, c.config.user, now, reason)), "dispute resolved");
  }
  if (silence->parsed()) {
    auto until = parse_thai_time(silence_until);
    if (!until.ok()) return fail(until.status());
    silence_args.until_ms = *until;
    silence_args.user = c.config.user;
    return done(c.write(silence_entry(silence_args, now)), "warnings silenced");
  }
  if (conflicts->parsed()) return run_conflicts(c, as_json);
  if (retry->parsed()) return run_retry(c);
  if (exp->parsed()) {
    auto out = c.store->export_canonical(read_filter(c.config.principal()));
    if (!out.ok()) return fail(out.status());
    std::cout << *out;
    return 0;
  }
  return 2;
}

}  // namespace lwc::client
