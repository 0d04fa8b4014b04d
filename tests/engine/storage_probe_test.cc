// storage_probe_test.cc — the storage probe on a device slowed in the test: a loop device with an
// ext4 file system, throttled by a cgroup v1 blkio group this thread joins. The probe sees the
// throttle, and the built-in advisor's first move for the same workload differs from the one on
// this machine's own disk. Needs root, loop devices and the blkio controller; skips otherwise.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "elmo/advisor.h"
#include "elmo/answer.h"
#include "elmo/number.h"
#include "elmo/storage.h"
#include "builtin_advisor.h"
#include "run_command.h"

namespace fs = std::filesystem;

namespace {

const std::string kBlkio = "/sys/fs/cgroup/blkio";

bool WriteText(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
  f.close();
  return static_cast<bool>(f);
}

class SlowDevice : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root (a loop device, mount, blkio)";
    if (!fs::exists("/dev/loop-control") || !fs::exists(kBlkio + "/blkio.throttle.read_iops_device")) {
      GTEST_SKIP() << "no loop devices or no cgroup v1 blkio throttling here";
    }
    root_ = std::string(ELMO_TEST_WORK) + "/slow-device-" + std::to_string(getpid());
    fs::remove_all(root_);
    fs::create_directories(root_ + "/mnt");
    auto r = elmo_test::RunCommand("truncate -s 256M " + root_ + "/disk.img && losetup -f --show " + root_ +
                                   "/disk.img");
    if (r.status != 0) GTEST_SKIP() << "losetup: " << r.out;
    loop_ = r.out.substr(0, r.out.find('\n'));
    r = elmo_test::RunCommand("mkfs.ext4 -q -F " + loop_ + " && mount " + loop_ + " " + root_ + "/mnt");
    ASSERT_EQ(r.status, 0) << r.out;
    mounted_ = true;
    struct stat st;
    ASSERT_EQ(stat(loop_.c_str(), &st), 0);
    device_ = std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev));
    group_ = kBlkio + "/elmo-slow-device-" + std::to_string(getpid());
    fs::create_directories(group_);
    ASSERT_TRUE(WriteText(group_ + "/blkio.throttle.read_iops_device", device_ + " 200"));
    ASSERT_TRUE(WriteText(group_ + "/blkio.throttle.write_bps_device", device_ + " 8388608"));
    ASSERT_TRUE(WriteText(group_ + "/blkio.throttle.write_iops_device", device_ + " 50"));
  }

  void TearDown() override {
    LeaveGroup();
    if (!group_.empty()) rmdir(group_.c_str());
    if (mounted_) elmo_test::RunCommand("umount " + root_ + "/mnt");
    if (!loop_.empty()) elmo_test::RunCommand("losetup -d " + loop_);
    if (!root_.empty() && !HasFailure()) fs::remove_all(root_);
  }

  // This thread's block I/O goes through the throttled group while probing.
  void JoinGroup() { ASSERT_TRUE(WriteText(group_ + "/tasks", std::to_string(syscall(SYS_gettid)))); }
  void LeaveGroup() { WriteText(kBlkio + "/tasks", std::to_string(syscall(SYS_gettid))); }

  std::string root_, loop_, device_, group_;
  bool mounted_ = false;
};

std::string FirstMove(const elmo_storage_probe& p) {
  char storage[256];
  elmo_number_snprintf(storage, sizeof storage,
                       "\"storage\":{\"read_iops\":%.1f,\"read_latency_us\":%.1f,\"write_mb_s\":%.1f,\"fsync_ms\":%.3f},",
                       p.read_iops, p.read_latency_us, p.write_mb_s, p.fsync_ms);
  std::string facts =
      "Tune this.\n```json\n{\"elmo_facts\":1,\"phase\":\"tune\",\"cpus\":2,\"memory_bytes\":1073741824,"
      "\"direct_io\":false," + std::string(storage) +
      "\"workload\":{\"read\":0,\"write\":1,\"scan\":0,\"key_bytes\":16,\"value_bytes\":400,\"num_keys\":1000000,"
      "\"threads\":1},\"best\":{\"options\":{\"write_buffer_size\":\"67108864\",\"max_background_jobs\":\"2\"},"
      "\"stall_percent\":0}}\n```\n";
  return elmo_test::AskBuiltin(facts);
}

TEST_F(SlowDevice, TheProbeSeesItAndTheAdvisorsFirstMoveDiffers) {
  elmo_storage_probe normal, slow;
  elmo_error err;
  const std::string here = root_;  // the test's own directory, on this machine's disk
  ASSERT_EQ(elmo_storage_probe_run(here.c_str(), 4, &normal, &err), ELMO_OK) << err.message;
  if (!normal.measured) GTEST_SKIP() << normal.note;
  if (elmo_storage_is_slow(&normal)) GTEST_SKIP() << "this machine's own disk is slow already";
  JoinGroup();
  elmo_rc rc = elmo_storage_probe_run((root_ + "/mnt").c_str(), 4, &slow, &err);
  LeaveGroup();
  ASSERT_EQ(rc, ELMO_OK) << err.message;
  ASSERT_EQ(slow.measured, 1) << slow.note;
  EXPECT_EQ(std::string(slow.device), device_);
  EXPECT_LE(slow.read_iops, 260) << "throttled at 200 reads/s";
  EXPECT_GT(normal.read_iops, 4 * slow.read_iops);
  EXPECT_LE(slow.write_mb_s, 12) << "throttled at 8 MiB/s";
  EXPECT_EQ(elmo_storage_is_slow(&slow), 1);
  std::printf("normal: %.0f reads/s, %.0f MB/s, fsync %.2f ms; throttled: %.0f reads/s, %.1f MB/s, fsync %.2f ms\n",
              normal.read_iops, normal.write_mb_s, normal.fsync_ms, slow.read_iops, slow.write_mb_s, slow.fsync_ms);
  std::string on_normal = FirstMove(normal), on_slow = FirstMove(slow);
  EXPECT_NE(on_slow.find("bytes_per_sync=1048576"), std::string::npos) << on_slow;
  EXPECT_NE(on_slow.find("Chosen first because the trials' device is slow"), std::string::npos) << on_slow;
  EXPECT_EQ(on_normal.find("bytes_per_sync"), std::string::npos) << on_normal;
  EXPECT_NE(on_normal.find("write_buffer_size=16777216"), std::string::npos) << on_normal;
}

}  // namespace
