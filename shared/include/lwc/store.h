// The local store: one SQLite file holding the synced rows of one replica (a client or the hub).
//
// Tables (schema version kSchemaVersion, upgraded on open through PRAGMA user_version):
//   meta(key, value)                 device_id, pull_cursor, hlc (last clock value), next_counter,
//                                    clock_resets (bumped by restamp_ahead_of)
//   rows(row_key, tbl, row_id, scope)  every row ever seen and its scope; a row's scope never
//   changes fields(row_key, field, value, hlc, device, base, seq)
//                                    the current version of every field (per-field clocks); seq is
//                                    this replica's change number — at the hub, the pull cursor
//                                    space. row_key is local (new rows append to the B-tree); the
//                                    view field_versions joins rows and fields back by (tbl,
//                                    row_id).
//   outbox(counter, ...)             local changes not yet acknowledged by the hub, numbered 1,
//   2, 3... rejected(counter, ..., code, message)   local changes the hub refused, with its reason
//   (v2) conflicts(id, ..., winner_*, loser_*)   losing concurrent values, kept for review
//   device_progress(device, last_counter)   hub: highest mutation counter applied per device
//   push_rejections(device, counter, code, message)  hub: verdicts repeated to a retried batch (v3)
//   (v4) lineage(row_key, field, hlc, base)  hub: the base of every version no longer current,
//                                    for the conflict rule (merge.h); conflicts are filed at the
//                                    hub only, where every version meets
//   (v5) segments(id, token, first_seq, started_ms)  hub: one per run of the hub process (epoch)
//
// A Store object is used by one thread at a time; several Store objects (threads, processes) may
// share one file — each write transaction reloads the counters and the clock from the file. Every
// public method that writes runs in one transaction: it happens completely or not at all.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lwc/clock.h"
#include "lwc/hlc.h"
#include "lwc/merge.h"
#include "lwc/sqlite.h"
#include "lwc/status.h"

namespace lwc {

inline constexpr const char* kProvinceScope = "province";

struct StoreOptions {
  std::string path;       // file path or ":memory:"
  std::string device_id;  // used when the store is new; empty: a random id
  int64_t max_drift_ms = 5 * 60 * 1000;
  bool durable = false;  // synchronous=FULL: a commit survives power loss (hub and client)
};

// One numbered local mutation, as in the outbox and in a push batch.
struct Mutation {
  int64_t counter = 0;
  Change change;
};

struct MutationResult {
  enum class Kind { kApplied, kDuplicate, kRejected };
  int64_t counter = 0;
  Kind kind = Kind::kApplied;
  Status reason;  // for kRejected
};

// A change as the hub numbered it.
struct SeqChange {
  int64_t seq = 0;
  Change change;
};

struct RejectedMutation {
  Mutation mutation;
  Status reason;
  int64_t rejected_ms = 0;
};

struct ConflictRecord {
  int64_t id = 0;
  std::string table, row_id, scope, field;
  Conflict conflict;
  int64_t detected_ms = 0;
};

// Which scopes a reader may see: all, or a list (a district sees its code and "province").
struct ScopeFilter {
  bool all = true;
  std::vector<std::string> scopes;
  static ScopeFilter everything() { return {}; }
  static ScopeFilter only(std::vector<std::string> s) { return {false, std::move(s)}; }
  bool allows(const std::string& scope) const;
};

struct Row {
  std::string table, id, scope;
  std::vector<std::pair<std::string, FieldVersion>> fields;  // sorted by field name
  const FieldVersion* find(const std::string& field) const;
  bool deleted() const;
};

// Fields of one row to write (values are canonical JSON).
struct RowWrite {
  std::string table, id, scope;
  struct Field {
    std::string field;
    std::string value;
  };
  std::vector<Field> fields;
};

class Store {
 public:
  static constexpr int kSchemaVersion = 6;

  // Opens or creates the store; upgrades an older schema; refuses (kSchemaTooNew) a newer one.
  static Result<std::unique_ptr<Store>> open(const StoreOptions& options, const Clock& clock);
  // Same, but migrates only up to `version` (tests of upgrades from older files).
  static Result<std::unique_ptr<Store>> open_at_version(const StoreOptions& options,
                                                        const Clock& clock, int version);
  ~Store();

  const std::string& device_id() const { return device_id_; }
  HlcClock& hlc() { return hlc_; }
  const Clock& clock() const { return clock_; }
  sql::Db& db() { return db_; }
  int schema_version() const { return schema_version_; }

  // --- local edits (client) ---
  using FieldWrite = RowWrite::Field;
  enum class Queue { kOutbox, kNone };
  // Writes fields of one row with fresh HLCs, applies them locally and (kOutbox, a client) appends
  // them to the outbox; the hub writes its own data with kNone. Returns the changes written.
  // Fails (kPermissionDenied) if the row exists with another scope.
  Result<std::vector<Change>> write_local(const std::string& table, const std::string& row_id,
                                          const std::string& scope,
                                          const std::vector<FieldWrite>& writes,
                                          Queue queue = Queue::kOutbox);

  // Mutations in the outbox with a counter above `after`, lowest counter first.
  Result<std::vector<Mutation>> outbox(size_t limit, int64_t after = 0);
  Result<int64_t> outbox_size();
  // How many rows (entries) the outbox's mutations belong to.
  Result<int64_t> outbox_rows();
  // Removes mutations up to and including `counter` (the hub acknowledged them).
  Status ack_outbox(int64_t counter);
  // Moves one outbox mutation to `rejected` with the hub's reason (it is never silently dropped).
  Status reject_outbox(int64_t counter, const Status& reason);
  Result<std::vector<RejectedMutation>> rejected();

  // --- a corrected clock (client) ---
  struct Restamp {
    int64_t restamped = 0;  // this device's versions given a new clock value
    int64_t requeued = 0;   // refused clock_skew changes put back into the outbox
  };
  // After a clock that ran ahead was corrected: the hub refuses every version stamped beyond its
  // time plus the drift, and the persisted clock would stamp every new edit there too. When this
  // store's clock is above `bound_ms` (the hub's time plus the drift), re-stamps every version of
  // this device above it — outbox, current fields, `rejected`, bases following — with consecutive
  // values just above the newest version at or below the bound it holds (or its last sync), in
  // their original order; sets the clock there (every Store object on the file follows); and puts
  // refused clock_skew changes that are still the current local value back into the outbox under
  // new counters. The re-stamped edits sort as if made right after what this device last knew, so
  // the fast clock wins nothing it would not have won on time; an edit it never saw still meets
  // them as a recorded conflict at the hub. One transaction; zero counts when the clock is fine.
  Result<Restamp> restamp_ahead_of(int64_t bound_ms);

  // --- pulled changes (client) ---
  // Merges changes received from the hub and, when given, raises the pull cursor to new_cursor —
  // atomically, with the hub's epoch for it (the segment the cursor lies in, sent back with the
  // next pull). The cursor never moves back (a late, duplicated page is merged harmlessly).
  Status apply_pulled(const std::vector<Change>& changes, std::optional<int64_t> new_cursor,
                      const std::string& epoch = {});
  // The same for changes at(0) .. at(n - 1), asked for in that order.
  Status apply_pulled(size_t n, const std::function<const Change&(size_t)>& at,
                      std::optional<int64_t> new_cursor, const std::string& epoch = {});
  Result<int64_t> pull_cursor();
  Result<std::string> pull_epoch() { return get_meta("pull_epoch"); }
  // The highest mutation counter the hub has acknowledged (or refused): the counters below the
  // outbox's.
  Result<int64_t> acknowledged_counter();
  // The latest point (seq, epoch) at which the hub acknowledged a push (sync.h HubMark); kept only
  // when later than the kept one; cleared when pulling restarts.
  Status keep_hub_mark(int64_t seq, const std::string& epoch);
  Result<std::pair<int64_t, std::string>> hub_mark();
  // The last mutation counter this data folder numbered (0: none), as the file holds it now.
  Result<int64_t> numbered_counter();

  // --- push batches (hub) ---
  // Decides a mutation before it is merged: ok, or the typed reason to reject it.
  using Validator = std::function<Status(const Change&)>;
  // A change of a batch that became current, and the version it replaced (none: a new field).
  struct AppliedChange {
    const Change* change;
    std::optional<FieldVersion> replaced;
  };
  // Given the changes of a batch that became current, the hub's own writes that go with them
  // (claims.h: the receipt of a claimed time), written with fresh clock values in the same
  // transaction. An error aborts the whole batch.
  using Stamper = std::function<Result<std::vector<RowWrite>>(const std::vector<AppliedChange>&)>;
  // Applies a batch of one device's mutations exactly once: counters at or below the highest
  // already applied are duplicates (acknowledged, not applied again — a rejected one is answered
  // "rejected" again with its reason); the next counter is validated, merged or rejected; a counter
  // beyond the next is a gap (rejected with kConflict, not consumed). The HLC of each change is
  // checked against the drift bound (kClockSkew). Then `stamp` (when given) adds the hub's writes.
  // Committed before it returns.
  Result<std::vector<MutationResult>> accept_push(const std::string& device,
                                                  const std::vector<Mutation>& batch,
                                                  const Validator& validate,
                                                  const Stamper& stamp = {});
  Result<int64_t> device_progress(const std::string& device);

  // --- copies ---
  // Writes a consistent copy of the whole store to a new file `path` (VACUUM INTO) while this and
  // other connections go on; fails when `path` exists. The copy is not fsynced.
  Status backup_to(const std::string& path);

  // --- epochs (hub) ---
  // Starts a segment (one per run of the hub process): seqs from the next one on belong to a new
  // random token. Returns the token.
  Result<std::string> open_segment();
  // The token of the segment `seq` was assigned in (the latest begun at or before it).
  Result<std::string> segment_of(int64_t seq);

  // --- repair (client) ---
  // The hub lost changes of this device (it was restored from an older copy): queue every current
  // version this device wrote, with the outbox, in clock order, numbered from `first_counter`
  // (the hub's last counter for this device + 1), and pull again from 0. Returns how many. Its own
  // versions that a pulled version replaced go too: the conflict that kept them may be lost.
  Result<int64_t> requeue_own(int64_t first_counter);
  // This data folder is a copy of another that keeps `device_id()` (the hub said device_forked):
  // it becomes `new_device`. Every version it wrote (current, queued, or replaced by a pulled one)
  // becomes the new device's and is queued again, numbered from 1, and it pulls again from 0 (what
  // the other copy wrote under the old id was never sent here). Returns the outbox size.
  // `new_device` must be greater than device_id() (id.h id_after): each renamed version then beats
  // its twin under the old id everywhere.
  Result<int64_t> become_device(const std::string& new_device);

  // --- reading ---
  // Current versions changed after `after_seq`, in seq order, at most `limit`; none whose author
  // is `skip_device` (when not empty).
  Result<std::vector<SeqChange>> changes_after(int64_t after_seq, const ScopeFilter& filter,
                                               size_t limit, std::string_view skip_device = {});
  // Highest seq assigned by this Store object (including an open transaction's).
  int64_t last_seq() const { return next_seq_ - 1; }
  // Highest seq committed to the file, as this connection's snapshot sees it.
  Result<int64_t> committed_seq();
  Result<std::optional<FieldVersion>> get_field(const std::string& table, const std::string& row_id,
                                                const std::string& field);
  Result<std::optional<Row>> get_row(const std::string& table, const std::string& row_id);
  // All rows of a table visible through `filter`, sorted by id.
  Result<std::vector<Row>> rows(const std::string& table, const ScopeFilter& filter);
  Result<std::vector<ConflictRecord>> conflicts();

  // Canonical dump of all visible rows: sorted by table, id, field; one row per line;
  // byte-identical on two replicas that hold the same versions. Format:
  // {"format":"lwc-export-1","rows":[...]}.
  Result<std::string> export_canonical(const ScopeFilter& filter);

  Result<std::string> get_meta(const std::string& key);  // "" when absent
  Status set_meta(const std::string& key, const std::string& value);

 private:
  Store(sql::Db db, const Clock& clock, int64_t max_drift_ms);
  Status prepare_statements();
  enum class ApplyKind { kApplied, kDuplicate, kStale };
  struct FieldLookup {
    int64_t row_key = 0;  // 0: the row is unknown
    std::string scope;
    std::optional<FieldVersion> current;
  };
  Result<FieldLookup> lookup(const Change& c);
  // kHub: a push or the hub's own write — keeps the lineage and files conflicts. kReplica: a
  // pulled change or a client's own edit.
  enum class Authority { kHub, kReplica };
  // Merges one change inside the caller's transaction; when it becomes current, `replaced` (if
  // given) receives the version it replaced.
  Result<ApplyKind> apply_one(const Change& c, Authority authority,
                              std::optional<FieldVersion>* replaced = nullptr);
  // Inside a write transaction: this store's own writes of one row's fields, with fresh clock
  // values and the hub's authority (no outbox); the changes written are appended to `out`.
  Status write_own(const std::string& table, const std::string& row_id, const std::string& scope,
                   const std::vector<FieldWrite>& writes, std::vector<Change>* out);
  Status keep_lineage(int64_t row_key, const std::string& field, const FieldVersion& v);
  // Whether this version (field, clock, device) was ever applied here, current or in the lineage:
  // kSame with the same value (or a lineage row too old to say), kOther with another value — two
  // data folders of one device stamped the same clock value (a copy, which must become a new
  // device, or the hub would take one for a repeat of the other).
  enum class Known { kNo, kSame, kOther };
  Result<Known> knows_version(const Change& c);
  Result<Known> known_in_lineage(int64_t row_key, const std::string& field, const FieldVersion& v);
  static Status forked(const Change& c);
  static Known as_current(const std::optional<FieldVersion>& current, const FieldVersion& v);
  // Inside a write transaction: the outbox becomes `queue`, numbered from `first_counter`; refused
  // changes numbered from there on move below every number in use.
  Status rewrite_outbox(const std::vector<Mutation>& queue, int64_t first_counter);
  // Inside a write transaction: every version this device wrote that this folder holds — queued,
  // current, or replaced by a pulled one — in clock order.
  Result<std::vector<Mutation>> own_versions();
  // Inside a write transaction: the next pull starts from 0, with no epoch.
  Status restart_pull();
  Status persist_clock();
  // Called first in every write transaction: resets caches and reloads seq, counter and clock.
  Status begin_write();

  sql::Db db_;
  const Clock& clock_;
  HlcClock hlc_;
  std::string device_id_;
  int schema_version_ = 0;
  int64_t next_seq_ = 1;
  int64_t next_counter_ = 1;
  std::string clock_resets_;  // meta clock_resets as last read: a change means the clock was reset

  // Prepared statements, in the order of the schema comment above.
  // The row of the last apply_one in the current transaction (row_key 0: none). A row the
  // transaction created holds exactly `fields_written`, so other fields need no lookup.
  struct RowCache {
    std::string table, row_id;
    int64_t row_key = 0;
    std::string scope;
    bool created = false;
    std::vector<std::string> fields_written;
  } last_row_;

  sql::Stmt get_field_, get_field_by_key_, upsert_field_, insert_row_, insert_conflict_,
      insert_outbox_, set_meta_, get_meta_, insert_lineage_, get_lineage_, insert_replaced_;
};

}  // namespace lwc
