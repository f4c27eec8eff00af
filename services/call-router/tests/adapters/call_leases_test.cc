// CallLeases against the suite's real Redis: who owns a call, what a dead owner leaves, and that
// exactly one replica claims each lapsed call.
#include "calls/call_leases.h"

#include <catch2/catch.hpp>

#include <set>

#include "dialtone/testing/test_env.h"

namespace dialtone::call_router {
namespace {

std::unique_ptr<redis::RedisPool> Redis() {
  return *redis::RedisPool::Create({.url = testing::RequireEnv("DIALTONE_TEST_REDIS_URL")});
}

CallLeases::Options Router(const std::string& id, const std::string& prefix,
                           absl::Duration ttl = absl::Seconds(3)) {
  return {.router_id = id, .address = id + ".example:50051", .ttl = ttl, .key_prefix = prefix};
}

}  // namespace

TEST_CASE("CallLeases: any replica finds a live call's owner, none once it is released") {
  auto redis = Redis();
  const std::string prefix = "test:{calls-" + testing::RandomSuffix() + "}";
  CallLeases one(*redis, Router("router-1", prefix));
  CallLeases two(*redis, Router("router-2", prefix));
  one.Hold("CA01");
  REQUIRE(one.Flush(absl::Seconds(5)));
  auto owner = two.Owner("CA01");
  REQUIRE(owner.ok());
  CHECK(owner->router_id == "router-1");
  CHECK(owner->address == "router-1.example:50051");
  CHECK(absl::IsNotFound(two.Owner("CA02").status()));

  two.Release("CA01");  // not its lease: nothing happens
  REQUIRE(two.Flush(absl::Seconds(5)));
  CHECK(two.Owner("CA01").ok());
  one.Release("CA01");
  REQUIRE(one.Flush(absl::Seconds(5)));
  CHECK(absl::IsNotFound(two.Owner("CA01").status()));
}

TEST_CASE("CallLeases: a live owner's leases are refreshed and never claimed") {
  auto redis = Redis();
  const std::string prefix = "test:{calls-" + testing::RandomSuffix() + "}";
  CallLeases one(*redis, Router("router-1", prefix, absl::Seconds(1)));
  CallLeases two(*redis, Router("router-2", prefix, absl::Seconds(1)));
  one.Hold("CA01");
  REQUIRE(one.Flush(absl::Seconds(5)));
  absl::SleepFor(absl::Milliseconds(2500));  // 2.5 ttl: alive only through refreshes
  CHECK(two.Owner("CA01").ok());
  auto claimed = two.ClaimLapsed(10, absl::Seconds(60));
  REQUIRE(claimed.ok());
  CHECK(claimed->empty());
}

TEST_CASE("CallLeases: a dead owner's calls are claimed by exactly one replica, once") {
  auto redis = Redis();
  const std::string prefix = "test:{calls-" + testing::RandomSuffix() + "}";
  const absl::Time before = absl::Now();
  {
    CallLeases dead(*redis, Router("router-dead", prefix, absl::Seconds(1)));
    for (int i = 0; i < 30; ++i) dead.Hold("CA" + std::to_string(100 + i));
    REQUIRE(dead.Flush(absl::Seconds(5)));
  }  // gone without releasing: as after a SIGKILL
  CallLeases a(*redis, Router("router-a", prefix, absl::Seconds(1)));
  CallLeases b(*redis, Router("router-b", prefix, absl::Seconds(1)));
  CHECK(a.Owner("CA100").ok());  // not lapsed yet
  absl::SleepFor(absl::Milliseconds(1300));
  CHECK(absl::IsNotFound(a.Owner("CA100").status()));

  auto first = a.ClaimLapsed(20, absl::Seconds(60));
  auto second = b.ClaimLapsed(20, absl::Seconds(60));
  auto third = a.ClaimLapsed(20, absl::Seconds(60));
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  REQUIRE(third.ok());
  CHECK(first->size() == 20);   // at most what was asked
  CHECK(second->size() == 10);  // the rest
  CHECK(third->empty());        // claimed calls stay claimed
  std::set<std::string> sids;
  for (const auto* batch : {&*first, &*second}) {
    for (const LapsedCall& c : *batch) {
      sids.insert(c.call_sid);
      CHECK(c.owner.router_id == "router-dead");  // whom to ask whether it still runs it
      CHECK(c.owner.address == "router-dead.example:50051");
      // Last known up: around when the dead router wrote its leases.
      CHECK(c.last_alive >= before - absl::Seconds(1));
      CHECK(c.last_alive <= absl::Now());
    }
  }
  CHECK(sids.size() == 30);
  CHECK(absl::IsNotFound(a.Owner("CA100").status()));  // being recovered: no owner to reach
  REQUIRE(a.Forget("CA100").ok());
}

TEST_CASE("CallLeases: a claim that is not finished lapses and another replica takes it") {
  auto redis = Redis();
  const std::string prefix = "test:{calls-" + testing::RandomSuffix() + "}";
  {
    CallLeases dead(*redis, Router("router-dead", prefix, absl::Seconds(1)));
    dead.Hold("CA01");
    REQUIRE(dead.Flush(absl::Seconds(5)));
  }
  CallLeases a(*redis, Router("router-a", prefix, absl::Seconds(1)));
  CallLeases b(*redis, Router("router-b", prefix, absl::Seconds(1)));
  absl::SleepFor(absl::Milliseconds(1200));
  auto claimed = a.ClaimLapsed(10, absl::Milliseconds(500));  // then router-a dies too
  REQUIRE(claimed.ok());
  REQUIRE(claimed->size() == 1);
  CHECK(b.ClaimLapsed(10, absl::Seconds(60))->empty());
  absl::SleepFor(absl::Milliseconds(700));
  auto retaken = b.ClaimLapsed(10, absl::Seconds(60));
  REQUIRE(retaken.ok());
  REQUIRE(retaken->size() == 1);
  CHECK((*retaken)[0].call_sid == "CA01");
}

}  // namespace dialtone::call_router
