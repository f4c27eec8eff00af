// UsageSpool: records survive reopening, torn tails are cut, one process per file.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "dialtone/testing/test_env.h"
#include "dialtone/usage_publisher/usage_spool.h"

using dialtone::usage_publisher::UsageSpool;
namespace pb = dialtone::usage::v1;
namespace fs = std::filesystem;

namespace {
std::string TempPath() {
  return (fs::temp_directory_path() / ("dt-spool-" + dialtone::testing::RandomSuffix())).string();
}
pb::UsageEvent E(const std::string& id) {
  pb::UsageEvent e;
  e.set_event_id(id);
  e.set_category("tts");
  e.set_usage("1.5");
  return e;
}
}  // namespace

TEST_CASE("Spooled events read back in order after reopening") {
  std::string path = TempPath();
  {
    auto spool = UsageSpool::Open(path);
    REQUIRE(spool.ok());
    REQUIRE((*spool)->Append({E("a"), E("b")}).ok());
    REQUIRE((*spool)->Append({E("c")}).ok());
    CHECK((*spool)->records() == 3);
  }
  auto spool = UsageSpool::Open(path);
  REQUIRE(spool.ok());
  CHECK((*spool)->records() == 3);
  int64_t next = 0;
  auto first = (*spool)->Read(0, 2, &next);
  REQUIRE(first->size() == 2);
  CHECK((*first)[1].event_id() == "b");
  auto rest = (*spool)->Read(next, 10, &next);
  REQUIRE(rest->size() == 1);
  CHECK((*rest)[0].event_id() == "c");
  CHECK(next == (*spool)->size());
  REQUIRE((*spool)->Clear().ok());
  CHECK((*spool)->empty());
  fs::remove(path);
}

TEST_CASE("A torn last record is cut off and appends follow the last good one") {
  std::string path = TempPath();
  {
    auto spool = UsageSpool::Open(path);
    REQUIRE((*spool)->Append({E("a"), E("b")}).ok());
  }
  // A crash in the middle of writing the third record.
  std::ofstream(path, std::ios::app | std::ios::binary)
      << std::string("\x20\x00\x00\x00\x0a\x01", 6);
  auto spool = UsageSpool::Open(path);
  REQUIRE(spool.ok());
  CHECK((*spool)->records() == 2);
  REQUIRE((*spool)->Append({E("c")}).ok());
  int64_t next = 0;
  auto all = (*spool)->Read(0, 10, &next);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 3);
  CHECK((*all)[2].event_id() == "c");
  fs::remove(path);
}

TEST_CASE("A spool held by another process cannot be opened") {
  std::string path = TempPath();
  auto held = UsageSpool::Open(path);
  REQUIRE(held.ok());
  pid_t pid = fork();
  if (pid == 0) _exit(UsageSpool::Open(path).ok() ? 1 : 0);  // flock is per open file
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WEXITSTATUS(status) == 0);
  fs::remove(path);
}
