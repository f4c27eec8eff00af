// Migration files are discovered in version order and misnamed ones are refused.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "dialtone/pg/migration_runner.h"

namespace fs = std::filesystem;
using dialtone::pg::LoadMigrations;
using dialtone::pg::ParseMigrationFileName;

namespace {
fs::path ScratchDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("dialtone-mig-" + name + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}
void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
}  // namespace

TEST_CASE("Migration file names carry a version and a name") {
  auto m = ParseMigrationFileName("0002_create_calls.sql");
  REQUIRE(m.ok());
  CHECK(m->version == 2);
  CHECK(m->name == "create_calls");
  CHECK(absl::IsNotFound(ParseMigrationFileName("README.md").status()));
  CHECK(absl::IsInvalidArgument(ParseMigrationFileName("create.sql").status()));
  CHECK(absl::IsInvalidArgument(ParseMigrationFileName("0000_zero.sql").status()));
  CHECK(absl::IsInvalidArgument(ParseMigrationFileName("00x1_bad.sql").status()));
}

TEST_CASE("Migrations load sorted by version, not by file name") {
  fs::path dir = ScratchDir("sorted");
  Write(dir / "10_ten.sql", "select 10;");
  Write(dir / "2_two.sql", "select 2;");
  Write(dir / "0001_one.sql", "select 1;");
  Write(dir / "README.md", "notes");
  auto ms = LoadMigrations(dir);
  REQUIRE(ms.ok());
  REQUIRE(ms->size() == 3);
  CHECK((*ms)[0].version == 1);
  CHECK((*ms)[1].version == 2);
  CHECK((*ms)[2].version == 10);
  CHECK((*ms)[1].sql == "select 2;");
  CHECK((*ms)[0].checksum != (*ms)[1].checksum);
  fs::remove_all(dir);
}

TEST_CASE("Two migrations with one version are refused") {
  fs::path dir = ScratchDir("dup");
  Write(dir / "0001_a.sql", "select 1;");
  Write(dir / "1_b.sql", "select 1;");
  auto ms = LoadMigrations(dir);
  REQUIRE_FALSE(ms.ok());
  CHECK(std::string(ms.status().message()).find("share version 1") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("A missing migrations directory is an error") {
  CHECK(absl::IsNotFound(LoadMigrations("/nonexistent/dialtone/sql").status()));
}
