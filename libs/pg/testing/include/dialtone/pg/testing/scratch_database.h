// Scratch PostgreSQL databases for integration tests, on the server `scripts/dev test` starts
// (DIALTONE_TEST_PG_URL). Tests only; production never links this.
#pragma once

#include <string>

namespace dialtone::pg::testing {

// Creates an empty database named `prefix` + a random suffix; returns its URL. Throws (a test
// failure) when the server is unreachable.
std::string CreateScratchDatabase(const std::string& prefix);

// The same, with the migrations of `component` (read from `sql_dir`/`component`) applied.
std::string CreateMigratedDatabase(const std::string& prefix, const std::string& sql_dir,
                                   const std::string& component);

}  // namespace dialtone::pg::testing
