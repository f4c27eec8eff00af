// Credentials open only the account they belong to, and only while it is active.
#include <catch2/catch.hpp>

#include "domain/account.h"

using namespace dialtone::rest_gateway;

TEST_CASE("Constant-time comparison agrees with ==") {
  CHECK(ConstantTimeEquals("abc", "abc"));
  CHECK_FALSE(ConstantTimeEquals("abc", "abd"));
  CHECK_FALSE(ConstantTimeEquals("abc", "abcd"));
  CHECK_FALSE(ConstantTimeEquals("abcd", "abc"));
  CHECK(ConstantTimeEquals("", ""));
}

TEST_CASE("Only the right token of an active account authenticates") {
  Account a;
  a.auth_token = "0123456789abcdef0123456789abcdef";
  CHECK(CredentialsMatch(a, "0123456789abcdef0123456789abcdef"));
  CHECK_FALSE(CredentialsMatch(a, "0123456789abcdef0123456789abcdee"));
  CHECK_FALSE(CredentialsMatch(a, ""));
  a.status = AccountStatus::kSuspended;
  CHECK_FALSE(CredentialsMatch(a, "0123456789abcdef0123456789abcdef"));
}

TEST_CASE("Account status names round-trip") {
  for (auto s : {AccountStatus::kActive, AccountStatus::kSuspended, AccountStatus::kClosed}) {
    CHECK(ParseAccountStatus(AccountStatusName(s)) == s);
  }
  CHECK_FALSE(ParseAccountStatus("deleted").has_value());
}
