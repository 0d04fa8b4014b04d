// dropin_cpp.cc — a C++ program written against Debian's RocksDB headers and linked with Debian's
// librocksdb.so.7.8. It subclasses RocksDB classes (EventListener, AssociativeMergeOperator,
// WriteBatch::Handler), which needs the library's RTTI (typeinfo) symbols, then writes, merges,
// reads, iterates, flushes, reopens and reads again. It says which library it ran on by looking up
// elmo_version with dlsym.
//
// usage: dropin_cpp DBDIR expect-elmo|expect-debian
#include <dlfcn.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "rocksdb/db.h"
#include "rocksdb/listener.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"

namespace {

constexpr int kKeys = 3000;

class FlushCounter : public rocksdb::EventListener {
 public:
  void OnFlushCompleted(rocksdb::DB*, const rocksdb::FlushJobInfo&) override { flushes++; }
  std::atomic<int> flushes{0};
};

class AddOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
             std::string* new_value, rocksdb::Logger*) const override {
    long a = existing ? std::stol(existing->ToString()) : 0;
    *new_value = std::to_string(a + std::stol(value.ToString()));
    return true;
  }
  const char* Name() const override { return "AddOperator"; }
};

class PutCounter : public rocksdb::WriteBatch::Handler {
 public:
  void Put(const rocksdb::Slice&, const rocksdb::Slice&) override { puts++; }
  int puts = 0;
};

std::string Key(int i) {
  char b[32];
  std::snprintf(b, sizeof b, "k%07d", i);
  return b;
}

bool Check(const rocksdb::Status& s, const char* what) {
  if (!s.ok()) std::fprintf(stderr, "dropin_cpp: %s: %s\n", what, s.ToString().c_str());
  return s.ok();
}

bool Verify(rocksdb::DB* db) {
  for (int i = 0; i < kKeys; i++) {
    std::string v;
    if (!Check(db->Get(rocksdb::ReadOptions(), Key(i), &v), "get")) return false;
    if (v != "v" + std::to_string(i)) {
      std::fprintf(stderr, "dropin_cpp: wrong value for %s: %s\n", Key(i).c_str(), v.c_str());
      return false;
    }
  }
  std::string counter;
  if (!Check(db->Get(rocksdb::ReadOptions(), "counter", &counter), "get counter")) return false;
  if (counter != "55") {
    std::fprintf(stderr, "dropin_cpp: merge counter is %s, want 55\n", counter.c_str());
    return false;
  }
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  int n = 0;
  for (it->Seek("k"); it->Valid() && it->key().starts_with("k"); it->Next()) n++;
  if (!Check(it->status(), "iterator")) return false;
  if (n != kKeys) {
    std::fprintf(stderr, "dropin_cpp: iterated %d keys, want %d\n", n, kKeys);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: dropin_cpp DBDIR expect-elmo|expect-debian\n");
    return 2;
  }
  const std::string dir = argv[1];
  const bool want_elmo = std::strcmp(argv[2], "expect-elmo") == 0;
  auto listener = std::make_shared<FlushCounter>();
  rocksdb::Options options;
  options.create_if_missing = true;
  options.merge_operator = std::make_shared<AddOperator>();
  options.listeners.push_back(listener);
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 8 * 1024;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DestroyDB(dir, options);

  rocksdb::DB* db = nullptr;
  if (!Check(rocksdb::DB::Open(options, dir, &db), "open")) return 1;
  rocksdb::WriteBatch batch;
  for (int i = 0; i < kKeys; i++) batch.Put(Key(i), "v" + std::to_string(i));
  PutCounter counter;
  if (!Check(batch.Iterate(&counter), "batch iterate") || counter.puts != kKeys) return 1;
  if (!Check(db->Write(rocksdb::WriteOptions(), &batch), "write")) return 1;
  for (int i = 1; i <= 10; i++) {
    if (!Check(db->Merge(rocksdb::WriteOptions(), "counter", std::to_string(i)), "merge")) return 1;
  }
  if (!Check(db->Flush(rocksdb::FlushOptions()), "flush") || !Verify(db)) return 1;
  if (!Check(db->Close(), "close")) return 1;
  delete db;

  db = nullptr;  // reopen: everything must survive
  if (!Check(rocksdb::DB::Open(options, dir, &db), "reopen") || !Verify(db)) return 1;
  delete db;

  auto version = reinterpret_cast<const char* (*)()>(dlsym(RTLD_DEFAULT, "elmo_version"));
  std::printf("dropin_cpp: %d keys + merges written, read, iterated, reopened; %d flush(es) seen by "
              "the listener; elmo_version %s%s\n",
              kKeys, listener->flushes.load(), version ? "found: " : "absent", version ? version() : "");
  if (listener->flushes.load() < 1) {
    std::fprintf(stderr, "dropin_cpp: the listener saw no flush\n");
    return 1;
  }
  if (want_elmo != (version != nullptr)) {
    std::fprintf(stderr, "dropin_cpp: expected %s library\n", want_elmo ? "ELMo's" : "Debian's");
    return 1;
  }
  return 0;
}
