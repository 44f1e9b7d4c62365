// The web status page's handlers (hub/src/web.cpp) through HubService::handle, no network:
// GET /v1/status (shape, languages, public or login, no personal data), the letters (province only,
// BE date, the district), the page files, and the debounced status feed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "hub_fixture.h"
#include "lwc/entries.h"
#include "lwc/hub/web.h"
#include "lwc/id.h"

using namespace lwc;
using namespace lwc::test;
using nlohmann::json;

namespace {

void write(HubFixture& f, const Result<RowWrite>& w) {
  REQUIRE(w.ok());
  auto r = f.hub->with_store([&](Store& s) {
    return s.write_local(w->table, w->id, w->scope, w->fields, Store::Queue::kNone);
  });
  REQUIRE(r.ok());
}

// Mae Mo: a budget target and a figure typed by "maemo", verified by "planner"; a directive letter
// due five days before the fixture's clock (25 Nov 2026) and not submitted: escalated by now.
std::string seed(HubFixture& f) {
  write(f, target_entry({kBudgetIndicator, "5202", "", "2570", 1'000'000}));
  auto budget =
      budget_entry({"5202", "strategy", 150'000, "2026-11-20", "maemo", "typed by maemo"});
  write(f, budget);
  auto row = f.hub->with_store([&](Store& s) { return s.get_row("measurement", budget->id); });
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  write(f, review_entry(**row, true, "planner", f.clock.now_ms(), ""));
  auto task = task_entry({"directive",
                          "ลป 0020/ว 77",
                          "รายงานกองทุน / Fund report",
                          "2026-11-10",
                          "2026-11-20",
                          {"5202"},
                          ""});
  write(f, task);
  auto raised = f.hub->run_rules();
  REQUIRE(raised.ok());
  std::vector<Warning> task_warnings;
  for (const Warning& w : *raised) {
    if (w.rule == kRuleTaskDeadline) task_warnings.push_back(w);
  }
  REQUIRE(!task_warnings.empty());
  std::sort(task_warnings.begin(), task_warnings.end(), more_urgent);
  REQUIRE(task_warnings.front().stage == Stage::kEscalated);  // 5 days overdue, not acknowledged
  return task_warnings.front().id;
}

const json* district(const json& status, const std::string& code) {
  for (const json& d : status["districts"]) {
    if (d["code"] == code) return &d;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("web: /v1/status is the province status with the as-of of every figure", "[web]") {
  HubFixture f;
  seed(f);
  auto r = f.call("GET", "/v1/status");
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "application/json");
  json s = body_of(r);
  CHECK(s["lang"] == "th");
  CHECK(s["fiscal_year"] == 2570);
  CHECK(s["at_ms"] == f.clock.now_ms());
  CHECK(s["at_text"].get<std::string>().find("พ.ย. 2569") != std::string::npos);
  REQUIRE(s["districts"].size() == 13);
  for (const json& d : s["districts"]) {
    INFO(d.dump());
    for (const char* member : {"code", "name", "status", "budget", "bmn", "reports", "warnings"}) {
      CHECK(d.contains(member));
    }
    for (const char* fig : {"budget", "bmn"}) {
      CHECK(d[fig].contains("as_of_text"));
      CHECK(d[fig].contains("expected_pct"));
    }
  }
  const json* maemo = district(s, "5202");
  REQUIRE(maemo);
  CHECK((*maemo)["name"] == "แม่เมาะ");
  CHECK((*maemo)["budget"]["pct"] == Approx(15.0));
  CHECK((*maemo)["budget"]["verified"] == true);
  CHECK((*maemo)["budget"]["as_of_text"] == "20 พ.ย. 2569");
  CHECK((*maemo)["warnings"]["open"].get<int>() >= 1);
  CHECK((*maemo)["warnings"]["escalated"] == 1);
  CHECK((*maemo)["status"] == "escalated");
  CHECK((*maemo)["reports"]["missing"] == 1);
  CHECK((*district(s, "5201"))["status"] == "no_data");
  CHECK(s["expected"]["budget_tolerance_pct"] == Approx(5.0));
  REQUIRE(s["award"].is_object());
  CHECK(s["award"]["month"] == "2026-11");
  CHECK(s["award"]["scores"].size() == 13);

  json en = body_of(f.call("GET", "/v1/status?lang=en"));
  CHECK(en["lang"] == "en");
  CHECK(en["fiscal_year"] == 2027);
  CHECK((*district(en, "5202"))["name"] == "Mae Mo");
  CHECK((*district(en, "5202"))["budget"]["as_of_text"] == "20 Nov 2026");

  auto bad = f.call("GET", "/v1/status?lang=fr");
  CHECK(bad.status == 422);
  CHECK(body_of(bad)["code"] == "invalid_argument");
  CHECK(f.call("POST", "/v1/status", "{}").status == 404);
}

TEST_CASE("web: the public status names no person, device or row", "[web]") {
  HubFixture f;
  seed(f);
  const std::string device = new_id();
  const std::string token = f.login("maemo", device);
  auto anonymous = f.call("GET", "/v1/status");
  REQUIRE(anonymous.status == 200);
  for (const char* lang : {"th", "en"}) {
    const std::string body = f.call("GET", std::string("/v1/status?lang=") + lang).body;
    for (const std::string& word :
         {std::string("maemo"), std::string("planner"), std::string("thoen"), device,
          std::string("entered_by"), std::string("verifiers"), std::string("typed by")}) {
      INFO(lang << ": " << word);
      CHECK(body.find(word) == std::string::npos);
    }
  }
  // A logged-in caller also gets the sources of the figures (free text an officer typed).
  json with_token = body_of(f.call("GET", "/v1/status", "", token));
  CHECK((*district(with_token, "5202"))["budget"]["sources"] == json::array({"typed by maemo"}));
  // On a public page a stale token is the same as none.
  CHECK(f.call("GET", "/v1/status", "", std::string(64, 'a')).status == 200);
}

TEST_CASE("web: browsers asking together share one computation until the data changes", "[web]") {
  HubFixture f;
  seed(f);
  const std::string first = f.call("GET", "/v1/status").body;
  f.clock.advance_ms(1000);
  CHECK(f.call("GET", "/v1/status").body == first);  // same data, same answer (same at_ms)
  CHECK(f.call("GET", "/v1/status?lang=en").body != first);
  write(f, budget_entry({"5208", "strategy", 10'000, "2026-11-24", "thoen", "x"}));
  const std::string changed = f.call("GET", "/v1/status").body;
  CHECK(changed != first);
  CHECK(json::parse(changed)["at_ms"] == f.clock.now_ms());
  f.clock.advance_ms(5000);  // at most 5 s old, even without changes
  CHECK(body_of(f.call("GET", "/v1/status"))["at_ms"] == f.clock.now_ms());
}

TEST_CASE("web: behind login when hub.json says web.public = false", "[web]") {
  HubFixture f;
  const std::string token = f.login("maemo", new_id());
  hub::HubConfig closed = f.config;
  closed.web.public_page = false;
  f.hub.reset();
  auto reopened = hub::HubService::open(closed, f.clock);
  REQUIRE(reopened.ok());
  f.hub = std::move(reopened).value();
  auto anonymous = f.call("GET", "/v1/status");
  CHECK(anonymous.status == 401);
  CHECK(body_of(anonymous)["code"] == "unauthenticated");
  CHECK(f.call("GET", "/v1/status", "", std::string(64, 'a')).status == 401);
  CHECK(f.call("GET", "/v1/status", "", token).status == 200);
  // The page files hold no data and load either way (the page then shows its login form).
  CHECK(f.call("GET", "/").status == 200);
}

TEST_CASE("web: hub.json web member is checked", "[web]") {
  TempDir dir;
  hub::HubConfig c;
  c.data_dir = dir.path().string();
  c.web.public_page = false;
  c.web.letter_ref = "ลป 0019";
  REQUIRE(hub::save_config(c).ok());
  auto loaded = hub::load_config(c.data_dir);
  REQUIRE(loaded.ok());
  CHECK_FALSE(loaded->web.public_page);
  CHECK(loaded->web.letter_ref == "ลป 0019");
  CHECK(loaded->web.debounce_ms == 500);
  CHECK(loaded->web.max_streams == 1000);
  json j = json::parse(std::ifstream(c.path("hub.json")));
  j["web"]["publik"] = true;
  std::ofstream(c.path("hub.json")) << j.dump();
  auto typo = hub::load_config(c.data_dir);
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.status().message().find("web.publik") != std::string::npos);
}

TEST_CASE("web: letters are for province accounts, dated in BE, addressed to the district",
          "[web]") {
  HubFixture f;
  const std::string id = seed(f);
  const std::string maemo = f.login("maemo", new_id());
  const std::string planner = f.login("planner", new_id());

  CHECK(f.call("GET", "/v1/letters/" + id).status == 401);
  auto district = f.call("GET", "/v1/letters/" + id, "", maemo);
  CHECK(district.status == 403);
  CHECK(body_of(district)["code"] == "permission_denied");
  CHECK(f.call("GET", "/v1/letters", "", maemo).status == 403);

  auto list = f.call("GET", "/v1/letters", "", planner);
  REQUIRE(list.status == 200);
  json letters = body_of(list)["letters"];
  REQUIRE(letters.size() == 1);  // one letter per subject: its highest stage
  CHECK(letters[0]["id"] == id);
  CHECK(letters[0]["kind"] == "demand");
  CHECK(letters[0]["district_name"] == "แม่เมาะ");

  auto r = f.call("GET", "/v1/letters/" + id, "", planner);
  REQUIRE(r.status == 200);
  json l = body_of(r);
  CHECK(l["kind"] == "demand");
  CHECK(l["kind_text"] == "หนังสือทวงถาม");
  CHECK(l["heading"] == "บันทึกข้อความ");
  CHECK(l["office"] == "สำนักงานพัฒนาชุมชนจังหวัดลำปาง");
  CHECK(l["ref"] == "ลป 0020/");
  CHECK(l["date_text"] == "25 พฤศจิกายน 2569");  // Buddhist Era, the month in full
  CHECK(l["to"] == "พัฒนาการอำเภอแม่เมาะ");
  CHECK(l["subject"] == "ทวงถามการดำเนินงาน รายงานกองทุน");
  CHECK(l["reference"] == "หนังสือจังหวัดลำปาง ที่ ลป 0020/ว 77 ลงวันที่ 10 พฤศจิกายน 2569");
  REQUIRE(l["body"].size() == 3);
  CHECK(l["body"][0].get<std::string>().find("สำนักงานพัฒนาชุมชนอำเภอแม่เมาะ") != std::string::npos);
  CHECK(l["body"][0].get<std::string>().find("20 พฤศจิกายน 2569") != std::string::npos);
  CHECK(l["signer_position"] == "พัฒนาการจังหวัดลำปาง");
  CHECK(l.dump().find("maemo") == std::string::npos);

  json en = body_of(f.call("GET", "/v1/letters/" + id + "?lang=en", "", planner));
  CHECK(en["date_text"] == "25 November 2026");
  CHECK(en["to"] == "The Mae Mo District Community Development Officer");
  CHECK(en["subject"] == "Demand for action: Fund report");

  CHECK(f.call("GET", "/v1/letters/" + std::string(32, '0'), "", planner).status == 404);
  CHECK(f.call("GET", "/v1/letters/not-an-id", "", planner).status == 404);
}

TEST_CASE("web: a letter's kind follows the stage", "[web]") {
  Warning w;
  w.rule = kRuleBudgetCurve;
  w.subject = "budget_disbursement/2570/W09";
  w.district = "5208";
  w.title = "การเบิกจ่ายงบประมาณ";
  w.due = "2026-12-31";
  w.message_th = "การเบิกจ่ายงบประมาณ: 5.0% ต่ำกว่าเป้าหมายสะสม 17.5%";
  hub::LetterContext ctx;
  ctx.district_name = "เถิน";
  ctx.letter_ref = "ลป 0020";
  ctx.now_ms = kHubT0;
  for (Stage s : {Stage::kWarn, Stage::kFollow}) {
    w.stage = s;
    json l = hub::letter_json(w, ctx, Lang::kTh);
    CHECK(l["kind"] == "warning");
    CHECK(l["kind_text"] == "หนังสือเตือน");
    CHECK(l["subject"] == "แจ้งเตือนการดำเนินงาน การเบิกจ่ายงบประมาณ");
    CHECK(l["body"][0].get<std::string>().find("พ.ศ. 2570") != std::string::npos);
    CHECK(l["reference"] == "");
  }
  for (Stage s : {Stage::kDemand, Stage::kEscalated}) {
    w.stage = s;
    CHECK(hub::letter_json(w, ctx, Lang::kTh)["kind"] == "demand");
  }
}

TEST_CASE("web: the page files are served by the hub with a strict content policy", "[web]") {
  HubFixture f;
  for (const char* path :
       {"/", "/status", "/letters", "/letters/0123456789abcdef0123456789abcdef"}) {
    auto r = f.call("GET", path);
    INFO(path);
    CHECK(r.status == 200);
    CHECK(r.content_type == "text/html; charset=utf-8");
    bool csp = false;
    for (const auto& [name, value] : r.headers) {
      csp |= name == "Content-Security-Policy" &&
             value.find("default-src 'self'") != std::string::npos;
    }
    CHECK(csp);
  }
  CHECK(f.call("GET", "/").body.find("/web/status.js") != std::string::npos);
  auto js = f.call("GET", "/web/status.js");
  CHECK(js.status == 200);
  CHECK(js.content_type == "text/javascript; charset=utf-8");
  CHECK(f.call("GET", "/web/style.css").content_type == "text/css; charset=utf-8");
  CHECK(f.call("GET", "/web/nothing.js").status == 404);
  CHECK(f.call("GET", "/web/../hub.json").status == 404);
  CHECK(f.call("POST", "/", "{}").status == 404);
  // No page file loads anything from elsewhere (the offices may have no internet).
  for (const char* name : {"index.html", "letter.html", "status.js", "letter.js", "common.js",
                           "strings.js", "style.css", "letter.css"}) {
    const hub::WebAsset* a = hub::find_web_asset(name);
    REQUIRE(a);
    INFO(name);
    std::string body(a->body);
    const std::string svg_namespace = "http://www.w3.org/2000/svg";  // a name, not a download
    for (size_t at; (at = body.find(svg_namespace)) != std::string::npos;)
      body.erase(at, svg_namespace.size());
    CHECK(body.find("http://") == std::string::npos);
    CHECK(body.find("https://") == std::string::npos);
  }
}

TEST_CASE("web: a storm of changes is one status event per interval", "[web]") {
  hub::EventBus source;
  hub::StatusFeed feed(source, 200);
  std::atomic<int> events{0};
  std::string last;
  std::mutex mu;
  feed.events().subscribe(ScopeFilter::everything(), [&](const std::string& m) {
    std::lock_guard lock(mu);
    last = m;
    ++events;
  });
  source.publish({"5202"}, "event: changes\ndata: {\"seq\":1}\n\n");
  for (int i = 0; i < 20 && events == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(events == 1);  // the first change goes out at once
  for (int i = 0; i < 100; ++i) source.publish({"5201"}, "event: changes\ndata: {}\n\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  CHECK(events == 1);  // the storm waits for the interval…
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK(events == 2);  // …and goes out as one event
  std::lock_guard lock(mu);
  CHECK(last == "event: status\ndata: {}\n\n");  // no row data
  CHECK(feed.published() == 2);
}
