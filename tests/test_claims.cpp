// Claimed times (claims.h): the rule that bounds them, and the hub applying it to pushed
// submissions, acknowledgements and figures, with the award, the rules and the audit log reading
// the time that counts.
#include <catch2/catch.hpp>

#include "hub_fixture.h"
#include "lwc/award.h"
#include "lwc/calendar.h"
#include "lwc/claims.h"
#include "lwc/entries.h"
#include "lwc/id.h"
#include "lwc/model.h"

using namespace lwc;
using namespace lwc::test;
using nlohmann::json;

namespace {

constexpr int64_t kMinute = 60'000, kHour = 3'600'000, kDay = 86'400'000;

int64_t thai(int year, int month, int day, int hour = 0, int minute = 0) {
  return thai_midnight_ms(Date{year, month, day}) + hour * kHour + minute * kMinute;
}

Row row_with(const std::string& table, std::vector<std::pair<std::string, FieldVersion>> fields) {
  Row r{table, "r1", "5202", {}};
  std::sort(fields.begin(), fields.end(), [](auto& a, auto& b) { return a.first < b.first; });
  r.fields = std::move(fields);
  return r;
}

FieldVersion at(json value, int64_t hlc_wall) {
  return FieldVersion{value.dump(), Hlc::from_parts(hlc_wall, 0), "dev", Hlc{}};
}

// A device of one account, pushing rows as its client would: numbered mutations, stamped with the
// device's own clock (which may be set back).
struct Device {
  HubFixture& f;
  std::string id = new_id();
  std::string token;
  int64_t counter = 0;
  Device(HubFixture& fixture, const std::string& user) : f(fixture), token(f.login(user, id)) {}

  hub::Response push(const RowWrite& w, int64_t device_clock_ms) {
    json ms = json::array();
    for (const auto& field : w.fields) {
      ++counter;
      ms.push_back(
          {{"counter", counter},
           {"table", w.table},
           {"id", w.id},
           {"scope", w.scope},
           {"field", field.field},
           {"value", json::parse(field.value)},
           {"hlc", Hlc::from_parts(device_clock_ms, static_cast<uint32_t>(counter)).packed},
           {"base", 0}});
    }
    hub::Response r = f.call("POST", "/v1/push", json{{"mutations", ms}}.dump(), token);
    REQUIRE(r.status == 200);
    const json answer = body_of(r);
    REQUIRE(answer["results"].size() == w.fields.size());
    for (const json& m : answer["results"]) REQUIRE(m["status"] == "applied");
    return r;
  }
  void pull() { REQUIRE(f.call("GET", "/v1/pull?after=0", "", token).status == 200); }
};

Row task_row(HubFixture& f, const std::string& due) {
  auto w = task_entry(
      {"directive", "ลป 0020/ว 77", "รายงานทดสอบ", "2026-11-20", due, {"5202", "5208"}, ""});
  REQUIRE(w.ok());
  return f.hub->with_store([&](Store& s) {
    REQUIRE(s.write_local(w->table, w->id, w->scope, w->fields, Store::Queue::kNone).ok());
    auto row = s.get_row("task", w->id);
    REQUIRE(row.ok());
    return **row;
  });
}

Row stored(HubFixture& f, const std::string& table, const std::string& id) {
  return f.hub->with_store([&](Store& s) {
    auto row = s.get_row(table, id);
    REQUIRE(row.ok());
    REQUIRE(row->has_value());
    return **row;
  });
}

TaskOutcome outcome_for(HubFixture& f, const std::string& district, int64_t now) {
  RuleInputs in = f.hub->with_store([](Store& s) {
    auto in = load_rule_inputs(s, ScopeFilter::everything());
    REQUIRE(in.ok());
    return *in;
  });
  auto all =
      task_outcomes(in, f.config.rules, f.config.award, Date{2026, 11, 1}, Date{2026, 11, 30}, now);
  for (const DistrictTaskOutcome& o : all) {
    if (o.district == district) return o.outcome;
  }
  FAIL("no outcome for " << district);
  return {};
}

size_t audited(HubFixture& f, const std::string& action, const std::string& needle) {
  auto log = f.hub->accounts().audit_log();
  REQUIRE(log.ok());
  size_t n = 0;
  for (const hub::AuditEntry& e : *log) {
    n += e.action == action && e.detail.find(needle) != std::string::npos;
  }
  return n;
}

}  // namespace

TEST_CASE("claims: a claimed time counts between the last contact and the receipt, else at receipt",
          "[claims]") {
  const ClaimWindow w{thai(2026, 11, 26, 9), thai(2026, 11, 30, 10), 5 * kMinute};
  // Offline work keeps its time.
  CHECK(counted_claim("submission", thai(2026, 11, 27, 16), w) == thai(2026, 11, 27, 16));
  CHECK(counted_claim("ack", w.contact_ms, w) == w.contact_ms);
  CHECK(counted_claim("ack", w.received_ms, w) == w.received_ms);
  // A slow clock or the sync round it was made in: up to the tolerance before the contact.
  CHECK(counted_claim("submission", w.contact_ms - 5 * kMinute, w) == w.contact_ms - 5 * kMinute);
  // Before the device's last contact (it would have been sent then), or after the receipt.
  CHECK(counted_claim("submission", w.contact_ms - 5 * kMinute - 1, w) == w.received_ms);
  CHECK(counted_claim("submission", thai(2026, 11, 1), w) == w.received_ms);
  CHECK(counted_claim("ack", w.received_ms + 1, w) == w.received_ms);
  CHECK(counted_claim("submission", 0, w) == 0);
  // A figure's as-of date by Thai day: the day of the last contact still counts.
  CHECK(counted_claim("measurement", thai(2026, 11, 26), w) == thai(2026, 11, 26));
  CHECK(counted_claim("measurement", thai(2026, 11, 30), w) == thai(2026, 11, 30));
  CHECK(counted_claim("measurement", thai(2026, 11, 25), w) == w.received_ms);
  CHECK(counted_claim("measurement", thai(2026, 12, 1), w) == w.received_ms);
}

TEST_CASE("claims: a row's time that counts is the hub's stamp, while the stamp is the newer",
          "[claims]") {
  const int64_t claimed = thai(2026, 11, 27, 16), received = thai(2026, 11, 30, 10);
  SECTION("not stamped: the claim (the hub's own rows, a device's own before it syncs)") {
    Row r = row_with("submission", {{"submitted_at", at(claimed, claimed)}});
    CHECK(counted_time(r) == claimed);
    CHECK(claim_of(r).kind == ClaimKind::kLive);
    CHECK(claim_text(claim_of(r), false, Lang::kEn).empty());
  }
  SECTION("stamped and accepted, long after: made offline") {
    Row r = row_with("submission", {{"submitted_at", at(claimed, claimed)},
                                    {"received_at", at(received, received)},
                                    {"counted_at", at(claimed, received)}});
    CHECK(counted_time(r) == claimed);
    CHECK(claim_of(r).kind == ClaimKind::kOffline);
    CHECK_THAT(claim_text(claim_of(r), false, Lang::kEn),
               Catch::StartsWith("submitted offline at"));
    CHECK_THAT(claim_text(claim_of(r), false, Lang::kTh), Catch::Contains("ออฟไลน์"));
    CHECK_THAT(claim_text(claim_of(r), false, Lang::kTh), Catch::Contains("2569"));  // BE years
  }
  SECTION("stamped and refused: the receipt counts") {
    Row r = row_with("submission", {{"submitted_at", at(claimed, claimed)},
                                    {"received_at", at(received, received)},
                                    {"counted_at", at(received, received)}});
    CHECK(counted_time(r) == received);
    CHECK(claim_of(r).kind == ClaimKind::kRefused);
    CHECK_THAT(claim_text(claim_of(r), false, Lang::kEn), Catch::Contains("counted as received"));
  }
  SECTION("a claim changed on the device after the stamp has not reached the hub: the claim") {
    const int64_t again = thai(2026, 12, 2, 8);
    Row r = row_with("submission", {{"submitted_at", at(again, again)},
                                    {"received_at", at(received, received)},
                                    {"counted_at", at(received, received)}});
    CHECK(counted_time(r) == again);
  }
  SECTION("a figure the province verified counts from its as-of date") {
    const int64_t as_of = thai(2026, 11, 20);
    Row r =
        row_with("measurement", {{"indicator_id", at(indicator_row_id(kBudgetIndicator), as_of)},
                                 {"as_of", at(as_of, received)},
                                 {"value", at(1000, received)},
                                 {"received_at", at(received, received + 1)},
                                 {"counted_at", at(received, received + 1)}});
    CHECK(counted_time(r) == received);
    CHECK(claim_of(r).kind == ClaimKind::kRefused);
    CHECK_THAT(claim_text(claim_of(r), true, Lang::kEn), Catch::Contains("until the province"));
    Hlc judged = reviewed_version(r, reviewed_fields(r));
    r.fields.push_back({"review", at("verified", received + 2)});
    r.fields.push_back({"review_version", at(judged.packed, received + 2)});
    std::sort(r.fields.begin(), r.fields.end(), [](auto& a, auto& b) { return a.first < b.first; });
    REQUIRE(verification_state(r, reviewed_fields(r)) == Verification::kVerified);
    CHECK(counted_time(r) == as_of);
  }
}

TEST_CASE("claims: a district that pulled after the deadline cannot date its submission before it",
          "[claims][service]") {
  HubFixture f;  // the clock stands at 25 Nov 2026: both districts enrol then
  const Row task = task_row(f, "2026-11-27");
  Device maemo(f, "maemo"), thoen(f, "thoen");
  const int64_t before_deadline = thai(2026, 11, 27, 15);

  // Thoen was online after the deadline (it pulled on the 30th), then sends a submission whose
  // device clock says the 27th.
  f.clock.set_ms(thai(2026, 11, 30, 9));
  thoen.pull();
  f.clock.set_ms(thai(2026, 11, 30, 10));
  auto backdated = submission_entry(task, "5208", "thoen", before_deadline, "ลป 0020.8/1");
  REQUIRE(backdated.ok());
  thoen.push(*backdated, before_deadline);
  // Mae Mo was offline from its enrolment on the 25th to the 30th: its work keeps its time.
  auto offline = submission_entry(task, "5202", "maemo", before_deadline, "ลป 0020.2/1");
  REQUIRE(offline.ok());
  maemo.push(*offline, before_deadline);

  const int64_t now = thai(2026, 11, 30, 11);
  TaskOutcome late = outcome_for(f, "5208", now);
  CHECK(late.outcome != Outcome::kOnTime);
  CHECK(late.days_late == 3);  // counted from its receipt on Monday the 30th
  CHECK(late.submitted_at == thai(2026, 11, 30, 10));
  CHECK(late.claimed_at == before_deadline);
  CHECK(late.claim == ClaimKind::kRefused);
  CHECK(audited(f, "claimed_time_refused", backdated->id) == 1);

  TaskOutcome on_time = outcome_for(f, "5202", now);
  CHECK(on_time.outcome == Outcome::kOnTime);
  CHECK(on_time.submitted_at == before_deadline);
  CHECK(on_time.received_at == thai(2026, 11, 30, 10));
  CHECK(on_time.claim == ClaimKind::kOffline);
  CHECK(audited(f, "claimed_time_refused", offline->id) == 0);
  // The award's JSON carries both times for the province.
  Leaderboard b = f.hub->with_store([&](Store& s) {
    auto in = load_rule_inputs(s, ScopeFilter::everything());
    REQUIRE(in.ok());
    return monthly_award(*in, f.config.rules, f.config.award, "2026-11", now);
  });
  const std::string text = leaderboard_json(b).dump();
  CHECK_THAT(text, Catch::Contains("\"claim\":\"offline\""));
  CHECK_THAT(text, Catch::Contains("\"claim\":\"refused\""));

  // A district cannot write the stamp itself.
  json m = {{"counter", thoen.counter + 1},
            {"table", "submission"},
            {"id", backdated->id},
            {"scope", "5208"},
            {"field", "counted_at"},
            {"value", before_deadline},
            {"hlc", Hlc::from_parts(now, 0).packed},
            {"base", 0}};
  auto r = f.call("POST", "/v1/push", json{{"mutations", {m}}}.dump(), thoen.token);
  REQUIRE(r.status == 200);
  CHECK(body_of(r)["results"][0]["code"] == "permission_denied");
  CHECK(outcome_for(f, "5208", now).submitted_at == thai(2026, 11, 30, 10));
}

TEST_CASE("claims: the same claim sent again keeps its stamp, a changed claim is judged again",
          "[claims][service]") {
  HubFixture f;
  const Row task = task_row(f, "2026-11-27");
  Device first(f, "maemo");
  const int64_t made = thai(2026, 11, 27, 15);
  f.clock.set_ms(thai(2026, 11, 30, 10));
  auto sub = submission_entry(task, "5202", "maemo", made, "ลป 0020.2/1");
  REQUIRE(sub.ok());
  first.push(*sub, made);
  REQUIRE(counted_time(stored(f, "submission", sub->id)) == made);

  // A second folder of the office (a copy become a device of its own, or a repair after a hub
  // restore) sends the same values again under later clock values, after pulling: nothing new is
  // claimed, and the time that counts stays.
  f.clock.set_ms(thai(2026, 12, 1, 9));
  Device copy(f, "maemo");
  copy.pull();
  f.clock.set_ms(thai(2026, 12, 1, 10));
  copy.push(*sub, thai(2026, 12, 1, 10));
  Row again = stored(f, "submission", sub->id);
  CHECK(counted_time(again) == made);
  CHECK(claim_of(again).received == thai(2026, 11, 30, 10));

  // A new claim from a device that pulled since is judged at its receipt.
  auto changed = submission_entry(task, "5202", "maemo", thai(2026, 11, 27, 16), "ลป 0020.2/2");
  REQUIRE(changed.ok());
  copy.push(*changed, thai(2026, 12, 1, 10));
  CHECK(counted_time(stored(f, "submission", sub->id)) == thai(2026, 12, 1, 10));
  CHECK(claim_of(stored(f, "submission", sub->id)).kind == ClaimKind::kRefused);

  // A live claim (made now, online) is not stamped: it counts as itself, and the refused stamp
  // before it no longer counts — not even after a resend of the same values, which renews only a
  // stamp that still judges the claim.
  f.clock.set_ms(thai(2026, 12, 1, 12));
  auto live = submission_entry(task, "5202", "maemo", thai(2026, 12, 1, 12), "ลป 0020.2/3");
  REQUIRE(live.ok());
  copy.push(*live, thai(2026, 12, 1, 12));
  CHECK(counted_time(stored(f, "submission", sub->id)) == thai(2026, 12, 1, 12));
  CHECK(claim_of(stored(f, "submission", sub->id)).kind == ClaimKind::kLive);
  Device third(f, "maemo");
  third.pull();
  third.push(*live, thai(2026, 12, 1, 12) + 1000);
  CHECK(counted_time(stored(f, "submission", sub->id)) == thai(2026, 12, 1, 12));
  CHECK(claim_of(stored(f, "submission", sub->id)).kind == ClaimKind::kLive);
}

TEST_CASE("claims: an acknowledgement dated back counts at its receipt for the response time",
          "[claims][service]") {
  HubFixture f;
  const std::string warning = warning_id("task_deadline", "t1", "5202", Stage::kDemand);
  f.hub->with_store([&](Store& s) {
    REQUIRE(s.write_local("warning", warning, "5202",
                          {{"district", "\"5202\""},
                           {"stage", "\"demand\""},
                           {"raised_at", std::to_string(thai(2026, 11, 28, 0))}},
                          Store::Queue::kNone)
                .ok());
    return 0;
  });
  Device maemo(f, "maemo");
  f.clock.set_ms(thai(2026, 11, 30, 9));
  maemo.pull();
  f.clock.set_ms(thai(2026, 11, 30, 10));
  auto ack = ack_entry(warning, "5202", "maemo", thai(2026, 11, 28, 1), false, "");
  REQUIRE(ack.ok());
  maemo.push(*ack, thai(2026, 11, 28, 1));
  RuleInputs in = f.hub->with_store([](Store& s) {
    auto in = load_rule_inputs(s, ScopeFilter::everything());
    REQUIRE(in.ok());
    return *in;
  });
  AckState st = ack_state(in.acks, warning, "5202");
  CHECK(st.acknowledged);
  CHECK(st.acknowledged_at == thai(2026, 11, 30, 10));
  CHECK(audited(f, "claimed_time_refused", ack->id) == 1);
}

TEST_CASE("claims: a figure dated back into a closed month counts from its receipt, until verified",
          "[claims][service]") {
  HubFixture f;
  Device maemo(f, "maemo");
  f.clock.set_ms(thai(2026, 12, 2, 9));
  maemo.pull();
  f.clock.set_ms(thai(2026, 12, 2, 10));
  auto figure = budget_entry({"5202", "admin", 900000, "2026-11-30", "maemo"});
  REQUIRE(figure.ok());
  maemo.push(*figure, thai(2026, 12, 2, 10));
  auto inputs = [&] {
    return f.hub->with_store([](Store& s) {
      auto in = load_rule_inputs(s, ScopeFilter::everything());
      REQUIRE(in.ok());
      return *in;
    });
  };
  const int64_t end_of_november = thai(2026, 12, 1) - 1;
  CHECK(!indicator_figure(inputs(), kBudgetIndicator, "5202", 2570, end_of_november).any);
  CHECK(indicator_figure(inputs(), kBudgetIndicator, "5202", 2570, thai(2026, 12, 2, 11)).any);
  CHECK(claim_of(stored(f, "measurement", figure->id)).kind == ClaimKind::kRefused);

  // The province checks it against GFMIS and verifies it: it counts from its date.
  Device planner(f, "planner");
  auto review = review_entry(stored(f, "measurement", figure->id), true, "planner",
                             thai(2026, 12, 2, 12), "");
  REQUIRE(review.ok());
  f.clock.set_ms(thai(2026, 12, 2, 12));
  planner.push(*review, thai(2026, 12, 2, 12));
  CHECK(indicator_figure(inputs(), kBudgetIndicator, "5202", 2570, end_of_november).any);
}
