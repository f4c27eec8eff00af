// SIDs look like Twilio's and are rejected when malformed.
#include <catch2/catch.hpp>

#include <set>

#include "dialtone/core/sid.h"

using dialtone::core::IsSid;
using dialtone::core::NewSid;
using dialtone::core::ValidateSid;

TEST_CASE("NewSid makes a prefix and 32 lowercase hex digits") {
  std::string sid = NewSid(dialtone::core::kCallPrefix);
  REQUIRE(sid.size() == 34);
  CHECK(sid.substr(0, 2) == "CA");
  CHECK(sid.find_first_not_of("0123456789abcdef", 2) == std::string::npos);
  CHECK(IsSid(sid, "CA"));
}

TEST_CASE("NewSid does not repeat") {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) seen.insert(NewSid("AC"));
  CHECK(seen.size() == 10000);
}

TEST_CASE("ValidateSid rejects wrong length, prefix, case and characters") {
  CHECK(IsSid("AC0123456789abcdef0123456789abcdef"));
  CHECK(IsSid("AC0123456789abcdef0123456789abcdef", "AC"));
  CHECK_FALSE(IsSid("AC0123456789abcdef0123456789abcdef", "CA"));
  CHECK_FALSE(IsSid("AC0123456789abcdef0123456789abcde"));    // 33
  CHECK_FALSE(IsSid("AC0123456789abcdef0123456789abcdef0"));  // 35
  CHECK_FALSE(IsSid("AC0123456789ABCDEF0123456789abcdef"));   // uppercase hex
  CHECK_FALSE(IsSid("ac0123456789abcdef0123456789abcdef"));   // lowercase prefix
  CHECK_FALSE(IsSid("AC0123456789abcdef0123456789abcdeg"));   // not hex
  CHECK_FALSE(IsSid(""));
  CHECK(ValidateSid("AC01", "AC").message().find("34") != std::string::npos);
}
