// elmo_base_db.cc — the key dictionary of elmotune --elmo_base_db (see the header).

#include "tools/elmo_base_db.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <vector>

#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "util/random.h"
#include "utilities/merge_operators.h"

namespace ROCKSDB_NAMESPACE {

Status ElmoSampleKeys(const std::string& db, size_t max_keys, const std::string& out_path,
                      size_t* n) {
  *n = 0;
  if (!Env::Default()->FileExists(db + "/CURRENT").ok()) {
    return Status::InvalidArgument("--elmo_base_db=" + db, "not a RocksDB DB (no CURRENT file)");
  }
  Options options;
  options.merge_operator = MergeOperators::CreatePutOperator();
  DB* raw = nullptr;
  Status s = DB::OpenForReadOnly(options, db, &raw);
  if (!s.ok()) return Status::InvalidArgument("--elmo_base_db=" + db, s.ToString());
  std::unique_ptr<DB> guard(raw);
  std::vector<std::string> sample;
  Random64 rnd(0x656c6d6f2d6b6579ull);  // "elmo-key"
  uint64_t seen = 0;
  std::unique_ptr<Iterator> it(raw->NewIterator(ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next(), seen++) {
    if (sample.size() < max_keys) {
      sample.push_back(it->key().ToString());
    } else {
      uint64_t j = rnd.Uniform(seen + 1);
      if (j < max_keys) sample[j] = it->key().ToString();
    }
  }
  if (!it->status().ok()) {
    return Status::InvalidArgument("--elmo_base_db=" + db, it->status().ToString());
  }
  if (sample.empty()) return Status::InvalidArgument("--elmo_base_db=" + db, "the DB has no keys");
  std::sort(sample.begin(), sample.end());
  std::ofstream out(out_path, std::ios::trunc);
  for (const std::string& k : sample) out << Slice(k).ToString(true) << '\n';
  out.close();
  if (!out) return Status::IOError("cannot write " + out_path);
  *n = sample.size();
  return Status::OK();
}

}  // namespace ROCKSDB_NAMESPACE
