// Auth tokens at rest, against a real PostgreSQL and the REST API over real HTTP: what the
// accounts table holds, plaintext rows from before sealing, several gateways sealing at once,
// and a gateway with the wrong key (or none).
#include <catch2/catch.hpp>

#include <pqxx/pqxx>
#include <thread>

#include "adapters/account_repository.h"
#include "adapters/api_handler.h"
#include "dialtone/core/sid.h"
#include "dialtone/pg/testing/scratch_database.h"
#include "dialtone/secrets/sealer.h"
#include "dialtone/web/http_server.h"
#include "http_call.h"

using namespace dialtone::rest_gateway;
using dialtone::rest_gateway::testing::Call;
using dialtone::secrets::Sealer;

namespace {

Sealer KeyA() { return *Sealer::FromRawKey(std::string(32, 'A')); }
Sealer KeyB() { return *Sealer::FromRawKey(std::string(32, 'B')); }

// One gateway: a repository with `sealer` (null: plaintext) and the REST API in front of it.
struct Gateway {
  std::unique_ptr<dialtone::pg::PgPool> pool;
  std::unique_ptr<AccountRepository> repo;
  std::unique_ptr<ApiHandler> api;
  std::unique_ptr<dialtone::web::HttpServer> server;

  Gateway(const std::string& db_url, const Sealer* sealer) {
    pool = std::make_unique<dialtone::pg::PgPool>(dialtone::pg::PgPool::Options{.url = db_url});
    repo = std::make_unique<AccountRepository>(*pool, sealer);
    api = std::make_unique<ApiHandler>(*repo, std::vector<ResourceRoutes*>{}, nullptr, 10);
    auto started = dialtone::web::HttpServer::Start(
        {.address = "127.0.0.1:0", .threads = 2}, [this](const auto& r) { return api->Handle(r); });
    if (!started.ok()) throw std::runtime_error(started.status().ToString());
    server = std::move(*started);
  }

  long Status(const std::string& sid, const std::string& token) const {
    std::string url = "http://127.0.0.1:" + std::to_string(server->port()) +
                      "/2010-04-01/Accounts/" + sid + ".json";
    return Call(url, sid, token).status;
  }
};

std::string NewDatabase() {
  return dialtone::pg::testing::CreateMigratedDatabase("gw_sealed_", DIALTONE_SQL_DIR,
                                                       "rest-gateway");
}

std::string StoredToken(const std::string& db_url, const std::string& sid) {
  pqxx::connection c(db_url);
  pqxx::read_transaction tx(c);
  return tx.exec_params1("select auth_token from accounts where sid = $1", sid)[0]
      .as<std::string>();
}

// A row as a gateway before sealing (or without a key) wrote it; returns its SID.
std::string InsertPlaintextAccount(const std::string& db_url, const std::string& token) {
  std::string sid = dialtone::core::NewSid(dialtone::core::kAccountPrefix);
  pqxx::connection c(db_url);
  pqxx::work tx(c);
  tx.exec_params(
      "insert into accounts (sid, friendly_name, auth_token, owner_account_sid)"
      " values ($1, 'Old', $2, $1)",
      sid, token);
  tx.commit();
  return sid;
}

}  // namespace

TEST_CASE("Sealed tokens: the accounts table holds a sealed value, the API takes the token") {
  std::string db = NewDatabase();
  Sealer key = KeyA();
  Gateway gw(db, &key);
  auto a = gw.repo->Create("Acme");
  REQUIRE(a.ok());
  REQUIRE(a->auth_token.size() == 32);

  std::string stored = StoredToken(db, a->sid);
  CHECK(stored.rfind("v1:", 0) == 0);
  CHECK(stored != a->auth_token);
  CHECK(stored.find(a->auth_token) == std::string::npos);

  CHECK(gw.Status(a->sid, a->auth_token) == 200);
  CHECK(gw.Status(a->sid, std::string(32, '0')) == 401);
  CHECK(gw.Status(a->sid, stored) == 401);  // the stored value is no credential
  CHECK(gw.repo->Get(a->sid)->auth_token == a->auth_token);
}

TEST_CASE("Sealed tokens: a rotated token is stored sealed and replaces the old one") {
  std::string db = NewDatabase();
  Sealer key = KeyA();
  Gateway gw(db, &key);
  auto a = gw.repo->Create("Acme");
  REQUIRE(a.ok());
  auto rotated = gw.repo->RotateAuthToken(a->sid);
  REQUIRE(rotated.ok());
  REQUIRE(rotated->auth_token != a->auth_token);
  std::string stored = StoredToken(db, a->sid);
  CHECK(stored.rfind("v1:", 0) == 0);
  CHECK(stored.find(rotated->auth_token) == std::string::npos);
  CHECK(gw.Status(a->sid, rotated->auth_token) == 200);
  CHECK(gw.Status(a->sid, a->auth_token) == 401);
}

TEST_CASE("Sealed tokens: a plaintext row from before is sealed at startup and still works") {
  std::string db = NewDatabase();
  const std::string token = "0123456789abcdef0123456789abcdef";
  std::string sid = InsertPlaintextAccount(db, token);
  Sealer key = KeyA();
  Gateway gw(db, &key);
  // Read as it is until sealed (a rolling start).
  CHECK(gw.Status(sid, token) == 200);

  auto sealed = gw.repo->SealPlaintextTokens();
  REQUIRE(sealed.ok());
  CHECK(*sealed == 1);
  std::string stored = StoredToken(db, sid);
  CHECK(stored.rfind("v1:", 0) == 0);
  CHECK(stored.find(token) == std::string::npos);
  CHECK(KeyA().Open(stored, sid).value_or("") == token);
  gw.api->ForgetAccount(sid);
  CHECK(gw.Status(sid, token) == 200);
  CHECK(gw.repo->CheckSealedTokensOpen().ok());

  // Idempotent: a second pass (a restart, another replica) changes nothing.
  auto again = gw.repo->SealPlaintextTokens();
  REQUIRE(again.ok());
  CHECK(*again == 0);
  CHECK(StoredToken(db, sid) == stored);
}

TEST_CASE("Sealed tokens: gateways sealing at once seal each row once, every token kept") {
  std::string db = NewDatabase();
  // More rows than one batch.
  {
    pqxx::connection c(db);
    pqxx::work tx(c);
    tx.exec(
        "insert into accounts (sid, friendly_name, auth_token, owner_account_sid)"
        " select 'AC' || md5('sid' || i), 'Old', md5('token' || i), 'AC' || md5('sid' || i)"
        " from generate_series(1, 1200) i");
    tx.commit();
  }
  Sealer key = KeyA();
  Gateway g1(db, &key);
  Gateway g2(db, &key);
  absl::StatusOr<int> n1 = 0;
  absl::StatusOr<int> n2 = 0;
  std::thread t1([&] { n1 = g1.repo->SealPlaintextTokens(); });
  std::thread t2([&] { n2 = g2.repo->SealPlaintextTokens(); });
  t1.join();
  t2.join();
  REQUIRE(n1.ok());
  REQUIRE(n2.ok());
  CHECK(*n1 + *n2 == 1200);

  pqxx::connection c(db);
  pqxx::read_transaction tx(c);
  auto rows = tx.exec(
      "select sid, auth_token, md5('token' || i) from accounts"
      " join generate_series(1, 1200) i on sid = 'AC' || md5('sid' || i)");
  REQUIRE(rows.size() == 1200);
  int opened = 0;
  for (const auto& row : rows) {
    auto token = key.Open(row[1].as<std::string>(), row[0].as<std::string>());
    if (token.ok() && *token == row[2].as<std::string>()) ++opened;
  }
  CHECK(opened == 1200);
}

TEST_CASE("Sealed tokens: a gateway with another key refuses clearly and lets nobody in") {
  std::string db = NewDatabase();
  Sealer key_a = KeyA();
  Sealer key_b = KeyB();
  Gateway right(db, &key_a);
  auto a = right.repo->Create("Acme");
  REQUIRE(a.ok());

  Gateway wrong(db, &key_b);
  absl::Status check = wrong.repo->CheckSealedTokensOpen();
  CHECK(absl::IsFailedPrecondition(check));
  CHECK(check.message().find("DIALTONE_SECRETS_KEY does not open") != std::string::npos);
  auto got = wrong.repo->Get(a->sid);
  CHECK(absl::IsInternal(got.status()));
  CHECK(got.status().message().find(a->sid) != std::string::npos);
  CHECK(wrong.Status(a->sid, a->auth_token) == 503);
  CHECK(wrong.Status(a->sid, StoredToken(db, a->sid)) == 503);
}

TEST_CASE("Sealed tokens: a gateway without a key stores plaintext and refuses sealed rows") {
  std::string db = NewDatabase();
  Sealer key = KeyA();
  Gateway sealing(db, &key);
  auto sealed = sealing.repo->Create("Sealed");
  REQUIRE(sealed.ok());

  Gateway plain(db, nullptr);
  CHECK(absl::IsFailedPrecondition(plain.repo->CheckSealedTokensOpen()));
  CHECK(plain.Status(sealed->sid, sealed->auth_token) == 503);
  auto p = plain.repo->Create("Plain");
  REQUIRE(p.ok());
  CHECK(StoredToken(db, p->sid) == p->auth_token);
  CHECK(plain.Status(p->sid, p->auth_token) == 200);

  // A gateway with the key later seals it.
  auto n = sealing.repo->SealPlaintextTokens();
  REQUIRE(n.ok());
  CHECK(*n == 1);
  CHECK(StoredToken(db, p->sid).rfind("v1:", 0) == 0);
  CHECK(sealing.Status(p->sid, p->auth_token) == 200);
}

TEST_CASE("Sealed tokens: one account's sealed token copied onto another row does not open") {
  std::string db = NewDatabase();
  Sealer key = KeyA();
  Gateway gw(db, &key);
  auto mine = gw.repo->Create("Mine");
  auto theirs = gw.repo->Create("Theirs");
  REQUIRE(mine.ok());
  REQUIRE(theirs.ok());
  {
    pqxx::connection c(db);
    pqxx::work tx(c);
    tx.exec_params("update accounts set auth_token = $2 where sid = $1", theirs->sid,
                   StoredToken(db, mine->sid));
    tx.commit();
  }
  gw.api->ForgetAccount("");
  CHECK(gw.Status(theirs->sid, mine->auth_token) != 200);
  CHECK(absl::IsInternal(gw.repo->Get(theirs->sid).status()));
}
