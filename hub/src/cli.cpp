// lwc-hub command line: init, user add, serve, export, device, audit, notify.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>

#include "lwc/award.h"
#include "lwc/hub/config.h"
#include "lwc/hub/demo.h"
#include "lwc/hub/notify.h"
#include "lwc/hub/pki.h"
#include "lwc/hub/server.h"
#include "lwc/hub/service.h"

namespace lwc::hub {

namespace {
namespace fs = std::filesystem;
using nlohmann::json;

int fail(const Status& s) {
  std::cerr << "lwc-hub: " << s.to_string() << "\n";
  return s.code() == Code::kInvalidArgument || s.code() == Code::kMalformed ? 2 : 1;
}

std::string read_password() {
  std::string pw;
  std::getline(std::cin, pw);
  while (!pw.empty() && (pw.back() == '\r' || pw.back() == '\n')) pw.pop_back();
  return pw;
}

const Clock& hub_clock() {
  return process_clock();
}

Result<std::unique_ptr<HubService>> open_service(const std::string& data, HubConfig* config_out) {
  auto config = load_config(data);
  if (!config.ok()) return config.status();
  *config_out = *config;
  return HubService::open(*config, hub_clock());
}

int cmd_init(const std::string& data, bool demo, const std::string& listen, const std::string& cert,
             const std::string& key) {
  if (fs::exists(fs::path(data) / "hub.json")) {
    return fail(Status(Code::kAlreadyExists, data + " already holds a hub (hub.json exists)"));
  }
  std::error_code ec;
  fs::create_directories(fs::path(data) / "tls", ec);
  if (ec) return fail(Status(Code::kIo, "cannot create " + data + ": " + ec.message()));
  HubConfig config;
  config.data_dir = fs::absolute(data).string();
  if (!listen.empty()) config.listen = listen;
  if (cert.empty() != key.empty()) {
    return fail(Status(Code::kInvalidArgument, "give both --cert and --key, or neither"));
  }
  if (!cert.empty()) {
    config.tls_cert = fs::absolute(cert).string();
    config.tls_key = fs::absolute(key).string();
    config.tls_ca = config.tls_cert;
  } else {
    PkiFiles files;
    Status s = generate_dev_pki(config.path("tls"), {"localhost", "127.0.0.1"}, 825, &files);
    if (!s.ok()) return fail(s);
  }
  if (Status s = save_config(config); !s.ok()) return fail(s);
  auto service = HubService::open(config, hub_clock());
  if (!service.ok()) return fail(service.status());
  Status s =
      (*service)->with_store([&](Store& store) { return seed_reference(store, LWC_ASSETS_DIR); });
  if (s.ok() && demo) {
    s = (*service)->with_store([&](Store& store) {
      return seed_demo(store, (*service)->accounts(), config.rules, hub_clock().now_ms());
    });
  }
  if (!s.ok()) return fail(s);
  std::cout << "hub initialised in " << config.data_dir << "\n"
            << "  configuration: " << config.path("hub.json") << "\n"
            << "  CA for clients: " << config.path(config.tls_ca) << "\n";
  if (demo) {
    std::cout << "  demo accounts (user / password / role):\n";
    for (const DemoAccount& a : demo_accounts()) {
      std::cout << "    " << a.user << " / " << a.password << " / " << role_name(a.role)
                << (a.district[0] ? std::string(" ") + a.district : "") << "\n";
    }
  }
  return 0;
}

// `config set NAME VALUE`: one member of hub.json (VALUE is JSON; a bare word is taken as a
// string), checked by loading the result before it replaces the file.
int cmd_config_set(const std::string& data, const std::string& name, const std::string& text) {
  const fs::path file = fs::path(data) / "hub.json";
  std::ifstream in(file);
  if (!in)
    return fail(Status(Code::kNotFound,
                       file.string() + " not found — run `lwc-hub --data " + data + " init`"));
  json config = json::parse(in, nullptr, false);
  if (config.is_discarded()) return fail(Status(Code::kMalformed, file.string() + " is not JSON"));
  json value = json::parse(text, nullptr, false);
  if (value.is_discarded()) value = text;
  config[name] = value;
  const fs::path tmp_dir = fs::path(data) / ".config-check";
  std::error_code ec;
  fs::create_directories(tmp_dir, ec);
  std::ofstream(tmp_dir / "hub.json") << config.dump(2) << "\n";
  auto checked = load_config(tmp_dir.string());
  fs::remove_all(tmp_dir, ec);
  if (!checked.ok()) {
    std::string why = checked.status().message();
    for (size_t at; (at = why.find(tmp_dir.string())) != std::string::npos;) {
      why.replace(at, tmp_dir.string().size(), data);
    }
    return fail(Status(checked.status().code(), why + " (hub.json unchanged)"));
  }
  const fs::path tmp = file.string() + ".tmp";
  std::ofstream(tmp) << config.dump(2) << "\n";
  fs::rename(tmp, file, ec);
  if (ec) return fail(Status(Code::kIo, "cannot write " + file.string() + ": " + ec.message()));
  std::cout << "set " << name << " (restart `lwc-hub serve` to apply)\n";
  return 0;
}

// The outgoing channels for `serve`: nullptr when hub.json configures none.
Result<std::unique_ptr<Notifier>> open_notifier(HubService& hub, const HubConfig& config) {
  if (!config.channels.any_channel()) return std::unique_ptr<Notifier>();
  NotifierOptions options;
  options.digest_hour = config.rules.digest_hour;
  auto names = hub.with_store([](Store& s) { return office_names_from_store(s); });
  if (!names.ok()) return names.status();
  options.district_names = std::move(names).value();
  return Notifier::open(config.channels, config.path("notify.db"), hub_clock(), std::move(options));
}

// `notify list`: warn-stage warnings waiting for their office's digest (state "waiting", due at
// next_attempt_ms), then the outbox, newest first, as JSON lines.
int cmd_notify_list(const HubConfig& config, int limit) {
  auto outbox = Outbox::open(config.path("notify.db"));
  if (!outbox.ok()) return fail(outbox.status());
  auto waiting = (*outbox)->due_digests(std::numeric_limits<int64_t>::max());
  if (!waiting.ok()) return fail(waiting.status());
  for (const auto& group : *waiting) {
    for (const DigestItem& i : group) {
      std::cout << json{{"key", "digest:" + i.office + ":" + i.day + ":" + i.warning_id},
                        {"channel", "digest"},
                        {"office", i.office},
                        {"kind", "digest_item"},
                        {"subject", i.line_th},
                        {"state", "waiting"},
                        {"next_attempt_ms", i.due_ms}}
                       .dump(-1, ' ', false, json::error_handler_t::replace)
                << "\n";
    }
  }
  auto entries = (*outbox)->list(limit);
  if (!entries.ok()) return fail(entries.status());
  for (const OutboxEntry& e : *entries) {
    std::cout << json{{"key", e.message.key},
                      {"channel", e.message.channel},
                      {"recipient", e.message.recipient},
                      {"office", e.message.office},
                      {"kind", e.message.kind},
                      {"subject", e.message.subject},
                      {"state", out_state_name(e.state)},
                      {"attempts", e.attempts},
                      {"created_ms", e.created_ms},
                      {"next_attempt_ms", e.next_attempt_ms},
                      {"sent_ms", e.sent_ms},
                      {"last_error", e.last_error}}
                     .dump(-1, ' ', false, json::error_handler_t::replace)
              << "\n";
  }
  return 0;
}
}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"lwc-hub — the Lampang Warning Center hub"};
  app.require_subcommand(1);
  std::string data = std::getenv("LWC_HUB_DATA") ? std::getenv("LWC_HUB_DATA") : "lwc-hub-data";
  app.add_option("--data", data, "data directory (env LWC_HUB_DATA)")->capture_default_str();

  auto* init =
      app.add_subcommand("init", "create the data directory, database, configuration, TLS");
  bool demo = false;
  std::string listen, cert, key;
  init->add_flag("--demo", demo, "add the Lampang demo data and accounts");
  init->add_option("--listen", listen, "ADDR:PORT to serve on (default 127.0.0.1:8443)");
  init->add_option("--cert", cert, "server certificate (PEM); default: generate a development CA");
  init->add_option("--key", key, "server private key (PEM)");

  auto* user = app.add_subcommand("user", "manage accounts");
  user->require_subcommand(1);
  auto* user_add = user->add_subcommand("add", "add an account; the password is read from stdin");
  std::string name, role, district, work_group;
  user_add->add_option("name", name, "user name")->required();
  user_add->add_option("--role", role, "district|province|executive|admin")->required();
  user_add->add_option("--district", district, "district code (district role)");
  user_add->add_option("--work-group", work_group, "work group key");

  auto* user_password = user->add_subcommand(
      "password", "set an account's password (from stdin); its devices log in again");
  user_password->add_option("name", name, "user name")->required();

  auto* serve = app.add_subcommand("serve", "serve HTTPS until SIGINT/SIGTERM");
  std::string serve_listen;
  serve->add_option("--listen", serve_listen, "ADDR:PORT (overrides hub.json; port 0 = any)");

  auto* exp = app.add_subcommand("export", "print the hub's canonical state");
  bool as_json = false;
  exp->add_flag("--json", as_json, "canonical JSON of every row");
  exp->require_subcommand(0, 1);
  auto* exp_kpi = exp->add_subcommand("kpi", "KPIs of a period as CSV (UTF-8 with BOM)");
  std::string kpi_from, kpi_to, export_out;
  exp_kpi->add_option("--from", kpi_from, "first deadline day, YYYY-MM-DD (default: FY start)");
  exp_kpi->add_option("--to", kpi_to, "last deadline day, YYYY-MM-DD (default: today)");
  exp_kpi->add_option("--out", export_out, "write to this file (default: stdout)");
  auto* exp_award = exp->add_subcommand("award", "the Report Award leaderboard of a month");
  std::string award_month;
  bool award_json = false;
  exp_award->add_option("--month", award_month, "YYYY-MM (CE; default: this month)");
  exp_award->add_flag("--json", award_json, "JSON with every score's breakdown");
  std::string export_district;
  exp->add_option("--district", export_district, "only what this district's clients see");

  auto* device = app.add_subcommand("device", "enrolled devices");
  device->require_subcommand(1);
  auto* device_list = device->add_subcommand("list", "list devices as JSON lines");
  auto* device_revoke = device->add_subcommand("revoke", "revoke a device and its tokens");
  std::string device_id;
  device_revoke->add_option("device_id", device_id)->required();
  auto* device_readmit =
      device->add_subcommand("readmit", "let a revoked device log in again (its outbox is kept)");
  device_readmit->add_option("device_id", device_id)->required();

  auto* audit = app.add_subcommand("audit", "print the audit log as JSON lines");

  auto* config_cmd = app.add_subcommand("config", "show or change hub.json");
  config_cmd->require_subcommand(1);
  auto* config_show = config_cmd->add_subcommand("show", "print the effective configuration");
  auto* config_set = config_cmd->add_subcommand("set", "set one member, e.g. channels '{...}'");
  std::string config_name, config_value;
  config_set->add_option("name", config_name, "member of hub.json")->required();
  config_set->add_option("value", config_value, "JSON value")->required();

  auto* notify = app.add_subcommand("notify", "outgoing LINE / e-mail / webhook messages");
  notify->require_subcommand(1);
  auto* notify_list = notify->add_subcommand(
      "list",
      "the outbox as JSON lines, newest first: key, channel, recipient, state, attempts, "
      "last error");
  int notify_limit = 200;
  notify_list->add_option("--limit", notify_limit, "at most this many")->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (init->parsed()) return cmd_init(data, demo, listen, cert, key);
  if (config_set->parsed()) return cmd_config_set(data, config_name, config_value);
  if (config_show->parsed()) {
    auto config = load_config(data);
    if (!config.ok()) return fail(config.status());
    std::ifstream in(config->path("hub.json"));
    std::cout << in.rdbuf();
    return 0;
  }

  HubConfig config;
  auto service = open_service(data, &config);
  if (!service.ok()) return fail(service.status());
  HubService& hub = **service;

  if (user_add->parsed()) {
    auto r = parse_role(role);
    if (!r.ok()) return fail(r.status());
    Status s = hub.accounts().add_user(name, *r, district, work_group, read_password());
    if (!s.ok()) return fail(s);
    std::cout << "added " << name << " (" << role << ")\n";
    return 0;
  }
  if (user_password->parsed()) {
    Status s = hub.accounts().set_password(name, read_password());
    if (!s.ok()) return fail(s);
    std::cout << "password of " << name << " changed; its devices log in again\n";
    return 0;
  }
  if (serve->parsed()) {
    if (!serve_listen.empty()) config.listen = serve_listen;
    auto server = Server::create(hub, config);
    if (!server.ok()) return fail(server.status());
    auto notifier = open_notifier(hub, config);
    if (!notifier.ok()) return fail(notifier.status());
    if (*notifier) {
      (*notifier)->start();
      // Newly raised warnings (HubService::run_rules, outside the store lock) go out through the
      // outbox; a failure to queue is reported, the warning itself is already stored.
      hub.set_warning_sink([n = notifier->get()](const std::vector<Warning>& raised) {
        if (Status s = n->notify_warnings(raised); !s.ok()) {
          std::cerr << "lwc-hub: cannot queue notifications: " << s.to_string() << std::endl;
        }
      });
      // Warnings raised just before an unclean stop reach the outbox now (idempotent per day).
      if (auto n = hub.hand_off_unnotified(); !n.ok()) {
        std::cerr << "lwc-hub: " << n.status().to_string() << std::endl;
      }
      // The weekly Monday summary, per office, through the same outbox.
      hub.set_summary_sink([n = notifier->get()](const std::string& office, const std::string& th,
                                                 const std::string& en, const std::string& png,
                                                 const std::string& period) {
        if (Status s = n->enqueue_summary(office, th, en, png, period); !s.ok()) {
          std::cerr << "lwc-hub: cannot queue the weekly summary: " << s.to_string() << std::endl;
        }
      });
      std::cout << "outgoing channels:" << (config.channels.line ? " line" : "")
                << (config.channels.email ? " email" : "")
                << (config.channels.webhook ? " webhook" : "") << " (outbox "
                << config.path("notify.db") << ")" << std::endl;
    }
    // The warning rules run on their own thread: every rules_interval_s and after every change.
    RuleScheduler rules(hub, config.rules_interval_s * 1000);
    hub.set_change_listener([&rules] { rules.poke(); });
    rules.start();
    const std::string host = config.listen.substr(0, config.listen.rfind(':'));
    std::cout << "lwc-hub listening on https://" << host << ":" << (*server)->port() << std::endl;
    (*server)->run();
    rules.stop();
    hub.set_warning_sink(nullptr);
    hub.set_summary_sink(nullptr);
    if (*notifier) (*notifier)->stop();  // pending messages stay in notify.db for the next start
    std::cout << "lwc-hub stopped" << std::endl;
    return 0;
  }
  if (exp_kpi->parsed() || exp_award->parsed()) {
    const int64_t now = hub_clock().now_ms();
    auto inputs =
        hub.with_store([](Store& st) { return load_rule_inputs(st, ScopeFilter::everything()); });
    if (!inputs.ok()) return fail(inputs.status());
    if (exp_award->parsed()) {
      if (award_month.empty()) award_month = format_date(thai_date(now)).substr(0, 7);
      if (!parse_date(award_month + "-01").ok()) {
        return fail(Status(Code::kInvalidArgument, "--month is YYYY-MM, e.g. 2026-11"));
      }
      Leaderboard b = monthly_award(*inputs, config.rules, config.award, award_month, now);
      std::cout << (award_json ? leaderboard_json(b).dump(2) : leaderboard_text(b, Lang::kTh))
                << "\n";
      return 0;
    }
    const Date today = thai_date(now);
    if (kpi_from.empty()) kpi_from = format_date(fiscal_year_start(fiscal_year_be(today)));
    if (kpi_to.empty()) kpi_to = format_date(today);
    for (const std::string* d : {&kpi_from, &kpi_to}) {
      if (auto p = parse_date(*d); !p.ok()) return fail(p.status());
    }
    if (kpi_to < kpi_from) return fail(Status(Code::kInvalidArgument, "--to is before --from"));
    auto warnings =
        hub.with_store([](Store& st) { return st.rows("warning", ScopeFilter::everything()); });
    if (!warnings.ok()) return fail(warnings.status());
    const std::string csv =
        kpi_csv(compute_kpis(*inputs, *warnings, config.rules, kpi_from, kpi_to, now));
    if (export_out.empty()) {
      std::cout << csv;
      return 0;
    }
    std::ofstream out(export_out, std::ios::binary);
    out << csv;
    if (!out) return fail(Status(Code::kIo, "cannot write " + export_out));
    std::cerr << "KPIs " << kpi_from << " .. " << kpi_to << " written to " << export_out << "\n";
    return 0;
  }
  if (exp->parsed()) {
    if (!as_json)
      return fail(Status(Code::kInvalidArgument, "use export --json, export kpi or export award"));
    const ScopeFilter filter = export_district.empty()
                                   ? ScopeFilter::everything()
                                   : read_filter(Principal{Role::kDistrict, export_district, ""});
    auto out = hub.with_store([&](Store& s) { return s.export_canonical(filter); });
    if (!out.ok()) return fail(out.status());
    std::cout << *out;
    return 0;
  }
  if (device_list->parsed()) {
    auto list = hub.accounts().devices();
    if (!list.ok()) return fail(list.status());
    for (const auto& d : *list) {
      std::cout << json{{"device_id", d.device_id},
                        {"user", d.user},
                        {"name", d.name},
                        {"client_version", d.client_version},
                        {"enrolled_ms", d.enrolled_ms},
                        {"last_seen_ms", d.last_seen_ms},
                        {"revoked", d.revoked}}
                       .dump()
                << "\n";
    }
    return 0;
  }
  if (device_revoke->parsed()) {
    Status s = hub.accounts().revoke_device(device_id);
    if (!s.ok()) return fail(s);
    std::cout << "revoked " << device_id << "\n";
    return 0;
  }
  if (device_readmit->parsed()) {
    Status s = hub.accounts().readmit_device(device_id);
    if (!s.ok()) return fail(s);
    std::cout << "readmitted " << device_id << "; it may log in again\n";
    return 0;
  }
  if (notify_list->parsed()) return cmd_notify_list(config, notify_limit);
  if (audit->parsed()) {
    auto log = hub.accounts().audit_log();
    if (!log.ok()) return fail(log.status());
    for (const AuditEntry& e : *log) {
      std::cout << json{{"id", e.id},         {"at_ms", e.at_ms},
                        {"user", e.user},     {"device_id", e.device_id},
                        {"action", e.action}, {"detail", json::parse(e.detail, nullptr, false)}}
                       .dump()
                << "\n";
    }
    return 0;
  }
  return 2;
}

}  // namespace lwc::hub
