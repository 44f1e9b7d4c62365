// The domain model: which tables LWC syncs, their fields, each field's type and who may write it.
//
// Every synced row lives in the generic store (store.h) as per-field versions; this schema gives the
// rows their meaning and lets the hub reject a change with a typed reason (unknown table, unknown
// field, wrong type, not yours to write) before it is merged.
//
// Tables and their scope:
//   district, work_group, indicator        reference data              scope "province"
//   target      indicator × district × period (× work group)        scope "province"
//   task        directive letter or monthly report, assigned districts scope "province"
//   measurement a district's figure for an indicator, as of a time    scope = district code
//   submission  a district's answer to a task                         scope = district code
//   warning     a rule's verdict for a subject, district and stage    scope = district code
//   ack         acknowledgement or dispute of a warning               scope = district code
//   silence     a manual, reasoned, time-limited silence of warnings  scope = district code
//   setting     shared settings (the warning rules configuration)     scope "province"
//
// Approvals bind to a version: a province review of a measurement or submission stores the HLC of the
// value it judged (review_version); verification_state() derives "verified" only while that value is
// still current.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "lwc/status.h"
#include "lwc/store.h"

namespace lwc {

enum class FieldType { kString, kInteger, kNumber, kBool, kStringList, kTime, kDate };

// Who may write a field.
enum class Writer {
  kProvince,  // provincial officers and admins only
  kOwner,     // the district that owns the row's scope (and province roles)
  kSystem,    // the hub's rule engine (and province roles)
};

struct FieldSpec {
  std::string_view name;
  FieldType type;
  Writer writer;
};

struct TableSpec {
  std::string_view name;
  bool district_scoped;  // scope is a district code (else "province")
  std::vector<FieldSpec> fields;
  const FieldSpec* field(std::string_view name) const;
};

// All synced tables.
const std::vector<TableSpec>& schema();
const TableSpec* find_table(std::string_view name);

// Roles of accounts (hub issue), used by the jurisdiction check.
enum class Role { kDistrict, kProvince, kExecutive, kAdmin };
const char* role_name(Role r);
Result<Role> parse_role(std::string_view s);

struct Principal {
  Role role = Role::kDistrict;
  std::string district;  // for kDistrict: the district code
  std::string user;
};

// Checks one change against the schema and the writer's jurisdiction:
//   kInvalidArgument: unknown table or field, bad id, value not valid JSON or of the wrong type;
//   kPermissionDenied: a scope or field the principal may not write.
Status validate_change(const Change& change, const Principal& who);

// The scopes a principal may read: a district its own code and "province"; others everything.
ScopeFilter read_filter(const Principal& who);

// Verification of a measurement or submission, derived from its fields (never stored as a flag).
enum class Verification { kDraft, kSubmitted, kVerified, kReturned };
const char* verification_name(Verification v);
// value_fields are the fields the review judged (budget: value; BMN: collected, entered, updated;
// submission: submitted_at, doc_ref); review_version must equal the greatest of their HLCs.
Verification verification_state(const Row& row, std::initializer_list<std::string_view> value_fields);
// The version a province review of `row` must record: the greatest HLC of value_fields.
Hlc reviewed_version(const Row& row, std::initializer_list<std::string_view> value_fields);

// --- reference data (assets/districts.json, assets/work_groups.json) ---
struct District {
  std::string code;  // "5201"
  std::string name_th;
  std::string name_en;
};
struct WorkGroup {
  std::string key;  // "admin", "planning", ...
  std::string name_th;
  std::string name_en;
};
Result<std::vector<District>> parse_districts(const nlohmann::json& doc);
Result<std::vector<WorkGroup>> parse_work_groups(const nlohmann::json& doc);
bool is_district_code(std::string_view code);

// Canonical JSON text of a value (what the store keeps).
std::string to_value(const nlohmann::json& v);

}  // namespace lwc
