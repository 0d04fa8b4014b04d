// library_test.cc — the patched librocksdb works as RocksDB and carries elmo inside.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

#include "elmo/elmo.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/version.h"

namespace {

std::string RunCommand(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) out += buf;
  *status = pclose(p);
  return out;
}

}  // namespace

TEST(Library, IsRocksDB783WithElmoInside) {
  EXPECT_EQ(ROCKSDB_MAJOR, 7);
  EXPECT_EQ(ROCKSDB_MINOR, 8);
  EXPECT_EQ(ROCKSDB_PATCH, 3);
  EXPECT_EQ(rocksdb::GetRocksVersionAsString(), "7.8.3");
  // elmo_version is resolved from the same shared object that holds rocksdb::DB::Open.
  Dl_info elmo_info{}, db_info{};
  ASSERT_NE(dladdr(reinterpret_cast<void*>(&elmo_version), &elmo_info), 0);
  ASSERT_NE(dladdr(reinterpret_cast<void*>(&rocksdb::DestroyDB), &db_info), 0);
  EXPECT_STREQ(elmo_info.dli_fname, db_info.dli_fname);
  EXPECT_NE(std::string(elmo_info.dli_fname).find("librocksdb.so.7.8"), std::string::npos)
      << elmo_info.dli_fname;
}

TEST(Library, OpenWriteReadReopen) {
  const std::string dir = std::string(ELMO_TEST_WORK) + "/engine-library-db";
  rocksdb::Options options;
  options.create_if_missing = true;
  ASSERT_TRUE(rocksdb::DestroyDB(dir, options).ok());
  for (int round = 0; round < 2; round++) {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    if (round == 0) {
      for (int i = 0; i < 1000; i++) {
        ASSERT_TRUE(db->Put({}, "k" + std::to_string(i), std::string(100, 'a' + i % 26)).ok());
      }
      ASSERT_TRUE(db->Flush({}).ok());
    }
    for (int i = 0; i < 1000; i += 37) {
      std::string v;
      ASSERT_TRUE(db->Get({}, "k" + std::to_string(i), &v).ok()) << "round " << round;
      EXPECT_EQ(v, std::string(100, 'a' + i % 26));
    }
  }
}

TEST(Cli, PrintsTheLibraryVersion) {
  int status = -1;
  std::string out = RunCommand(std::string(ELMO_OUT) + "/bin/elmo version", &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(out, std::string("elmo ") + elmo_version() + "\n");
  out = RunCommand(std::string(ELMO_OUT) + "/bin/elmo no-such-command 2>&1", &status);
  EXPECT_NE(status, 0);
  EXPECT_NE(out.find("unknown command 'no-such-command'"), std::string::npos) << out;
}
