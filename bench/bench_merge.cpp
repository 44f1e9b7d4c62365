// Benchmark: 1,000,000 field changes through merge + store (Store::apply_pulled) versus a raw batched
// SQLite upsert of the same rows into a table of the same shape, in the same run, on files.
// Usage: lwc_bench_merge OUT.json [changes]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "lwc/id.h"
#include "lwc/store.h"

using namespace lwc;
using Seconds = std::chrono::duration<double>;

namespace {
constexpr size_t kBatch = 100'000;
constexpr int kFieldsPerRow = 5;

std::vector<Change> make_changes(size_t n) {
  static const char* kFields[kFieldsPerRow] = {"value", "as_of", "entered", "source", "state"};
  std::mt19937_64 rng(42);
  std::vector<Change> out;
  out.reserve(n);
  std::string row, scope;
  for (size_t i = 0; i < n; ++i) {
    if (i % kFieldsPerRow == 0) {
      row = new_id();
      scope = "520" + std::to_string(1 + rng() % 9);
    }
    out.push_back(Change{"measurement", row, scope,
                         kFields[i % kFieldsPerRow],
                         FieldVersion{std::to_string(rng() % 1'000'000),
                                      Hlc::from_parts(1'795'000'000'000 + static_cast<int64_t>(i / 16), i % 16),
                                      "device-" + std::to_string(rng() % 4), Hlc{}}});
  }
  return out;
}

double run_store(const std::string& path, const std::vector<Change>& changes) {
  SystemClock clock;
  auto store = Store::open({path, "bench"}, clock);
  if (!store.ok()) throw std::runtime_error(store.status().to_string());
  std::vector<std::vector<Change>> batches;
  for (size_t i = 0; i < changes.size(); i += kBatch) {
    batches.emplace_back(changes.begin() + i, changes.begin() + std::min(changes.size(), i + kBatch));
  }
  auto t0 = std::chrono::steady_clock::now();
  for (size_t b = 0; b < batches.size(); ++b) {
    Status s = (*store)->apply_pulled(batches[b], static_cast<int64_t>(b));
    if (!s.ok()) throw std::runtime_error(s.to_string());
  }
  return Seconds(std::chrono::steady_clock::now() - t0).count();
}

double run_raw(const std::string& path, const std::vector<Change>& changes) {
  auto db = sql::Db::open(path);
  if (!db.ok()) throw std::runtime_error(db.status().to_string());
  Status s = db->exec(
      "CREATE TABLE fields(tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, scope TEXT "
      "NOT NULL, value TEXT NOT NULL, hlc INTEGER NOT NULL, device TEXT NOT NULL, base INTEGER NOT "
      "NULL, seq INTEGER NOT NULL, PRIMARY KEY(tbl,row_id,field)) WITHOUT ROWID;"
      "CREATE INDEX fields_by_seq ON fields(seq);");
  if (!s.ok()) throw std::runtime_error(s.to_string());
  auto st = db->prepare(
      "INSERT INTO fields VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(tbl,row_id,field) DO "
      "UPDATE SET value=excluded.value, hlc=excluded.hlc, device=excluded.device, "
      "base=excluded.base, seq=excluded.seq");
  if (!st.ok()) throw std::runtime_error(st.status().to_string());
  auto t0 = std::chrono::steady_clock::now();
  int64_t seq = 0;
  for (size_t i = 0; i < changes.size(); i += kBatch) {
    sql::Txn txn(*db);
    for (size_t j = i; j < std::min(changes.size(), i + kBatch); ++j) {
      const Change& c = changes[j];
      st->bind(1, c.table).bind(2, c.row_id).bind(3, c.field).bind(4, c.scope);
      st->bind(5, c.version.value).bind(6, c.version.hlc.packed).bind(7, c.version.device);
      st->bind(8, c.version.base.packed).bind(9, ++seq);
      if (!(s = st->run()).ok()) throw std::runtime_error(s.to_string());
    }
    if (!(s = txn.commit()).ok()) throw std::runtime_error(s.to_string());
  }
  return Seconds(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT.json [changes]\n", argv[0]);
    return 2;
  }
  const size_t n = argc > 2 ? std::stoul(argv[2]) : 1'000'000;
  auto dir = std::filesystem::temp_directory_path() / ("lwc-bench-" + new_id());
  std::filesystem::create_directories(dir);
  auto changes = make_changes(n);
  double raw = run_raw((dir / "raw.db").string(), changes);
  double merged = run_store((dir / "store.db").string(), changes);
  std::filesystem::remove_all(dir);

  const double raw_rate = n / raw, merge_rate = n / merged, ratio = merge_rate / raw_rate;
  const bool ok = ratio >= 0.5 && merge_rate >= 200'000;
  std::ofstream(argv[1]) << "{\"benchmark\":\"merge_store_apply\",\"changes\":" << n
                         << ",\"batch\":" << kBatch << ",\"raw_upsert_s\":" << raw
                         << ",\"raw_changes_per_s\":" << raw_rate << ",\"merge_store_s\":" << merged
                         << ",\"merge_changes_per_s\":" << merge_rate << ",\"ratio\":" << ratio
                         << ",\"goal\":{\"ratio\":0.5,\"changes_per_s\":200000},\"goal_met\":"
                         << (ok ? "true" : "false") << "}\n";
  std::printf("merge+store: %zu changes in %.2f s = %.0f changes/s\n", n, merged, merge_rate);
  std::printf("raw upsert : %zu changes in %.2f s = %.0f changes/s\n", n, raw, raw_rate);
  std::printf("ratio %.2f (goal >= 0.5), rate goal >= 200000/s: %s\n", ratio, ok ? "met" : "NOT met");
  return 0;
}
