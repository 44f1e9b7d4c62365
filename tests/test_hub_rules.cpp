// The hub's warning engine through HubService: rules run, rows written, events and the sink.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include <stb_image.h>

#include "hub_fixture.h"
#include "lwc/entries.h"
#include "lwc/hub/chart.h"
#include "lwc/id.h"
#include "lwc/summary.h"
#include "lwc/warnings.h"

using namespace lwc;
using namespace lwc::test;
using nlohmann::json;

namespace {

constexpr int64_t kHour = 3'600'000;
int64_t at(const char* date, int hour = 0) {
  return thai_midnight_ms(*parse_date(date)) + hour * kHour;
}

// A client of the fixture hub: numbers its mutations and pushes RowWrites as they come.
struct Device {
  HubFixture& f;
  std::string token;
  int64_t counter = 0;

  json push(const RowWrite& w) {
    std::vector<json> ms;
    for (const auto& field : w.fields) {
      ++counter;
      ms.push_back(json{{"counter", counter},
                        {"table", w.table},
                        {"id", w.id},
                        {"scope", w.scope},
                        {"field", field.field},
                        {"value", json::parse(field.value)},
                        {"hlc", Hlc::from_parts(f.clock.now_ms(), uint32_t(counter)).packed},
                        {"base", 0}});
    }
    auto r = f.call("POST", "/v1/push", json{{"mutations", ms}}.dump(), token);
    REQUIRE(r.status == 200);
    json body = body_of(r);
    for (const json& result : body["results"]) REQUIRE(result["status"] == "applied");
    return body;
  }
};

std::vector<std::string> stage_names(const std::vector<Warning>& ws) {
  std::vector<std::string> out;
  for (const Warning& w : ws) out.push_back(stage_name(w.stage));
  std::sort(out.begin(), out.end());
  return out;
}

Warning stored(HubFixture& f, const std::string& id) {
  auto row = f.hub->with_store([&](Store& s) { return s.get_row("warning", id); });
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  auto w = warning_from_row(**row);
  REQUIRE(w.ok());
  return *w;
}

bool cleared(HubFixture& f, const std::string& id) {
  auto v = f.hub->with_store([&](Store& s) { return s.get_field("warning", id, "cleared_at"); });
  return v.ok() && v->has_value() && (*v)->value != "null";
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("hub rules: a task walks warn -> follow -> demand -> escalated, each raised once",
          "[hub-rules]") {
  HubFixture f;
  f.clock.set_ms(at("2026-12-01", 9));
  Device planner{f, f.login("planner", new_id())};
  auto task = task_entry(
      {"directive", "ลป 0020/ว 1", "รายงานกองทุน", "2026-12-01", "2026-12-18", {"5202"}, ""});
  planner.push(*task);

  std::vector<std::string> events;
  f.hub->events().subscribe(ScopeFilter::only({"5202", "province"}),
                            [&](const std::string& m) { events.push_back(m); });
  std::vector<Warning> sunk;
  f.hub->set_warning_sink(
      [&](const std::vector<Warning>& ws) { sunk.insert(sunk.end(), ws.begin(), ws.end()); });

  CHECK(f.hub->run_rules()->empty());
  f.clock.set_ms(at("2026-12-15", 8));
  auto raised = f.hub->run_rules();
  REQUIRE(raised.ok());
  REQUIRE(stage_names(*raised) == V{"warn"});
  const Warning warn = raised->front();
  CHECK(stored(f, warn.id).message_th == warn.message_th);
  // The warning event travels ahead of the changes event, carrying the whole warning.
  REQUIRE(events.size() == 2);
  CHECK_THAT(events[0], Catch::StartsWith("event: warning\ndata: "));
  CHECK(json::parse(events[0].substr(events[0].find("data: ") + 6))["id"] == warn.id);
  CHECK_THAT(events[1], Catch::StartsWith("event: changes\n"));

  // Nothing new: no write, no event.
  const int64_t seq = f.hub->with_store([](Store& s) { return s.last_seq(); });
  CHECK(f.hub->run_rules()->empty());
  CHECK(f.hub->with_store([](Store& s) { return s.last_seq(); }) == seq);
  CHECK(events.size() == 2);

  f.clock.set_ms(at("2026-12-18", 8));
  CHECK(stage_names(*f.hub->run_rules()) == V{"follow"});
  f.clock.set_ms(at("2026-12-19", 8));
  CHECK(stage_names(*f.hub->run_rules()) == V{"demand"});
  f.clock.set_ms(at("2026-12-21", 8));
  CHECK(stage_names(*f.hub->run_rules()) == V{"escalated"});
  CHECK(stage_names(sunk) == V{"demand", "escalated", "follow", "warn"});

  // The district's late submission clears every stage.
  Device maemo{f, f.login("maemo", new_id())};
  auto task_row = f.hub->with_store([&](Store& s) { return s.get_row("task", task->id); });
  maemo.push(*submission_entry(**task_row, "5202", "maemo", f.clock.now_ms(), "ลป 0020.1/55"));
  CHECK(f.hub->run_rules()->empty());
  for (const Warning& w : sunk) CHECK(cleared(f, w.id));
}

TEST_CASE("hub rules: acknowledgement stops escalation, a dispute pauses it until resolved",
          "[hub-rules]") {
  HubFixture f;
  f.clock.set_ms(at("2026-12-01", 9));
  Device planner{f, f.login("planner", new_id())};
  Device maemo{f, f.login("maemo", new_id())};
  auto a = task_entry({"directive", "", "ก", "2026-12-01", "2026-12-18", {"5202", "5208"}, ""});
  planner.push(*a);
  f.clock.set_ms(at("2026-12-19", 9));
  auto raised = f.hub->run_rules();
  REQUIRE(raised->size() == 6);
  const std::string demand_5202 = warning_id(kRuleTaskDeadline, a->id, "5202", Stage::kDemand);
  const std::string demand_5208 = warning_id(kRuleTaskDeadline, a->id, "5208", Stage::kDemand);
  maemo.push(*ack_entry(demand_5202, "5202", "maemo", f.clock.now_ms(), false, ""));

  Device thoen{f, f.login("thoen", new_id())};
  auto dispute = ack_entry(demand_5208, "5208", "thoen", f.clock.now_ms(), true,
                           "ข้อมูลไม่เป็นปัจจุบัน ส่งทางอีเมลแล้ว / data out of date, sent by e-mail");
  thoen.push(*dispute);

  f.clock.set_ms(at("2026-12-25"));
  CHECK(f.hub->run_rules()->empty());  // acknowledged: no escalation; disputed: paused

  // The province resolves the dispute: audited, and escalation resumes 48 hours later.
  auto ack_row = f.hub->with_store([&](Store& s) { return s.get_row("ack", dispute->id); });
  planner.push(
      *resolve_entry(**ack_row, "planner", f.clock.now_ms(), "ไม่พบอีเมล / no e-mail received"));
  auto log = f.hub->accounts().audit_log();
  REQUIRE(!log->empty());
  CHECK(log->back().action == "dispute_resolved");
  CHECK_THAT(log->back().detail, Catch::Contains("no e-mail received"));
  f.clock.set_ms(at("2026-12-26", 23));
  CHECK(f.hub->run_rules()->empty());
  f.clock.set_ms(at("2026-12-27", 1));
  auto escalated = f.hub->run_rules();
  REQUIRE(escalated->size() == 1);
  CHECK(escalated->front().district == "5208");
  CHECK(escalated->front().stage == Stage::kEscalated);
}

TEST_CASE("hub rules: a silence needs province rights, is audited, and holds new stages back",
          "[hub-rules]") {
  HubFixture f;
  f.clock.set_ms(at("2026-12-01", 9));
  Device planner{f, f.login("planner", new_id())};
  auto a = task_entry({"directive", "", "ก", "2026-12-01", "2026-12-18", {"5202"}, ""});
  planner.push(*a);
  f.clock.set_ms(at("2026-12-16", 9));
  REQUIRE(f.hub->run_rules()->size() == 1);

  auto silence = silence_entry({"5202", kRuleTaskDeadline, a->id, at("2026-12-31"),
                                "ขยายเวลาตามหนังสือ ลป 0020/ว 1300 / extension approved", "planner"},
                               f.clock.now_ms());
  // A district cannot silence itself.
  {
    Device maemo{f, f.login("maemo", new_id())};
    std::vector<json> ms;
    for (const auto& field : silence->fields) {
      ++maemo.counter;
      ms.push_back(json{{"counter", maemo.counter},
                        {"table", "silence"},
                        {"id", silence->id},
                        {"scope", "5202"},
                        {"field", field.field},
                        {"value", json::parse(field.value)},
                        {"hlc", Hlc::from_parts(f.clock.now_ms(), 1).packed},
                        {"base", 0}});
    }
    auto r = f.call("POST", "/v1/push", json{{"mutations", ms}}.dump(), maemo.token);
    REQUIRE(r.status == 200);
    const json answer = body_of(r);
    REQUIRE(answer["results"].size() == ms.size());
    for (const json& result : answer["results"]) CHECK(result["code"] == "permission_denied");
  }
  planner.push(*silence);
  auto log = f.hub->accounts().audit_log();
  bool audited = false;
  for (const auto& e : *log) {
    audited |= e.action == "silence" && e.detail.find("extension approved") != std::string::npos;
  }
  CHECK(audited);
  f.clock.set_ms(at("2026-12-20", 9));
  CHECK(f.hub->run_rules()->empty());  // follow and demand held back; the warn row is cleared
  CHECK(cleared(f, warning_id(kRuleTaskDeadline, a->id, "5202", Stage::kWarn)));
  f.clock.set_ms(at("2026-12-31", 1));
  CHECK(stage_names(*f.hub->run_rules()) == V{"demand", "escalated", "follow", "warn"});
}

TEST_CASE("hub rules: the rules configuration is shared with clients as a setting row",
          "[hub-rules]") {
  HubFixture f;
  auto row =
      f.hub->with_store([](Store& s) { return s.get_row("setting", setting_row_id("rules")); });
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  const FieldVersion* value = (*row)->find("value");
  REQUIRE(value);
  auto parsed = parse_rules_config(json::parse(json::parse(value->value).get<std::string>()));
  REQUIRE(parsed.ok());
  CHECK(rules_config_json(*parsed) == rules_config_json(f.config.rules));
}

TEST_CASE("hub rules: the weekly Monday summary is produced once, archived, per office",
          "[hub-rules]") {
  HubFixture f;
  std::map<std::string, std::pair<std::string, std::string>> sent;
  std::string period;
  std::string chart;
  f.hub->set_summary_sink([&](const std::string& office, const std::string& th,
                              const std::string& en, const std::string& png, const std::string& p) {
    sent[office] = {th, en};
    period = p;
    chart = png;
  });
  f.clock.set_ms(at("2026-11-29", 9));  // Sunday
  REQUIRE(f.hub->run_rules().ok());
  f.clock.set_ms(at("2026-11-30", 7));  // Monday before the digest hour (8)
  REQUIRE(f.hub->run_rules().ok());
  CHECK(sent.empty());
  f.clock.set_ms(at("2026-11-30", 8));
  REQUIRE(f.hub->run_rules().ok());
  CHECK(sent.size() == 15);  // province, executive and the 13 districts
  CHECK(period == "2026-11-30");
  CHECK(sent["province"].first.find("สรุปสถานะประจำสัปดาห์ที่ 10 ปีงบประมาณ 2570") != std::string::npos);
  CHECK(sent["province"].first.find("แม่เมาะ") != std::string::npos);
  CHECK(sent["5202"].second.find("Mae Mo") != std::string::npos);
  CHECK(sent["5202"].second.find("Ko Kha") == std::string::npos);
  std::ifstream archive(f.config.path("summaries/2026-11-30.json"));
  REQUIRE(archive);
  json a = json::parse(archive);
  CHECK(a["week"] == 10);
  CHECK(a["offices"]["5208"]["en"].get<std::string>().find("Thoen") != std::string::npos);
  // The chart goes with it (fonts-thai-tlwg is installed by scripts/setup.sh) and is archived.
  CHECK(chart.rfind("\x89PNG", 0) == 0);
  CHECK(std::filesystem::file_size(f.config.path("summaries/2026-11-30.png")) == chart.size());
  // Once per Monday, also across a restart of the scheduler.
  sent.clear();
  f.clock.set_ms(at("2026-11-30", 15));
  REQUIRE(f.hub->run_rules().ok());
  CHECK(sent.empty());
}

TEST_CASE("hub rules: a warning written but not handed on before a crash is handed on at start",
          "[hub-rules]") {
  HubFixture f;
  f.clock.set_ms(at("2026-12-01", 9));
  Device planner{f, f.login("planner", new_id())};
  auto a = task_entry({"directive", "", "ก", "2026-12-01", "2026-12-18", {"5202"}, ""});
  planner.push(*a);
  f.clock.set_ms(at("2026-12-16", 9));
  REQUIRE(f.hub->run_rules()->size() == 1);  // raised and handed on (no sink: nothing to do)
  CHECK(*f.hub->hand_off_unnotified() == 0);
  // The follow stage is committed, then the process dies before the hand-off.
  f.clock.set_ms(at("2026-12-18", 9));
  auto ws = evaluate_rules(
      *f.hub->with_store([](Store& s) { return load_rule_inputs(s, ScopeFilter::everything()); }),
      f.config.rules, f.clock.now_ms());
  const Warning* follow = nullptr;
  for (const Warning& w : ws) {
    if (w.stage == Stage::kFollow) follow = &w;
  }
  REQUIRE(follow);
  REQUIRE(f.hub
              ->with_store([&](Store& s) {
                return s.write_local("warning", follow->id, "5202", warning_fields(*follow),
                                     Store::Queue::kNone);
              })
              .ok());
  std::vector<Warning> handed;
  f.hub->set_warning_sink(
      [&](const std::vector<Warning>& w) { handed.insert(handed.end(), w.begin(), w.end()); });
  REQUIRE(*f.hub->hand_off_unnotified() == 1);
  REQUIRE(handed.size() == 1);
  CHECK(handed[0].id == follow->id);
  CHECK(*f.hub->hand_off_unnotified() == 0);  // once
}

TEST_CASE("summary chart: a PNG with every district's bars in status colours", "[hub-rules]") {
  HubFixture f;
  f.clock.set_ms(at("2026-11-26", 9));
  Device planner{f, f.login("planner", new_id())};
  planner.push(*target_entry({kBudgetIndicator, "5202", "", "2570", 1'000'000}));
  planner.push(*target_entry({kBudgetIndicator, "5208", "", "2570", 1'000'000}));
  Device maemo{f, f.login("maemo", new_id())};
  maemo.push(*budget_entry({"5202", "strategy", 50'000, "2026-11-25", "maemo"}));  // 5 %: behind
  Device thoen{f, f.login("thoen", new_id())};
  thoen.push(*budget_entry({"5208", "strategy", 300'000, "2026-11-25", "thoen"}));  // 30 %: ahead
  auto inputs =
      f.hub->with_store([](Store& s) { return load_rule_inputs(s, ScopeFilter::everything()); });
  REQUIRE(inputs.ok());
  ProvinceStatus status = province_status(*inputs, f.config.rules, {}, f.clock.now_ms());
  REQUIRE(status.districts.size() == 13);
  auto png = hub::render_status_chart(status, Lang::kTh, hub::chart_font_path());
  REQUIRE(png.ok());
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png->data()),
                                            int(png->size()), &w, &h, &n, 3);
  REQUIRE(px);
  CHECK(w > 800);
  CHECK(h > 13 * 30);
  size_t red = 0, green = 0, dark = 0;
  for (int i = 0; i < w * h; ++i) {
    const unsigned char* p = px + i * 3;
    red += p[0] == 217 && p[1] == 54 && p[2] == 54;
    green += p[0] == 47 && p[1] == 158 && p[2] == 68;
    dark += p[0] < 80 && p[1] < 80 && p[2] < 80;  // text and target markers
  }
  stbi_image_free(px);
  CHECK(red > 100);    // Mae Mo behind its curve
  CHECK(green > 100);  // Thoen ahead of it
  CHECK(dark > 1000);  // 13 names, a title and axis labels (two target markers alone: ~180)
  CHECK(hub::render_status_chart(status, Lang::kEn, "/nonexistent/font.ttf").status().code() ==
        Code::kNotFound);
}
