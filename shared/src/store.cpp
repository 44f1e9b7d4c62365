#include "lwc/store.h"

#include <algorithm>
#include <limits>

#include "json_text.h"
#include "lwc/id.h"
#include "lwc/protocol.h"

namespace lwc {

namespace {

// Migration i (0-based) takes the schema from version i to version i + 1. Append only; never edit a
// migration that has shipped.
const char* const kMigrations[] = {
    // v1: rows, per-field clocks, outbox, pull cursor (meta), conflicts, device progress
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE rows(
  row_key INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL, scope TEXT NOT NULL,
  UNIQUE(tbl, row_id));
CREATE TABLE fields(
  row_key INTEGER NOT NULL REFERENCES rows(row_key), field TEXT NOT NULL,
  value TEXT NOT NULL, hlc INTEGER NOT NULL, device TEXT NOT NULL, base INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY(row_key, field)) WITHOUT ROWID;
CREATE INDEX fields_by_seq ON fields(seq);
CREATE VIEW field_versions AS
  SELECT r.tbl AS tbl, r.row_id AS row_id, r.scope AS scope, f.field AS field, f.value AS value,
         f.hlc AS hlc, f.device AS device, f.base AS base, f.seq AS seq
  FROM fields f JOIN rows r ON r.row_key = f.row_key;
CREATE TABLE outbox(
  counter INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL, scope TEXT NOT NULL,
  field TEXT NOT NULL, value TEXT NOT NULL, hlc INTEGER NOT NULL, base INTEGER NOT NULL);
CREATE TABLE conflicts(
  id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL, scope TEXT NOT NULL,
  field TEXT NOT NULL,
  winner_value TEXT NOT NULL, winner_hlc INTEGER NOT NULL, winner_device TEXT NOT NULL,
  winner_base INTEGER NOT NULL,
  loser_value TEXT NOT NULL, loser_hlc INTEGER NOT NULL, loser_device TEXT NOT NULL,
  loser_base INTEGER NOT NULL,
  detected_ms INTEGER NOT NULL);
CREATE TABLE device_progress(device TEXT PRIMARY KEY, last_counter INTEGER NOT NULL) WITHOUT ROWID;
)sql",
    // v2: mutations the hub rejected, kept with the reason until the officer resolves them
    R"sql(
CREATE TABLE rejected(
  counter INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row_id TEXT NOT NULL, scope TEXT NOT NULL,
  field TEXT NOT NULL, value TEXT NOT NULL, hlc INTEGER NOT NULL, base INTEGER NOT NULL,
  code TEXT NOT NULL, message TEXT NOT NULL, rejected_ms INTEGER NOT NULL);
)sql",
    // v3 (hub): the verdict on every rejected mutation, so a retried batch is told "rejected" again
    // instead of "duplicate" and the refusal still reaches its author
    R"sql(
CREATE TABLE push_rejections(
  device TEXT NOT NULL, counter INTEGER NOT NULL, code TEXT NOT NULL, message TEXT NOT NULL,
  PRIMARY KEY(device, counter)) WITHOUT ROWID;
)sql",
    // v4 (hub): the lineage of every version that is no longer current (superseded, or stale on
    // arrival), so the conflict rule can follow a winner's chain of bases (merge.h)
    R"sql(
CREATE TABLE lineage(
  row_key INTEGER NOT NULL, field TEXT NOT NULL, hlc INTEGER NOT NULL, device TEXT NOT NULL,
  base INTEGER NOT NULL,
  PRIMARY KEY(row_key, field, hlc, device)) WITHOUT ROWID;
)sql",
    // v5 (hub): the runs of the hub process, each a random token over the seqs from first_seq on,
    // so
    // a cursor names the run it was read in and a hub restored from an older copy (whose seq moves
    // on from the copy's) can tell a cursor from a run it never had (docs/protocol.md, epoch)
    R"sql(
CREATE TABLE segments(
  id INTEGER PRIMARY KEY, token TEXT NOT NULL, first_seq INTEGER NOT NULL,
  started_ms INTEGER NOT NULL);
INSERT INTO segments(token, first_seq, started_ms) VALUES(lower(hex(randomblob(16))), 0, 0);
)sql",
    // v6: (hub) a hash of each lineage version's value, so a version a copied data folder stamped
    // with the same clock value and device as another is not taken for a repeat (knows_version);
    // (client) its own versions a pulled one replaced, which a restored hub may have lost with the
    // conflict that kept them (requeue_own sends them again)
    R"sql(
ALTER TABLE lineage ADD COLUMN value_hash INTEGER;
CREATE TABLE own_replaced(
  tbl TEXT NOT NULL, row_id TEXT NOT NULL, scope TEXT NOT NULL, field TEXT NOT NULL,
  value TEXT NOT NULL, hlc INTEGER NOT NULL, device TEXT NOT NULL, base INTEGER NOT NULL,
  PRIMARY KEY(tbl, row_id, field, hlc, device)) WITHOUT ROWID;
)sql",
};
static_assert(std::size(kMigrations) == Store::kSchemaVersion);

Result<int> user_version(sql::Db& db) {
  auto st = db.prepare("PRAGMA user_version");
  if (!st.ok()) return st.status();
  if (!st->step()) return db.error("read user_version");
  return static_cast<int>(st->col_int(0));
}

Status migrate(sql::Db& db, int from, int to) {
  for (int v = from; v < to; ++v) {
    sql::Txn txn(db);
    LWC_RETURN_IF_ERROR(txn.status());
    LWC_RETURN_IF_ERROR(db.exec(kMigrations[v]));
    LWC_RETURN_IF_ERROR(db.exec("PRAGMA user_version=" + std::to_string(v + 1)));
    LWC_RETURN_IF_ERROR(txn.commit());
  }
  return {};
}

// " AND scope IN (?N, ...)" for a restricted filter, numbered from `first_param` (bind_scopes).
std::string scope_clause(const ScopeFilter& f, int first_param) {
  if (f.all) return "";
  if (f.scopes.empty()) return " AND 0";
  std::string s = " AND scope IN (";
  for (size_t i = 0; i < f.scopes.size(); ++i) {
    s += (i ? ",?" : "?") + std::to_string(first_param + static_cast<int>(i));
  }
  return s + ")";
}
void bind_scopes(sql::Stmt& st, const ScopeFilter& f, int first_param) {
  if (f.all) return;
  for (size_t i = 0; i < f.scopes.size(); ++i)
    st.bind(first_param + static_cast<int>(i), f.scopes[i]);
}

// The columns tbl,row_id,scope,field,value,hlc,base from `col` on (an outbox or rejected row, or
// a field version) as a change written by `device`.
Change change_at(const sql::Stmt& st, int col, const std::string& device) {
  return Change{st.col_text(col), st.col_text(col + 1), st.col_text(col + 2), st.col_text(col + 3),
                FieldVersion{st.col_text(col + 4), Hlc{st.col_int(col + 5)}, device,
                             Hlc{st.col_int(col + 6)}}};
}

}  // namespace

bool ScopeFilter::allows(const std::string& scope) const {
  return all || std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

const FieldVersion* Row::find(const std::string& field) const {
  for (auto& [name, v] : fields) {
    if (name == field) return &v;
  }
  return nullptr;
}

bool Row::deleted() const {
  const FieldVersion* t = find(kTombstoneField);
  return t && t->value == "true";
}

Store::Store(sql::Db db, const Clock& clock, int64_t max_drift_ms)
    : db_(std::move(db)), clock_(clock), hlc_(clock, max_drift_ms) {}

Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const StoreOptions& options, const Clock& clock) {
  return open_at_version(options, clock, kSchemaVersion);
}

Result<std::unique_ptr<Store>> Store::open_at_version(const StoreOptions& options,
                                                      const Clock& clock, int version) {
  auto db = sql::Db::open(options.path, options.durable);
  if (!db.ok()) return db.status();
  auto current = user_version(*db);
  if (!current.ok()) return current.status();
  if (*current > kSchemaVersion) {
    return Status(Code::kSchemaTooNew,
                  options.path + " has schema version " + std::to_string(*current) +
                      "; this LWC understands up to " + std::to_string(kSchemaVersion) +
                      " — install the newer LWC that wrote it");
  }
  LWC_RETURN_IF_ERROR(migrate(*db, *current, version));

  std::unique_ptr<Store> store(new Store(std::move(db).value(), clock, options.max_drift_ms));
  store->schema_version_ = version;
  LWC_RETURN_IF_ERROR(store->prepare_statements());

  auto id = store->get_meta("device_id");
  if (!id.ok()) return id.status();
  if (id->empty()) {
    store->device_id_ = options.device_id.empty() ? new_id() : options.device_id;
    LWC_RETURN_IF_ERROR(store->set_meta("device_id", store->device_id_));
  } else {
    store->device_id_ = *id;
  }
  auto resets = store->get_meta("clock_resets");
  if (!resets.ok()) return resets.status();
  store->clock_resets_ = *resets;
  auto hlc = store->get_meta("hlc");
  if (!hlc.ok()) return hlc.status();
  if (!hlc->empty()) store->hlc_.observe(Hlc{std::stoll(*hlc)});

  auto seq = store->committed_seq();
  if (!seq.ok()) return seq.status();
  store->next_seq_ = *seq + 1;
  auto counter = store->get_meta("next_counter");
  if (!counter.ok()) return counter.status();
  store->next_counter_ = counter->empty() ? 1 : std::stoll(*counter);
  return store;
}

Status Store::prepare_statements() {
  auto prep = [&](sql::Stmt& out, const char* text) -> Status {
    auto st = db_.prepare(text);
    if (!st.ok()) return st.status();
    out = std::move(st).value();
    return {};
  };
  LWC_RETURN_IF_ERROR(
      prep(get_field_,
           "SELECT r.row_key, r.scope, f.value, f.hlc, f.device, f.base FROM rows r "
           "LEFT JOIN fields f ON f.row_key=r.row_key AND f.field=?3 "
           "WHERE r.tbl=?1 AND r.row_id=?2"));
  LWC_RETURN_IF_ERROR(prep(upsert_field_,
                           "INSERT INTO fields(row_key,field,value,hlc,device,base,seq) "
                           "VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(row_key,field) DO UPDATE "
                           "SET value=excluded.value, hlc=excluded.hlc, device=excluded.device, "
                           "base=excluded.base, seq=excluded.seq"));
  LWC_RETURN_IF_ERROR(
      prep(get_field_by_key_,
           "SELECT value, hlc, device, base FROM fields WHERE row_key=?1 AND field=?2"));
  LWC_RETURN_IF_ERROR(prep(insert_row_, "INSERT INTO rows(tbl,row_id,scope) VALUES(?1,?2,?3)"));
  LWC_RETURN_IF_ERROR(
      prep(insert_conflict_,
           "INSERT INTO conflicts(tbl,row_id,scope,field,winner_value,winner_hlc,"
           "winner_device,winner_base,loser_value,loser_hlc,loser_device,loser_base,"
           "detected_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)"));
  LWC_RETURN_IF_ERROR(prep(insert_outbox_,
                           "INSERT INTO outbox(counter,tbl,row_id,scope,field,value,hlc,base) "
                           "VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"));
  LWC_RETURN_IF_ERROR(prep(set_meta_,
                           "INSERT INTO meta(key,value) VALUES(?1,?2) "
                           "ON CONFLICT(key) DO UPDATE SET value=excluded.value"));
  LWC_RETURN_IF_ERROR(prep(get_meta_, "SELECT value FROM meta WHERE key=?1"));
  if (schema_version_ >= 6) {
    LWC_RETURN_IF_ERROR(prep(insert_replaced_,
                             "INSERT OR IGNORE INTO own_replaced"
                             "(tbl,row_id,scope,field,value,hlc,device,base) "
                             "VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"));
    LWC_RETURN_IF_ERROR(
        prep(insert_lineage_,
             "INSERT OR IGNORE INTO lineage(row_key,field,hlc,device,base,value_hash) "
             "VALUES(?1,?2,?3,?4,?5,?6)"));
    LWC_RETURN_IF_ERROR(prep(get_lineage_,
                             "SELECT device, base, value_hash FROM lineage WHERE row_key=?1 AND "
                             "field=?2 AND hlc=?3 LIMIT 4"));
  } else if (schema_version_ >= 4) {
    LWC_RETURN_IF_ERROR(prep(insert_lineage_,
                             "INSERT OR IGNORE INTO lineage(row_key,field,hlc,device,base) "
                             "VALUES(?1,?2,?3,?4,?5)"));
    LWC_RETURN_IF_ERROR(prep(get_lineage_,
                             "SELECT device, base, NULL FROM lineage WHERE row_key=?1 AND "
                             "field=?2 AND hlc=?3 LIMIT 4"));
  }
  return {};
}

Result<std::string> Store::get_meta(const std::string& key) {
  get_meta_.bind(1, key);
  std::string value;
  if (get_meta_.step()) value = get_meta_.col_text(0);
  Status s = get_meta_.last_status();
  get_meta_.reset();
  if (!s.ok()) return s;
  return value;
}

Status Store::set_meta(const std::string& key, const std::string& value) {
  set_meta_.bind(1, key).bind(2, value);
  return set_meta_.run();
}

Status Store::begin_write() {
  last_row_ = {};  // a rolled-back transaction may have inserted the cached row
  // Another Store object (another thread or process) may have written this file since: take the
  // counters and the clock from the file, inside the write lock.
  auto seq = committed_seq();
  if (!seq.ok()) return seq.status();
  next_seq_ = *seq + 1;
  auto counter = get_meta("next_counter");
  if (!counter.ok()) return counter.status();
  next_counter_ = counter->empty() ? 1 : std::stoll(*counter);
  auto hlc = get_meta("hlc");
  if (!hlc.ok()) return hlc.status();
  auto resets = get_meta("clock_resets");
  if (!resets.ok()) return resets.status();
  if (*resets != clock_resets_) {  // another Store object re-stamped a clock that ran ahead
    clock_resets_ = *resets;
    hlc_.reset(Hlc{hlc->empty() ? 0 : std::stoll(*hlc)});
  } else if (!hlc->empty()) {
    hlc_.observe(Hlc{std::stoll(*hlc)});
  }
  return {};
}

Status Store::persist_clock() {
  return set_meta("hlc", std::to_string(hlc_.last().packed));
}

Result<Store::FieldLookup> Store::lookup(const Change& c) {
  FieldLookup out;
  Status s;
  if (last_row_.row_key != 0 && last_row_.row_id == c.row_id && last_row_.table == c.table) {
    // Fields of one row usually come together: skip the (tbl, row_id) index.
    out.row_key = last_row_.row_key;
    out.scope = last_row_.scope;
    if (last_row_.created) {
      // A row this transaction inserted holds only the fields it wrote since (an initial sync).
      const auto& written = last_row_.fields_written;
      if (std::find(written.begin(), written.end(), c.field) == written.end()) return out;
    }
    get_field_by_key_.bind(1, out.row_key).bind_ref(2, c.field);
    if (get_field_by_key_.step()) {
      out.current = FieldVersion{get_field_by_key_.col_text(0), Hlc{get_field_by_key_.col_int(1)},
                                 get_field_by_key_.col_text(2), Hlc{get_field_by_key_.col_int(3)}};
    }
    s = get_field_by_key_.last_status();
    get_field_by_key_.reset();
  } else {
    get_field_.bind_ref(1, c.table).bind_ref(2, c.row_id).bind_ref(3, c.field);
    if (get_field_.step()) {
      out.row_key = get_field_.col_int(0);
      out.scope = get_field_.col_text(1);
      if (!get_field_.col_is_null(2)) {
        out.current = FieldVersion{get_field_.col_text(2), Hlc{get_field_.col_int(3)},
                                   get_field_.col_text(4), Hlc{get_field_.col_int(5)}};
      }
    }
    s = get_field_.last_status();
    get_field_.reset();
  }
  if (!s.ok()) return s;
  return out;
}

namespace {
// FNV-1a: stable across runs and platforms, as the lineage keeps it.
int64_t value_hash(std::string_view value) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : value) h = (h ^ ch) * 1099511628211ull;
  return static_cast<int64_t>(h);
}
}  // namespace

// Whether `v` is the current version (same clock and device): kSame with its value, kOther with
// another; kNo when it is not the current one.
Store::Known Store::as_current(const std::optional<FieldVersion>& current, const FieldVersion& v) {
  if (!current || current->hlc != v.hlc || current->device != v.device) return Known::kNo;
  return current->value == v.value ? Known::kSame : Known::kOther;
}

Result<Store::Known> Store::knows_version(const Change& c) {
  auto found = lookup(c);
  if (!found.ok()) return found.status();
  if (found->row_key == 0) return Known::kNo;
  if (Known k = as_current(found->current, c.version); k != Known::kNo) return k;
  if (schema_version_ < 4) return Known::kNo;
  return known_in_lineage(found->row_key, c.field, c.version);
}

Result<Store::Known> Store::known_in_lineage(int64_t row_key, const std::string& field,
                                             const FieldVersion& v) {
  get_lineage_.bind(1, row_key).bind_ref(2, field).bind(3, v.hlc.packed);
  Known known = Known::kNo;
  while (get_lineage_.step()) {
    if (get_lineage_.col_view(0) != v.device) continue;
    known = get_lineage_.col_is_null(2) || get_lineage_.col_int(2) == value_hash(v.value)
                ? Known::kSame
                : Known::kOther;
  }
  Status s = get_lineage_.last_status();
  get_lineage_.reset();
  if (!s.ok()) return s;
  return known;
}

Status Store::keep_lineage(int64_t row_key, const std::string& field, const FieldVersion& v) {
  insert_lineage_.bind(1, row_key).bind_ref(2, field).bind(3, v.hlc.packed).bind_ref(4, v.device);
  insert_lineage_.bind(5, v.base.packed);
  if (schema_version_ >= 6) insert_lineage_.bind(6, value_hash(v.value));
  return insert_lineage_.run();
}

Status Store::forked(const Change& c) {
  return Status(Code::kDeviceForked,
                "device " + c.version.device + " sent another value for " + c.table + "/" +
                    c.row_id + "." + c.field + " at clock " + c.version.hlc.to_string() +
                    " than the one it sent before: this data folder is a copy of another that "
                    "syncs as the same device");
}

Result<Store::ApplyKind> Store::apply_one(const Change& c, Authority authority,
                                          std::optional<FieldVersion>* replaced) {
  auto found = lookup(c);
  if (!found.ok()) return found.status();
  FieldLookup& f = *found;
  if (f.row_key == 0) {  // a new row
    insert_row_.bind_ref(1, c.table).bind_ref(2, c.row_id).bind_ref(3, c.scope);
    LWC_RETURN_IF_ERROR(insert_row_.run());
    f.row_key = db_.last_insert_rowid();
    f.scope = c.scope;
    last_row_ = {c.table, c.row_id, f.row_key, f.scope, /*created=*/true, {}};
  } else if (f.row_key != last_row_.row_key) {
    last_row_ = {c.table, c.row_id, f.row_key, f.scope, /*created=*/false, {}};
  }
  if (f.scope != c.scope) {
    return Status(Code::kPermissionDenied, "row " + c.table + "/" + c.row_id +
                                               " belongs to scope " + f.scope + ", not " + c.scope);
  }
  const std::optional<FieldVersion>& current = f.current;

  // The hub (where every version meets) follows the winner's chain of bases through its lineage
  // and files conflicts; a client merges what the hub sends and leaves the verdict to the hub.
  const bool hub = authority == Authority::kHub && schema_version_ >= 4;
  Status lineage_error;
  Lineage lineage;
  if (hub) {
    lineage = [&](Hlc hlc) {
      get_lineage_.bind(1, f.row_key).bind_ref(2, c.field).bind(3, hlc.packed);
      std::vector<LineageEntry> found;
      while (get_lineage_.step()) {
        found.push_back({get_lineage_.col_text(0), Hlc{get_lineage_.col_int(1)}});
      }
      if (!get_lineage_.last_status().ok()) lineage_error = get_lineage_.last_status();
      get_lineage_.reset();
      return found;
    };
  }
  if (hub) {  // the same clock value and device with another value: two folders of one device
    Known same = as_current(current, c.version);
    if (same == Known::kNo && current && wins_over(*current, c.version)) {
      auto known = known_in_lineage(f.row_key, c.field, c.version);
      if (!known.ok()) return known.status();
      same = *known;
      // A superseded version sent again (a repair after a restore resends what a client holds):
      // merged here before, its verdict (conflict or not) is on file already.
      if (same == Known::kSame) return ApplyKind::kDuplicate;
    }
    if (same == Known::kOther) return forked(c);
  }
  MergeResult m = merge(current, c.version, lineage);
  LWC_RETURN_IF_ERROR(lineage_error);
  if (hub && m.outcome == MergeOutcome::kStale) {
    LWC_RETURN_IF_ERROR(keep_lineage(f.row_key, c.field, c.version));
  } else if (hub && m.outcome == MergeOutcome::kApplied && current) {
    LWC_RETURN_IF_ERROR(keep_lineage(f.row_key, c.field, *current));
  }
  if (!hub && schema_version_ >= 6 && m.outcome == MergeOutcome::kApplied && current &&
      current->device == device_id_ && c.version.device != device_id_) {
    // Another device's version replaced one of ours: keep ours, should the hub lose its verdict.
    insert_replaced_.bind_ref(1, c.table).bind_ref(2, c.row_id).bind_ref(3, c.scope);
    insert_replaced_.bind_ref(4, c.field).bind_ref(5, current->value);
    insert_replaced_.bind(6, current->hlc.packed).bind_ref(7, current->device);
    insert_replaced_.bind(8, current->base.packed);
    LWC_RETURN_IF_ERROR(insert_replaced_.run());
  }
  if (hub && m.conflict) {
    const Conflict& k = *m.conflict;
    insert_conflict_.bind(1, c.table).bind(2, c.row_id).bind(3, c.scope).bind(4, c.field);
    insert_conflict_.bind(5, k.winner.value).bind(6, k.winner.hlc.packed).bind(7, k.winner.device);
    insert_conflict_.bind(8, k.winner.base.packed).bind(9, k.loser.value);
    insert_conflict_.bind(10, k.loser.hlc.packed).bind(11, k.loser.device);
    insert_conflict_.bind(12, k.loser.base.packed).bind(13, clock_.now_ms());
    LWC_RETURN_IF_ERROR(insert_conflict_.run());
  }
  switch (m.outcome) {
    case MergeOutcome::kDuplicate:
      return ApplyKind::kDuplicate;
    case MergeOutcome::kStale:
      return ApplyKind::kStale;
    case MergeOutcome::kApplied:
      break;
  }
  const FieldVersion& v = c.version;
  upsert_field_.bind(1, f.row_key).bind_ref(2, c.field).bind_ref(3, v.value);
  upsert_field_.bind(4, v.hlc.packed).bind_ref(5, v.device).bind(6, v.base.packed);
  upsert_field_.bind(7, next_seq_);
  LWC_RETURN_IF_ERROR(upsert_field_.run());
  ++next_seq_;
  if (last_row_.created) last_row_.fields_written.push_back(c.field);
  if (replaced) *replaced = current;
  return ApplyKind::kApplied;
}

Result<std::vector<Change>> Store::write_local(const std::string& table, const std::string& row_id,
                                               const std::string& scope,
                                               const std::vector<FieldWrite>& writes, Queue queue) {
  const int64_t seq_before = next_seq_;
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  LWC_RETURN_IF_ERROR(begin_write());
  std::vector<Change> out;
  out.reserve(writes.size());
  if (queue == Queue::kNone) {
    Status s = write_own(table, row_id, scope, writes, &out);
    if (s.ok()) s = persist_clock();
    if (s.ok()) s = txn.commit();
    if (!s.ok()) {
      next_seq_ = seq_before;
      return s;
    }
    return out;
  }
  int64_t counter = next_counter_;
  for (const FieldWrite& w : writes) {
    auto current = get_field(table, row_id, w.field);
    if (!current.ok()) return current.status();
    Change c{table, row_id, scope, w.field,
             FieldVersion{w.value, hlc_.now(), device_id_, *current ? (*current)->hlc : Hlc{}}};
    auto applied = apply_one(c, Authority::kReplica);
    if (!applied.ok()) {
      next_seq_ = seq_before;
      return applied.status();
    }
    const FieldVersion& v = c.version;
    insert_outbox_.bind(1, counter).bind(2, table).bind(3, row_id).bind(4, scope).bind(5, w.field);
    insert_outbox_.bind(6, v.value).bind(7, v.hlc.packed).bind(8, v.base.packed);
    Status s = insert_outbox_.run();
    if (!s.ok()) {
      next_seq_ = seq_before;
      return s;
    }
    ++counter;
    out.push_back(std::move(c));
  }
  Status s = set_meta("next_counter", std::to_string(counter));
  if (s.ok()) s = persist_clock();
  if (s.ok()) s = txn.commit();
  if (!s.ok()) {
    next_seq_ = seq_before;
    return s;
  }
  next_counter_ = counter;
  return out;
}

Status Store::write_own(const std::string& table, const std::string& row_id,
                        const std::string& scope, const std::vector<FieldWrite>& writes,
                        std::vector<Change>* out) {
  for (const FieldWrite& w : writes) {
    auto current = get_field(table, row_id, w.field);
    if (!current.ok()) return current.status();
    Change c{table, row_id, scope, w.field,
             FieldVersion{w.value, hlc_.now(), device_id_, *current ? (*current)->hlc : Hlc{}}};
    auto applied = apply_one(c, Authority::kHub);
    if (!applied.ok()) return applied.status();
    if (out) out->push_back(std::move(c));
  }
  return {};
}

Result<std::vector<Mutation>> Store::outbox(size_t limit, int64_t after) {
  auto st = db_.prepare(
      "SELECT counter,tbl,row_id,scope,field,value,hlc,base FROM outbox WHERE counter > ?2 "
      "ORDER BY counter LIMIT ?1");
  if (!st.ok()) return st.status();
  st->bind(1, static_cast<int64_t>(limit)).bind(2, after);
  std::vector<Mutation> out;
  while (st->step()) {
    out.push_back(Mutation{st->col_int(0), change_at(*st, 1, device_id_)});
  }
  if (!st->last_status().ok()) return st->last_status();
  return out;
}

Result<int64_t> Store::outbox_size() {
  auto st = db_.prepare("SELECT count(*) FROM outbox");
  if (!st.ok()) return st.status();
  if (!st->step()) return db_.error("count outbox");
  return st->col_int(0);
}

Result<int64_t> Store::outbox_rows() {
  auto st = db_.prepare("SELECT count(*) FROM (SELECT DISTINCT tbl, row_id FROM outbox)");
  if (!st.ok()) return st.status();
  if (!st->step()) return db_.error("count outbox rows");
  return st->col_int(0);
}

Status Store::ack_outbox(int64_t counter) {
  auto st = db_.prepare("DELETE FROM outbox WHERE counter <= ?1");
  if (!st.ok()) return st.status();
  st->bind(1, counter);
  return st->run();
}

Status Store::reject_outbox(int64_t counter, const Status& reason) {
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  LWC_RETURN_IF_ERROR(begin_write());
  auto ins = db_.prepare(
      "INSERT OR REPLACE INTO rejected(counter,tbl,row_id,scope,field,value,hlc,base,code,message,"
      "rejected_ms) SELECT counter,tbl,row_id,scope,field,value,hlc,base,?2,?3,?4 FROM outbox "
      "WHERE counter=?1");
  if (!ins.ok()) return ins.status();
  ins->bind(1, counter).bind(2, code_name(reason.code())).bind(3, reason.message());
  ins->bind(4, clock_.now_ms());
  LWC_RETURN_IF_ERROR(ins->run());
  auto del = db_.prepare("DELETE FROM outbox WHERE counter=?1");
  if (!del.ok()) return del.status();
  del->bind(1, counter);
  LWC_RETURN_IF_ERROR(del->run());
  return txn.commit();
}

Result<std::vector<RejectedMutation>> Store::rejected() {
  auto st = db_.prepare(
      "SELECT counter,tbl,row_id,scope,field,value,hlc,base,code,message,rejected_ms FROM rejected "
      "ORDER BY counter");
  if (!st.ok()) return st.status();
  std::vector<RejectedMutation> out;
  while (st->step()) {
    out.push_back(RejectedMutation{
        Mutation{st->col_int(0), change_at(*st, 1, device_id_)},
        Status(protocol::code_from_name(st->col_view(8)), st->col_text(9)), st->col_int(10)});
  }
  if (!st->last_status().ok()) return st->last_status();
  return out;
}

Result<Store::Restamp> Store::restamp_ahead_of(int64_t bound_ms) {
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  LWC_RETURN_IF_ERROR(begin_write());
  Restamp out;
  const int64_t bound = Hlc::from_parts(bound_ms, Hlc::kMaxCounter).packed;
  if (hlc_.last().packed <= bound) return out;  // rolled back: nothing was written

  // The first column of a statement's only row.
  auto scalar = [](Result<sql::Stmt>& st) -> Result<int64_t> {
    if (!st.ok()) return st.status();
    int64_t v = st->step() ? st->col_int(0) : 0;
    if (!st->last_status().ok()) return st->last_status();
    return v;
  };
  // (bases too: a version this device overwrote is known although no table holds it any more)
  std::string newest = "SELECT coalesce(max(h),0) FROM (";
  for (const char* table : {"fields", "outbox", "rejected"}) {
    for (const char* column : {"hlc", "base"}) {
      newest += std::string(newest.back() == '(' ? "" : " UNION ALL ") + "SELECT max(" + column +
                ") h FROM " + table + " WHERE " + column + "<=?1";
    }
  }
  auto newest_known = db_.prepare(newest + ")");
  if (newest_known.ok()) newest_known->bind(1, bound);
  auto known = scalar(newest_known);
  if (!known.ok()) return known.status();
  auto last_sync = get_meta("last_sync_ms");
  if (!last_sync.ok()) return last_sync.status();
  int64_t start = *known;
  if (!last_sync->empty()) {
    const int64_t contact = Hlc::from_parts(std::stoll(*last_sync), 0).packed;
    if (contact > start && contact <= bound) start = contact;
  }

  // old clock value -> new, in the original order
  LWC_RETURN_IF_ERROR(db_.exec(
      "CREATE TEMP TABLE IF NOT EXISTS restamp(old INTEGER PRIMARY KEY, new INTEGER NOT NULL);"
      "DELETE FROM temp.restamp"));
  auto map = db_.prepare(
      "INSERT INTO temp.restamp(old,new) SELECT h, ?3 + row_number() OVER (ORDER BY h) FROM ("
      "SELECT hlc h FROM fields WHERE device=?2 AND hlc>?1 UNION SELECT hlc FROM outbox WHERE "
      "hlc>?1 UNION SELECT hlc FROM rejected WHERE hlc>?1)");
  if (!map.ok()) return map.status();
  map->bind(1, bound).bind(2, device_id_).bind(3, start);
  LWC_RETURN_IF_ERROR(map->run());
  auto count = db_.prepare("SELECT count(*) FROM temp.restamp");
  auto n = scalar(count);
  if (!n.ok()) return n.status();
  out.restamped = *n;
  for (const std::string table : {"fields", "outbox", "rejected"}) {
    // (only this device's versions: the hub vetted every other device's clock)
    auto st = db_.prepare(
        "UPDATE " + table + " SET hlc=coalesce((SELECT new FROM temp.restamp WHERE old=" + table +
        ".hlc),hlc), base=coalesce((SELECT new FROM temp.restamp WHERE old=" + table +
        ".base),base) WHERE " + (table == "fields" ? "device=?1" : "?1<>''") +
        " AND (hlc IN (SELECT old FROM temp.restamp) OR base IN (SELECT old FROM temp.restamp))");
    if (!st.ok()) return st.status();
    st->bind(1, device_id_);
    LWC_RETURN_IF_ERROR(st->run());
  }

  // Refused only for the clock: send again, superseded ones too (a later edit's base names them,
  // and the hub follows that chain), before the outbox, in the original order. They are numbered
  // anew from the outbox's first counter, which the hub has not taken.
  auto refused = db_.prepare(
      "SELECT counter,tbl,row_id,scope,field,value,hlc,base FROM rejected WHERE code='clock_skew' "
      "AND hlc IN (SELECT new FROM temp.restamp) ORDER BY counter");
  if (!refused.ok()) return refused.status();
  std::vector<Mutation> resend;
  while (refused->step()) {
    resend.push_back(Mutation{refused->col_int(0), change_at(*refused, 1, device_id_)});
  }
  if (!refused->last_status().ok()) return refused->last_status();
  const int64_t counter_before = next_counter_;
  if (!resend.empty()) {
    auto queued = outbox(std::numeric_limits<int32_t>::max());
    if (!queued.ok()) return queued.status();
    const int64_t first = queued->empty() ? next_counter_ : queued->front().counter;
    out.requeued = static_cast<int64_t>(resend.size());
    resend.insert(resend.end(), queued->begin(), queued->end());
    LWC_RETURN_IF_ERROR(db_.exec(
        "DELETE FROM rejected WHERE code='clock_skew' AND hlc IN (SELECT new FROM temp.restamp)"));
    LWC_RETURN_IF_ERROR(rewrite_outbox(resend, first));
  }

  const std::string resets =
      std::to_string(clock_resets_.empty() ? 1 : std::stoll(clock_resets_) + 1);
  hlc_.reset(Hlc{start + out.restamped});
  Status s = set_meta("clock_resets", resets);
  if (s.ok()) s = persist_clock();
  if (s.ok()) s = txn.commit();
  if (!s.ok()) {
    next_counter_ = counter_before;
    return s;
  }
  clock_resets_ = resets;
  return out;
}

Status Store::apply_pulled(const std::vector<Change>& changes, std::optional<int64_t> new_cursor,
                           const std::string& epoch) {
  return apply_pulled(
      changes.size(), [&](size_t i) -> const Change& { return changes[i]; }, new_cursor, epoch);
}

Status Store::apply_pulled(size_t n, const std::function<const Change&(size_t)>& at,
                           std::optional<int64_t> new_cursor, const std::string& epoch) {
  const int64_t seq_before = next_seq_;
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  LWC_RETURN_IF_ERROR(begin_write());
  Status s = txn.status();
  for (size_t i = 0; s.ok() && i < n; ++i) {
    const Change& c = at(i);
    hlc_.observe(c.version.hlc);  // the hub vetted the drift; never lag behind its data
    auto r = apply_one(c, Authority::kReplica);
    if (!r.ok()) s = r.status();
  }
  if (s.ok() && new_cursor) {
    auto current = pull_cursor();
    if (!current.ok())
      s = current.status();
    else if (*new_cursor > *current)
      s = set_meta("pull_cursor", std::to_string(*new_cursor));
    if (s.ok() && !epoch.empty() && *new_cursor >= *current) s = set_meta("pull_epoch", epoch);
  }
  if (s.ok()) s = persist_clock();
  if (s.ok()) s = txn.commit();
  if (!s.ok()) next_seq_ = seq_before;
  return s;
}

Result<int64_t> Store::acknowledged_counter() {
  auto st = db_.prepare("SELECT min(counter) FROM outbox");
  if (!st.ok()) return st.status();
  if (!st->step()) return db_.error("read outbox");
  const bool empty = st->col_is_null(0);
  const int64_t first = st->col_int(0);
  auto next = get_meta("next_counter");
  if (!next.ok()) return next.status();
  if (!empty) return first - 1;
  return next->empty() ? int64_t{0} : std::stoll(*next) - 1;
}

Result<int64_t> Store::numbered_counter() {
  auto next = get_meta("next_counter");
  if (!next.ok()) return next.status();
  return next->empty() ? int64_t{0} : std::stoll(*next) - 1;
}

Result<int64_t> Store::pull_cursor() {
  auto v = get_meta("pull_cursor");
  if (!v.ok()) return v.status();
  return v->empty() ? int64_t{0} : std::stoll(*v);
}

Result<int64_t> Store::device_progress(const std::string& device) {
  auto st = db_.prepare("SELECT last_counter FROM device_progress WHERE device=?1");
  if (!st.ok()) return st.status();
  st->bind(1, device);
  int64_t last = 0;
  if (st->step()) last = st->col_int(0);
  if (!st->last_status().ok()) return st->last_status();
  return last;
}

Result<std::vector<MutationResult>> Store::accept_push(const std::string& device,
                                                       const std::vector<Mutation>& batch,
                                                       const Validator& validate,
                                                       const Stamper& stamp) {
  const int64_t seq_before = next_seq_;
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  LWC_RETURN_IF_ERROR(begin_write());
  auto progress = device_progress(device);
  if (!progress.ok()) return progress.status();
  int64_t last = *progress;
  std::vector<MutationResult> results;
  results.reserve(batch.size());
  std::vector<AppliedChange> applied;  // became current
  auto fail = [&](Status s) -> Status {
    next_seq_ = seq_before;
    return s;
  };
  for (const Mutation& m : batch) {
    MutationResult r{m.counter};
    if (m.counter <= last) {
      r.kind = MutationResult::Kind::kDuplicate;
      auto earlier =
          db_.prepare("SELECT code, message FROM push_rejections WHERE device=?1 AND counter=?2");
      if (!earlier.ok()) return fail(earlier.status());
      earlier->bind(1, device).bind(2, m.counter);
      if (earlier->step()) {
        r.kind = MutationResult::Kind::kRejected;
        r.reason = Status(protocol::code_from_name(earlier->col_view(0)), earlier->col_text(1));
      } else {
        // A true repeat left its version here: current, or in the lineage (superseded, or stale on
        // arrival). A version the hub never had, under a number already taken, is another change:
        // a second data folder (a copy, or a restored backup of the client) numbers its changes as
        // this device. The whole push is refused; the client becomes a new device and sends them
        // again (Store::become_device), so neither folder's work is dropped as a repeat.
        auto known = knows_version(m.change);
        if (!known.ok()) return fail(known.status());
        if (*known != Known::kSame) {
          return fail(Status(Code::kDeviceForked,
                             "change number " + std::to_string(m.counter) + " of device " + device +
                                 " was already used for another change: this data "
                                 "folder is a copy of another that syncs as the same device"));
        }
      }
    } else if (m.counter != last + 1) {
      r.kind = MutationResult::Kind::kRejected;
      r.reason = Status(Code::kConflict, "mutation " + std::to_string(m.counter) +
                                             " arrived before " + std::to_string(last + 1) +
                                             "; resend from " + std::to_string(last + 1));
    } else {
      Status verdict = validate ? validate(m.change) : Status{};
      if (verdict.ok()) verdict = hlc_.update(m.change.version.hlc);
      if (verdict.ok()) {
        std::optional<FieldVersion> replaced;
        auto merged = apply_one(m.change, Authority::kHub, stamp ? &replaced : nullptr);
        if (!merged.ok() && merged.status().code() != Code::kPermissionDenied) {
          return fail(merged.status());
        }
        if (!merged.ok()) verdict = merged.status();
        if (stamp && merged.ok() && *merged == ApplyKind::kApplied) {
          applied.push_back({&m.change, std::move(replaced)});
        }
      }
      if (!verdict.ok()) {
        r.kind = MutationResult::Kind::kRejected;
        r.reason = verdict;
        auto keep = db_.prepare(
            "INSERT OR REPLACE INTO push_rejections(device,counter,code,message) "
            "VALUES(?1,?2,?3,?4)");
        if (!keep.ok()) return fail(keep.status());
        keep->bind(1, device).bind(2, m.counter).bind(3, code_name(verdict.code()));
        keep->bind(4, verdict.message());
        if (Status s = keep->run(); !s.ok()) return fail(s);
      }
      last = m.counter;
    }
    results.push_back(std::move(r));
  }
  if (stamp && !applied.empty()) {
    auto writes = stamp(applied);
    if (!writes.ok()) return fail(writes.status());
    for (const RowWrite& w : *writes) {
      if (Status s = write_own(w.table, w.id, w.scope, w.fields, nullptr); !s.ok()) return fail(s);
    }
  }
  auto up = db_.prepare(
      "INSERT INTO device_progress(device,last_counter) VALUES(?1,?2) "
      "ON CONFLICT(device) DO UPDATE SET last_counter=excluded.last_counter");
  if (!up.ok()) return fail(up.status());
  up->bind(1, device).bind(2, last);
  Status s = up->run();
  if (s.ok()) s = persist_clock();
  if (s.ok()) s = txn.commit();
  if (!s.ok()) return fail(s);
  return results;
}

Status Store::backup_to(const std::string& path) {
  auto st = db_.prepare("VACUUM INTO ?1");
  if (!st.ok()) return st.status();
  st->bind(1, path);
  return st->run();
}

Result<std::string> Store::open_segment() {
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  LWC_RETURN_IF_ERROR(begin_write());
  const std::string token = new_id();
  auto st = db_.prepare("INSERT INTO segments(token,first_seq,started_ms) VALUES(?1,?2,?3)");
  if (!st.ok()) return st.status();
  st->bind(1, token).bind(2, next_seq_).bind(3, clock_.now_ms());
  LWC_RETURN_IF_ERROR(st->run());
  LWC_RETURN_IF_ERROR(txn.commit());
  return token;
}

Result<std::string> Store::segment_of(int64_t seq) {
  auto st = db_.prepare(
      "SELECT token FROM segments WHERE first_seq<=?1 ORDER BY first_seq DESC, id DESC LIMIT 1");
  if (!st.ok()) return st.status();
  st->bind(1, seq);
  std::string token;
  if (st->step()) token = st->col_text(0);
  if (!st->last_status().ok()) return st->last_status();
  return token;
}

namespace {
// Moves refused changes numbered from `first` on below every number in use (they keep their
// order), so renumbered outbox changes that are refused later do not overwrite them.
Status make_room_in_rejected(sql::Db& db, int64_t first) {
  auto st = db.prepare(
      "UPDATE rejected SET counter = counter + (SELECT min(min(counter),0) - max(counter) - 1 "
      "FROM rejected) WHERE counter >= ?1");
  if (!st.ok()) return st.status();
  st->bind(1, first);
  return st->run();
}
}  // namespace

Status Store::rewrite_outbox(const std::vector<Mutation>& queue, int64_t first_counter) {
  LWC_RETURN_IF_ERROR(db_.exec("DELETE FROM outbox"));
  LWC_RETURN_IF_ERROR(make_room_in_rejected(db_, first_counter));
  int64_t counter = first_counter;
  for (const Mutation& m : queue) {
    const Change& c = m.change;
    insert_outbox_.bind(1, counter).bind_ref(2, c.table).bind_ref(3, c.row_id);
    insert_outbox_.bind_ref(4, c.scope).bind_ref(5, c.field).bind_ref(6, c.version.value);
    insert_outbox_.bind(7, c.version.hlc.packed).bind(8, c.version.base.packed);
    LWC_RETURN_IF_ERROR(insert_outbox_.run());
    ++counter;
  }
  LWC_RETURN_IF_ERROR(set_meta("next_counter", std::to_string(counter)));
  next_counter_ = counter;
  return {};
}

Status Store::restart_pull() {
  LWC_RETURN_IF_ERROR(set_meta("pull_cursor", "0"));
  LWC_RETURN_IF_ERROR(set_meta("acked_seq", ""));
  LWC_RETURN_IF_ERROR(set_meta("acked_epoch", ""));
  return set_meta("pull_epoch", "");
}

Status Store::keep_hub_mark(int64_t seq, const std::string& epoch) {
  auto kept = hub_mark();
  if (!kept.ok()) return kept.status();
  if (seq <= kept->first) return {};
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  LWC_RETURN_IF_ERROR(set_meta("acked_seq", std::to_string(seq)));
  LWC_RETURN_IF_ERROR(set_meta("acked_epoch", epoch));
  return txn.commit();
}

Result<std::pair<int64_t, std::string>> Store::hub_mark() {
  auto seq = get_meta("acked_seq");
  if (!seq.ok()) return seq.status();
  auto epoch = get_meta("acked_epoch");
  if (!epoch.ok()) return epoch.status();
  return std::pair<int64_t, std::string>{seq->empty() ? 0 : std::stoll(*seq), *epoch};
}

Result<std::vector<Mutation>> Store::own_versions() {
  auto st = db_.prepare(
      "SELECT tbl,row_id,scope,field,value,hlc,base FROM outbox UNION "
      "SELECT tbl,row_id,scope,field,value,hlc,base FROM field_versions WHERE device=?1 " +
      std::string(schema_version_ >= 6 ? "UNION SELECT tbl,row_id,scope,field,value,hlc,base "
                                         "FROM own_replaced WHERE device=?1 "
                                       : "") +
      "ORDER BY 6");
  if (!st.ok()) return st.status();
  st->bind(1, device_id_);
  std::vector<Mutation> queue;
  while (st->step()) {
    queue.push_back(Mutation{0, change_at(*st, 0, device_id_)});
  }
  if (!st->last_status().ok()) return st->last_status();
  return queue;
}

Result<int64_t> Store::requeue_own(int64_t first_counter) {
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  LWC_RETURN_IF_ERROR(begin_write());
  auto queue = own_versions();
  if (!queue.ok()) return queue.status();
  const int64_t counter_before = next_counter_;
  Status s = rewrite_outbox(*queue, first_counter);
  if (s.ok()) s = restart_pull();
  if (s.ok()) s = txn.commit();
  if (!s.ok()) {
    next_counter_ = counter_before;
    return s;
  }
  return static_cast<int64_t>(queue->size());
}

Result<int64_t> Store::become_device(const std::string& new_device) {
  if (new_device <= device_id_) {
    return Status(Code::kInvalidArgument, "a copied data folder takes a device id greater than " +
                                              device_id_ + " (id_after), not " + new_device);
  }
  sql::Txn txn(db_);
  LWC_RETURN_IF_ERROR(txn.status());
  LWC_RETURN_IF_ERROR(begin_write());
  // Which of its versions the other folder lacks is not known here (some may have reached the hub
  // under the old id, and been lost with a restored hub): every version it wrote becomes the new
  // device's and is sent again. Where the other folder holds the same write under the old id,
  // the hub keeps one of the twins; they carry the same value.
  for (const char* table : {"fields", "own_replaced"}) {
    if (std::string_view(table) == "own_replaced" && schema_version_ < 6) continue;
    auto own = db_.prepare(std::string("UPDATE ") + table + " SET device=?2 WHERE device=?1");
    if (!own.ok()) return own.status();
    own->bind(1, device_id_).bind(2, new_device);
    LWC_RETURN_IF_ERROR(own->run());
  }
  const std::string old = device_id_;
  device_id_ = new_device;
  auto queue = own_versions();
  const int64_t counter_before = next_counter_;
  Status s = queue.status();
  if (s.ok()) s = rewrite_outbox(*queue, 1);
  if (s.ok()) s = restart_pull();
  if (s.ok()) s = set_meta("forked_from", old);
  if (s.ok()) s = set_meta("forked_ms", std::to_string(clock_.now_ms()));
  if (s.ok()) s = set_meta("device_id", new_device);
  if (s.ok()) s = txn.commit();
  if (!s.ok()) {
    next_counter_ = counter_before;
    device_id_ = old;
    return s;
  }
  return static_cast<int64_t>(queue->size());
}

Result<std::vector<SeqChange>> Store::changes_after(int64_t after_seq, const ScopeFilter& filter,
                                                    size_t limit, std::string_view skip_device) {
  auto st = db_.prepare(
      "SELECT seq,tbl,row_id,scope,field,value,hlc,device,base FROM field_versions WHERE seq > ?1" +
      std::string(skip_device.empty() ? "" : " AND device != ?3") + scope_clause(filter, 4) +
      " ORDER BY seq LIMIT ?2");
  if (!st.ok()) return st.status();
  st->bind(1, after_seq).bind(2, static_cast<int64_t>(limit));
  if (!skip_device.empty()) st->bind(3, skip_device);
  bind_scopes(*st, filter, 4);
  std::vector<SeqChange> out;
  while (st->step()) {
    out.push_back(SeqChange{
        st->col_int(0), Change{st->col_text(1), st->col_text(2), st->col_text(3), st->col_text(4),
                               FieldVersion{st->col_text(5), Hlc{st->col_int(6)}, st->col_text(7),
                                            Hlc{st->col_int(8)}}}});
  }
  if (!st->last_status().ok()) return st->last_status();
  return out;
}

Result<int64_t> Store::committed_seq() {
  auto st = db_.prepare("SELECT coalesce(max(seq), 0) FROM fields");
  if (!st.ok()) return st.status();
  if (!st->step()) return db_.error("max seq");
  return st->col_int(0);
}

Result<std::optional<FieldVersion>> Store::get_field(const std::string& table,
                                                     const std::string& row_id,
                                                     const std::string& field) {
  auto found = lookup(Change{table, row_id, "", field, {}});
  if (!found.ok()) return found.status();
  return found->current;
}

namespace {
// Reads rows from a statement whose columns are tbl,row_id,scope,field,value,hlc,device,base,
// ordered by tbl,row_id,field.
Result<std::vector<Row>> collect_rows(sql::Stmt& st) {
  std::vector<Row> out;
  while (st.step()) {
    std::string_view tbl = st.col_view(0), id = st.col_view(1);
    if (out.empty() || out.back().table != tbl || out.back().id != id) {
      out.push_back(Row{std::string(tbl), std::string(id), st.col_text(2), {}});
    }
    out.back().fields.emplace_back(
        st.col_text(3),
        FieldVersion{st.col_text(4), Hlc{st.col_int(5)}, st.col_text(6), Hlc{st.col_int(7)}});
  }
  if (!st.last_status().ok()) return st.last_status();
  return out;
}
}  // namespace

Result<std::optional<Row>> Store::get_row(const std::string& table, const std::string& row_id) {
  auto st = db_.prepare(
      "SELECT tbl,row_id,scope,field,value,hlc,device,base FROM field_versions WHERE tbl=?1 AND "
      "row_id=?2 "
      "ORDER BY field");
  if (!st.ok()) return st.status();
  st->bind(1, table).bind(2, row_id);
  auto rows = collect_rows(*st);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Row>{};
  return std::optional<Row>{std::move(rows->front())};
}

Result<std::vector<Row>> Store::rows(const std::string& table, const ScopeFilter& filter) {
  auto st = db_.prepare(
      "SELECT tbl,row_id,scope,field,value,hlc,device,base FROM field_versions WHERE tbl=?1" +
      scope_clause(filter, 2) + " ORDER BY row_id, field");
  if (!st.ok()) return st.status();
  st->bind(1, table);
  bind_scopes(*st, filter, 2);
  return collect_rows(*st);
}

Result<std::vector<ConflictRecord>> Store::conflicts() {
  auto st = db_.prepare(
      "SELECT id,tbl,row_id,scope,field,winner_value,winner_hlc,winner_device,winner_base,"
      "loser_value,loser_hlc,loser_device,loser_base,detected_ms FROM conflicts ORDER BY id");
  if (!st.ok()) return st.status();
  std::vector<ConflictRecord> out;
  while (st->step()) {
    out.push_back(ConflictRecord{st->col_int(0), st->col_text(1), st->col_text(2), st->col_text(3),
                                 st->col_text(4),
                                 Conflict{FieldVersion{st->col_text(5), Hlc{st->col_int(6)},
                                                       st->col_text(7), Hlc{st->col_int(8)}},
                                          FieldVersion{st->col_text(9), Hlc{st->col_int(10)},
                                                       st->col_text(11), Hlc{st->col_int(12)}}},
                                 st->col_int(13)});
  }
  if (!st->last_status().ok()) return st->last_status();
  return out;
}

Result<std::string> Store::export_canonical(const ScopeFilter& filter) {
  auto st =
      db_.prepare("SELECT tbl,row_id,scope,field,value,hlc,device FROM field_versions WHERE 1" +
                  scope_clause(filter, 1) + " ORDER BY tbl, row_id, field");
  if (!st.ok()) return st.status();
  bind_scopes(*st, filter, 1);
  std::string out = "{\"format\":\"lwc-export-1\",\"rows\":[";
  std::string last_tbl, last_id;
  bool any = false;
  while (st->step()) {
    std::string_view tbl = st->col_view(0), id = st->col_view(1);
    bool new_row = !any || tbl != last_tbl || id != last_id;
    if (new_row) {
      if (any) out += "}},";
      out += "\n{\"table\":";
      json_text::append_string(out, tbl);
      out += ",\"id\":";
      json_text::append_string(out, id);
      out += ",\"scope\":";
      json_text::append_string(out, st->col_view(2));
      out += ",\"fields\":{";
      last_tbl = tbl;
      last_id = id;
      any = true;
    } else {
      out += ",";
    }
    json_text::append_string(out, st->col_view(3));
    out += ":{\"value\":";
    out += st->col_view(4);
    out += ",\"hlc\":" + std::to_string(st->col_int(5)) + ",\"device\":";
    json_text::append_string(out, st->col_view(6));
    out += "}";
  }
  if (!st->last_status().ok()) return st->last_status();
  if (any) out += "}}";
  out += "\n]}\n";
  return out;
}

}  // namespace lwc
