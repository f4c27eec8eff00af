// Applies a component's ordered SQL migrations once, under an advisory lock.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "dialtone/pg/pg_pool.h"

namespace dialtone::pg {

// One SQL file, "0001_create_calls.sql": version 1, name "create_calls".
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
  std::string checksum;  // FNV-1a 64 of the SQL in hex: notices a file edited after applying
};

// Reads `dir` (one component's migrations, e.g. deploy/sql/call-router). Files must be named
// NNNN_name.sql with distinct versions; anything else there is an error, not silently skipped.
absl::StatusOr<std::vector<Migration>> LoadMigrations(const std::filesystem::path& dir);

// Parses "0001_create_calls.sql"; NotFound for files that are not migrations (e.g. README.md).
absl::StatusOr<Migration> ParseMigrationFileName(const std::string& file_name);

// Runs pending migrations for `component` and records each in dialtone_schema_migrations.
// Every process of every service may call it at start: a session-level advisory lock makes
// concurrent runners wait for each other, so each migration is applied exactly once. A migration
// whose file changed after it was applied fails with FailedPrecondition. Runs on the caller's
// thread.
class MigrationRunner {
 public:
  MigrationRunner(PgPool& pool, std::string component, std::vector<Migration> migrations);

  // Number of migrations newly applied by this call.
  absl::StatusOr<int> Apply();

 private:
  PgPool& pool_;
  std::string component_;
  std::vector<Migration> migrations_;
};

}  // namespace dialtone::pg
