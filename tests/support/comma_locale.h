// comma_locale.h — runs part of a test the way a host program that called setlocale(LC_ALL, "")
// under a decimal-comma locale does: strtod reads "0.5" as 0 and printf("%g") writes "0,5".
// build.sh generates de_DE.UTF-8; without any of the locales below, a test skips (GTEST_SKIP).
#ifndef ELMO_TESTS_COMMA_LOCALE_H
#define ELMO_TESTS_COMMA_LOCALE_H

#include <clocale>
#include <string>

namespace elmo_test {

// While alive, the process locale (LC_ALL) is a decimal-comma one; the destructor puts back "C".
class CommaLocale {
 public:
  CommaLocale() {
    for (const char* n : {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8"}) {
      if (std::setlocale(LC_ALL, n) != nullptr && std::localeconv()->decimal_point == std::string(",")) {
        name_ = n;
        return;
      }
    }
    std::setlocale(LC_ALL, "C");
  }
  ~CommaLocale() { std::setlocale(LC_ALL, "C"); }
  CommaLocale(const CommaLocale&) = delete;
  CommaLocale& operator=(const CommaLocale&) = delete;

  // False when no decimal-comma locale is installed (then the process stays in "C").
  bool ok() const { return !name_.empty(); }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

}  // namespace elmo_test

// Declares `loc` and skips the test when no decimal-comma locale is installed.
#define ELMO_IN_COMMA_LOCALE(loc)              \
  elmo_test::CommaLocale loc;                  \
  if (!loc.ok()) GTEST_SKIP() << "no decimal-comma locale installed (build.sh generates de_DE.UTF-8)"

#endif  // ELMO_TESTS_COMMA_LOCALE_H
