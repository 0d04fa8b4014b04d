// host_test.cc — the host probe (elmo/host.h): CPUs, the memory limit and resident sets of the
// machine the tests run on, checked for consistency rather than exact values.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "elmo/host.h"

TEST(Host, CountsCpusWithinTheOnlineOnes) {
  const int cpus = elmo_host_cpus(), online = elmo_host_online_cpus();
  EXPECT_GE(cpus, 1);
  EXPECT_GE(online, 1);
  EXPECT_LE(cpus, online > 0 ? online : cpus);
}

TEST(Host, MemoryLimitIsAtMostPhysicalMemory) {
  const uint64_t phys =
      static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  const uint64_t mem = elmo_host_memory_bytes();
  EXPECT_GT(mem, 0u);
  EXPECT_LE(mem, phys);
}

TEST(Host, ResidentSetOfThisProcessAndOthers) {
  std::vector<char> touched(8 << 20, 1);  // 8 MiB resident at least
  const uint64_t self = elmo_host_rss_bytes(0);
  EXPECT_GE(self, touched.size());
  const uint64_t by_pid = elmo_host_rss_bytes(static_cast<long>(getpid()));
  EXPECT_GT(by_pid, self / 2);
  EXPECT_LT(by_pid, self * 2);
  EXPECT_EQ(elmo_host_rss_bytes(999999999L), 0u) << "no such process";
}

TEST(Host, OwnCgroupPathIsRelativeToItsHierarchy) {
  char path[4096] = "unchanged";
  if (elmo_host_cgroup(nullptr, path, sizeof path)) {
    EXPECT_TRUE(path[0] == '\0' || path[0] == '/') << path;
  } else {
    EXPECT_STREQ(path, "unchanged");
  }
  EXPECT_EQ(elmo_host_cgroup("no-such-controller", path, sizeof path), 0);
}
