// MigrationRunner: file discovery, checksums, and the locked apply loop.
#include "dialtone/pg/migration_runner.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace dialtone::pg {
namespace {

// One key for all components: migrations also create the shared bookkeeping table.
constexpr int64_t kAdvisoryLockKey = 0x4469616c746f6e65;  // "Dialtone"

std::string Fnv1a64Hex(const std::string& data) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x", h);
}

}  // namespace

absl::StatusOr<Migration> ParseMigrationFileName(const std::string& file_name) {
  if (file_name.size() < 5 || file_name.substr(file_name.size() - 4) != ".sql") {
    return absl::NotFoundError(absl::StrCat(file_name, " is not a .sql file"));
  }
  auto underscore = file_name.find('_');
  if (underscore == std::string::npos || underscore == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("migration ", file_name, " must be named NNNN_name.sql"));
  }
  Migration m;
  std::string digits = file_name.substr(0, underscore);
  if (digits.find_first_not_of("0123456789") != std::string::npos ||
      !absl::SimpleAtoi(digits, &m.version) || m.version <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("migration ", file_name, " must start with a positive version number"));
  }
  m.name = file_name.substr(underscore + 1, file_name.size() - underscore - 5);
  if (m.name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("migration ", file_name, " has no name"));
  }
  return m;
}

absl::StatusOr<std::vector<Migration>> LoadMigrations(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("migrations directory ", dir.string(), " not found"));
  }
  std::vector<Migration> out;
  std::map<int, std::string> seen;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string file = entry.path().filename().string();
    auto parsed = ParseMigrationFileName(file);
    if (absl::IsNotFound(parsed.status())) continue;
    if (!parsed.ok()) return parsed.status();
    if (auto [it, inserted] = seen.emplace(parsed->version, file); !inserted) {
      return absl::InvalidArgumentError(absl::StrCat("migrations ", it->second, " and ", file,
                                                     " share version ", parsed->version));
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    parsed->sql = buf.str();
    parsed->checksum = Fnv1a64Hex(parsed->sql);
    out.push_back(std::move(*parsed));
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

MigrationRunner::MigrationRunner(PgPool& pool, std::string component,
                                 std::vector<Migration> migrations)
    : pool_(pool), component_(std::move(component)), migrations_(std::move(migrations)) {}

absl::StatusOr<int> MigrationRunner::Apply() {
  int applied = 0;
  absl::Status status = pool_.Run([&](pqxx::connection& conn) -> absl::Status {
    {
      pqxx::nontransaction tx(conn);
      tx.exec("select pg_advisory_lock(" + std::to_string(kAdvisoryLockKey) + ")");
    }
    // Unlock whatever happens below; a dropped connection releases the lock by itself.
    struct Unlock {
      pqxx::connection& conn;
      ~Unlock() {
        try {
          pqxx::nontransaction tx(conn);
          tx.exec("select pg_advisory_unlock(" + std::to_string(kAdvisoryLockKey) + ")");
        } catch (...) {
        }
      }
    } unlock{conn};

    std::map<int, std::string> done;
    {
      pqxx::work tx(conn);
      tx.exec(
          "create table if not exists dialtone_schema_migrations ("
          " component text not null, version integer not null, name text not null,"
          " checksum text not null, applied_at timestamptz not null default now(),"
          " primary key (component, version))");
      pqxx::result rows = tx.exec_params(
          "select version, checksum from dialtone_schema_migrations where component = $1",
          component_);
      for (const auto& row : rows) done[row[0].as<int>()] = row[1].as<std::string>();
      tx.commit();
    }
    for (const Migration& m : migrations_) {
      if (auto it = done.find(m.version); it != done.end()) {
        if (it->second != m.checksum) {
          return absl::FailedPreconditionError(
              absl::StrCat(component_, " migration ", m.version, "_", m.name,
                           ".sql changed after it was applied; add a new migration instead"));
        }
        continue;
      }
      pqxx::work tx(conn);
      tx.exec(m.sql);
      tx.exec_params(
          "insert into dialtone_schema_migrations (component, version, name, checksum)"
          " values ($1, $2, $3, $4)",
          component_, m.version, m.name, m.checksum);
      tx.commit();
      ++applied;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return applied;
}

}  // namespace dialtone::pg
