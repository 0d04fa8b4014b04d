// error_test.cc — result codes, messages and the error struct of the C core.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

#include "elmo/elmo.h"

TEST(Version, NamesElmoAndRocksDBBase) {
  std::string v = elmo_version();
  EXPECT_NE(v.find("RocksDB 7.8.3"), std::string::npos) << v;
  EXPECT_TRUE(isdigit(static_cast<unsigned char>(v[0]))) << v;
}

TEST(Strerror, EveryCodeHasItsOwnMessage) {
  std::set<std::string> seen;
  for (int rc = ELMO_OK; rc <= ELMO_RC_LAST; rc++) {
    const char* m = elmo_strerror(static_cast<elmo_rc>(rc));
    ASSERT_NE(m, nullptr) << "code " << rc;
    EXPECT_STRNE(m, "unknown error code") << "code " << rc;
    EXPECT_TRUE(seen.insert(m).second) << "duplicate message for code " << rc << ": " << m;
  }
}

TEST(Strerror, UnknownCodesGetGenericText) {
  EXPECT_STREQ(elmo_strerror(static_cast<elmo_rc>(9999)), "unknown error code");
  EXPECT_STREQ(elmo_strerror(static_cast<elmo_rc>(-1)), "unknown error code");
}

TEST(ErrorSet, FormatsAndReturnsCode) {
  elmo_error err;
  EXPECT_EQ(elmo_error_set(&err, ELMO_ERANGE, "%s=%d outside [%d, %d]", "block_size", 7, 256, 1 << 20),
            ELMO_ERANGE);
  EXPECT_EQ(err.code, ELMO_ERANGE);
  EXPECT_STREQ(err.message, "block_size=7 outside [256, 1048576]");
  elmo_error_clear(&err);
  EXPECT_EQ(err.code, ELMO_OK);
  EXPECT_STREQ(err.message, "");
}

TEST(ErrorSet, NullErrorIsAllowedAndLongMessagesAreTruncated) {
  EXPECT_EQ(elmo_error_set(nullptr, ELMO_EINVAL, "x"), ELMO_EINVAL);
  elmo_error_clear(nullptr);
  elmo_error err;
  std::string big(4 * ELMO_ERROR_MSG_MAX, 'a');
  elmo_error_set(&err, ELMO_EPARSE, "%s", big.c_str());
  EXPECT_EQ(std::strlen(err.message), static_cast<size_t>(ELMO_ERROR_MSG_MAX - 1));
  elmo_free(nullptr);
}
