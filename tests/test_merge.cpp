#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <vector>

#include "lwc/id.h"
#include "lwc/merge.h"

using namespace lwc;

namespace {
FieldVersion v(std::string value, int64_t wall, uint32_t counter, std::string device,
               Hlc base = {}) {
  return FieldVersion{std::move(value), Hlc::from_parts(wall, counter), std::move(device), base};
}

// Folds versions through merge in the given order, returning the final current version.
std::optional<FieldVersion> fold(const std::vector<FieldVersion>& in) {
  std::optional<FieldVersion> cur;
  for (const auto& x : in) {
    if (merge(cur, x).outcome == MergeOutcome::kApplied) cur = x;
  }
  return cur;
}
}  // namespace

TEST_CASE("merge: the first version of a field is applied", "[merge]") {
  auto r = merge(std::nullopt, v("1", 10, 0, "a"));
  CHECK(r.outcome == MergeOutcome::kApplied);
  CHECK_FALSE(r.conflict);
}

TEST_CASE("merge: a later HLC wins, an earlier one is stale", "[merge]") {
  FieldVersion old = v("1", 10, 0, "a"), young = v("2", 11, 0, "b");
  CHECK(merge(old, young).outcome == MergeOutcome::kApplied);
  CHECK(merge(young, old).outcome == MergeOutcome::kStale);
  // The counter orders within one millisecond.
  CHECK(merge(v("1", 10, 1, "a"), v("2", 10, 2, "a")).outcome == MergeOutcome::kApplied);
}

TEST_CASE("merge: equal HLCs are broken by device id, the same way in both orders", "[merge]") {
  FieldVersion a = v("\"from a\"", 10, 0, "aaaa"), b = v("\"from b\"", 10, 0, "bbbb");
  CHECK(merge(a, b).outcome == MergeOutcome::kApplied);
  CHECK(merge(b, a).outcome == MergeOutcome::kStale);
  CHECK(fold({a, b})->value == "\"from b\"");
  CHECK(fold({b, a})->value == "\"from b\"");
}

TEST_CASE("merge: a duplicate is recognised and changes nothing", "[merge]") {
  FieldVersion a = v("5", 10, 0, "a");
  auto r = merge(a, a);
  CHECK(r.outcome == MergeOutcome::kDuplicate);
  CHECK_FALSE(r.conflict);
  CHECK(fold({a, a, a}) == a);
}

TEST_CASE("merge: fields are independent", "[merge]") {
  // Two devices edit different fields of one row: both edits survive (per-field, not per-row).
  std::optional<FieldVersion> amount, as_of;
  FieldVersion amount_a = v("100", 20, 0, "a"), as_of_b = v("1700000000000", 10, 0, "b");
  if (merge(amount, amount_a).outcome == MergeOutcome::kApplied) amount = amount_a;
  if (merge(as_of, as_of_b).outcome == MergeOutcome::kApplied) as_of = as_of_b;
  CHECK(amount->value == "100");
  CHECK(as_of->value == "1700000000000");
}

TEST_CASE("merge: a tombstone is an ordinary field that wins or loses by its clock", "[merge]") {
  FieldVersion alive = v("false", 10, 0, "a"), deleted = v("true", 12, 0, "b"),
               revived = v("false", 15, 0, "a", Hlc::from_parts(12, 0));
  CHECK(fold({alive, deleted})->value == "true");
  CHECK(fold({deleted, alive})->value == "true");
  CHECK(fold({alive, revived, deleted})->value == "false");
  CHECK(fold({deleted, revived, alive})->value == "false");
}

TEST_CASE("merge: the loser of a concurrent edit is reported with both authors", "[merge]") {
  FieldVersion mine = v("100", 10, 0, "a"), theirs = v("250", 11, 0, "b");  // neither saw the other
  auto r = merge(mine, theirs);
  REQUIRE(r.conflict);
  CHECK(r.conflict->winner == theirs);
  CHECK(r.conflict->loser == mine);
  // Same conflict when the winner arrives first.
  auto r2 = merge(theirs, mine);
  CHECK(r2.outcome == MergeOutcome::kStale);
  REQUIRE(r2.conflict);
  CHECK(r2.conflict->winner == theirs);
  CHECK(r2.conflict->loser == mine);
}

TEST_CASE("merge: an edit made on top of the value it replaces is not a conflict", "[merge]") {
  FieldVersion first = v("100", 10, 0, "a");
  FieldVersion correction = v("120", 30, 0, "b", first.hlc);  // b saw a's value, then edited it
  CHECK_FALSE(merge(first, correction).conflict);
  CHECK_FALSE(merge(correction, first).conflict);
  // Concurrent edits with the same value need no review either.
  CHECK_FALSE(merge(v("7", 10, 0, "a"), v("7", 11, 0, "b")).conflict);
}

TEST_CASE("merge: every order of a set of versions gives the same winner", "[merge]") {
  std::vector<FieldVersion> all = {v("1", 10, 0, "a"), v("2", 10, 0, "b"), v("3", 9, 7, "c"),
                                   v("4", 10, 1, "a"), v("5", 8, 0, "d")};
  std::sort(all.begin(), all.end(), [](auto& x, auto& y) { return x.value < y.value; });
  const auto expected = fold(all);
  CHECK(expected->value == "4");
  int orders = 0;
  do {
    auto doubled = all;
    doubled.insert(doubled.end(), all.begin(), all.begin() + 2);  // with duplicates too
    REQUIRE(fold(all) == expected);
    REQUIRE(fold(doubled) == expected);
    ++orders;
  } while (std::next_permutation(all.begin(), all.end(),
                                 [](auto& x, auto& y) { return x.value < y.value; }));
  CHECK(orders == 120);
}

TEST_CASE("merge: a later base is not a sight of an earlier concurrent version", "[merge]") {
  // 7001 by the province; Mae Mo writes 7002, then 7003 on top of its own 7002. 7003's base is
  // later than 7001's clock, but Mae Mo never saw 7001.
  FieldVersion p = v("7001", 10, 0, "province"), m1 = v("7002", 11, 0, "maemo"),
               m2 = v("7003", 12, 0, "maemo", m1.hlc);
  auto lineage = [&](Hlc h) {
    std::vector<LineageEntry> out;
    for (const FieldVersion* x : {&p, &m1}) {
      if (x->hlc == h) out.push_back({x->device, x->base});
    }
    return out;
  };
  auto r = merge(m2, p, lineage);
  CHECK(r.outcome == MergeOutcome::kStale);
  REQUIRE(r.conflict);
  CHECK(r.conflict->loser == p);
  CHECK_FALSE(saw(m2, p, lineage));
  CHECK(saw(m2, m1, lineage));
}

TEST_CASE("merge: the lineage follows a chain of corrections back to the loser", "[merge]") {
  FieldVersion a = v("100", 10, 0, "a"), b = v("200", 20, 0, "b", a.hlc),
               c = v("300", 30, 0, "c", b.hlc);
  std::multimap<int64_t, LineageEntry> known = {{a.hlc.packed, {a.device, a.base}},
                                                {b.hlc.packed, {b.device, b.base}}};
  auto lineage = [&](Hlc h) {
    std::vector<LineageEntry> out;
    auto [lo, hi] = known.equal_range(h.packed);
    for (auto it = lo; it != hi; ++it) out.push_back(it->second);
    return out;
  };
  CHECK(saw(c, a, lineage));  // c saw b, which saw a
  CHECK_FALSE(merge(c, a, lineage).conflict);
  // Without the lineage only the direct base counts: more conflicts filed, never fewer.
  CHECK_FALSE(saw(c, a));
  CHECK(merge(c, a).conflict);
  // A clock value two devices wrote is ambiguous: c's base may name the other one.
  known.insert({b.hlc.packed, {"twin", a.hlc}});
  CHECK_FALSE(saw(c, a, lineage));
  // So is a loser whose clock value another device's known version shares.
  known.erase(b.hlc.packed);
  known.insert({b.hlc.packed, {b.device, b.base}});
  FieldVersion a_twin = v("101", 10, 0, "twin");
  known.insert({a.hlc.packed, {a_twin.device, a_twin.base}});
  CHECK_FALSE(saw(c, a, lineage));
  CHECK_FALSE(saw(c, a_twin, lineage));
  known.erase(a.hlc.packed);
  known.insert({a.hlc.packed, {a.device, a.base}});
  CHECK(saw(c, a, lineage));
  // An unknown link ends the walk: not seen.
  known.erase(b.hlc.packed);
  CHECK_FALSE(saw(c, a, lineage));
  // A forged chain that does not go back in time ends it too (no endless walk).
  known.insert({b.hlc.packed, {b.device, c.hlc}});
  CHECK_FALSE(saw(c, a, lineage));
  // A writer that saw nothing (base 0) saw no version.
  CHECK_FALSE(saw(v("1", 40, 0, "d"), v("2", 0, 0, "e")));
}

TEST_CASE("merge: a copied folder's new device id beats the old one, so renamed twins agree",
          "[merge]") {
  const std::string random = "0123456789abcdef0123456789abcdef";
  for (std::string old : {std::string("client-2"), std::string("00000000000000000000000000000000"),
                          std::string("ffffffffffffffffffffffffffffff3a"),
                          std::string("9fffffffffffffffffffffffffffffff"), new_id()}) {
    INFO(old);
    const std::string id = id_after(old, random);
    CHECK(id > old);
    CHECK(is_valid_id(id));
    const FieldVersion mine = v("7001", 1'795'000'000'000, 3, old);
    FieldVersion renamed = mine;
    renamed.device = id;
    CHECK(wins_over(renamed, mine));
    CHECK(merge(mine, renamed).outcome == MergeOutcome::kApplied);
    CHECK_FALSE(merge(mine, renamed).conflict);  // the same write: no conflict to review
    CHECK(merge(renamed, mine).outcome == MergeOutcome::kStale);
    CHECK_FALSE(merge(renamed, mine).conflict);
  }
  // Nothing of 32 hex digits is greater than all f: the random id is the answer.
  CHECK(id_after(std::string(32, 'f'), random) == random);
  CHECK(new_id_after("client-2") > "client-2");
}
