// storage_probe_test.cc — the storage probe (elmo/storage.h) on this machine's disk and on tmpfs,
// its cache, its description and its verdict. The throttled device is in the engine tests
// (tests/engine/storage_probe_test.cc: it needs root for a loop device and blkio).
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "elmo/storage.h"

namespace fs = std::filesystem;

namespace {

std::string Dir(const char* name) {
  std::string d = std::string(ELMO_TEST_WORK) + "/storage-" + name + "-" + std::to_string(getpid());
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(StorageProbe, MeasuresTheDiskUnderADirectoryAndLeavesNothing) {
  std::string d = Dir("disk");
  elmo_storage_probe p;
  elmo_error err;
  ASSERT_EQ(elmo_storage_probe_run(d.c_str(), 1.5, &p, &err), ELMO_OK) << err.message;
  if (!p.measured) GTEST_SKIP() << "the test directory has no direct I/O: " << p.note;
  EXPECT_GT(p.read_iops, 0);
  EXPECT_GT(p.read_latency_us, 0);
  EXPECT_NEAR(p.read_iops * p.read_latency_us, 1e6, 1e6 * 0.01) << "queue depth 1: iops x latency = 1 s";
  EXPECT_GT(p.write_mb_s, 0);
  EXPECT_GT(p.fsync_ms, 0);
  EXPECT_LT(p.seconds, 5) << "bounded by its budget (1.5 s), give or take one write and one sync";
  EXPECT_NE(std::string(p.device).find(':'), std::string::npos) << p.device;
  EXPECT_TRUE(fs::is_empty(d)) << "the scratch files are removed";
  fs::remove_all(d);
}

TEST(StorageProbe, TmpfsIsNotMeasuredAndThatIsNoError) {
  if (!fs::is_directory("/dev/shm")) GTEST_SKIP() << "no /dev/shm";
  std::string d = "/dev/shm/elmo-storage-probe-" + std::to_string(getpid());
  fs::create_directories(d);
  elmo_storage_probe p;
  elmo_error err;
  ASSERT_EQ(elmo_storage_probe_run(d.c_str(), 1, &p, &err), ELMO_OK) << err.message;
  EXPECT_EQ(p.measured, 0);
  EXPECT_NE(std::string(p.note).find("is tmpfs (memory, no device)"), std::string::npos) << p.note;
  EXPECT_EQ(elmo_storage_is_slow(&p), 0);
  char text[320];
  elmo_storage_probe_describe(&p, text, sizeof text);
  EXPECT_EQ(std::string(text), p.note);
  EXPECT_TRUE(fs::is_empty(d));
  fs::remove_all(d);
}

TEST(StorageProbe, TheCacheIsPerDeviceAndABadOneIsIgnored) {
  std::string d = Dir("cache"), cache = Dir("cache-out");
  elmo_storage_probe p, q;
  int cached = -1;
  elmo_error err;
  ASSERT_EQ(elmo_storage_probe_cached(d.c_str(), cache.c_str(), 1, &p, &cached, &err), ELMO_OK) << err.message;
  if (!p.measured) GTEST_SKIP() << p.note;
  EXPECT_EQ(cached, 0);
  std::string dev = p.device;
  dev.replace(dev.find(':'), 1, "-");
  std::string file = cache + "/storage-probe-" + dev + ".txt";
  ASSERT_TRUE(fs::exists(file));
  ASSERT_EQ(elmo_storage_probe_cached(d.c_str(), cache.c_str(), 1, &q, &cached, &err), ELMO_OK);
  EXPECT_EQ(cached, 1);
  EXPECT_NEAR(q.read_iops, p.read_iops, 0.1);
  EXPECT_NEAR(q.write_mb_s, p.write_mb_s, 0.1);
  EXPECT_NEAR(q.fsync_ms, p.fsync_ms, 0.001);
  EXPECT_STREQ(q.device, p.device);
  // A damaged cache (a field missing) is probed again and rewritten.
  { std::ofstream(file) << "elmo_storage_probe 1\nread_iops 5\n"; }
  ASSERT_EQ(elmo_storage_probe_cached(d.c_str(), cache.c_str(), 1, &q, &cached, &err), ELMO_OK);
  EXPECT_EQ(cached, 0);
  EXPECT_GT(q.write_mb_s, 0);
  fs::remove_all(d);
  fs::remove_all(cache);
}

TEST(StorageProbe, BadArgumentsAreErrorsNamingThem) {
  elmo_storage_probe p;
  elmo_error err;
  EXPECT_EQ(elmo_storage_probe_run("/nonexistent/elmo", 1, &p, &err), ELMO_ENOTFOUND);
  EXPECT_NE(std::string(err.message).find("/nonexistent/elmo is not a directory"), std::string::npos) << err.message;
  EXPECT_EQ(elmo_storage_probe_run(nullptr, 1, &p, &err), ELMO_EINVAL);
  EXPECT_EQ(elmo_storage_probe_cached("/tmp", nullptr, 1, &p, nullptr, &err), ELMO_EINVAL);
}

TEST(StorageProbe, SlowMeansSlowForRocksDb) {
  elmo_storage_probe ssd = {1, 40000, 25, 900, 0.8, 1, "8:0", ""};
  EXPECT_EQ(elmo_storage_is_slow(&ssd), 0);
  elmo_storage_probe p = ssd;
  p.read_iops = 150, p.read_latency_us = 6600;  // a disk, or a throttled volume
  EXPECT_EQ(elmo_storage_is_slow(&p), 1);
  p = ssd;
  p.write_mb_s = 40;
  EXPECT_EQ(elmo_storage_is_slow(&p), 1);
  p = ssd;
  p.fsync_ms = 35;
  EXPECT_EQ(elmo_storage_is_slow(&p), 1);
  char text[320];
  elmo_storage_probe_describe(&ssd, text, sizeof text);
  EXPECT_EQ(std::string(text),
            "device 8:0: 4 KiB random reads 40000/s (25 us each), sequential writes 900 MB/s, fsync 0.8 ms");
  p = ssd;
  p.read_iops = 150, p.read_latency_us = 6600;
  elmo_storage_probe_describe(&p, text, sizeof text);
  EXPECT_NE(std::string(text).find("(slow)"), std::string::npos) << text;
}

}  // namespace
