// The REST API over real HTTP and a real PostgreSQL: authentication, another account's path,
// the Account resource in JSON and XML, and updates.
#include <catch2/catch.hpp>

#include <curl/curl.h>

#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include "adapters/account_repository.h"
#include "adapters/account_settings_repository.h"
#include "adapters/api_handler.h"
#include "dialtone/pg/testing/scratch_database.h"
#include "dialtone/testing/test_env.h"
#include "dialtone/web/http_server.h"
#include "http_call.h"

using namespace dialtone::rest_gateway;
using dialtone::rest_gateway::testing::Call;
using dialtone::rest_gateway::testing::Collect;
using dialtone::rest_gateway::testing::Reply;
namespace dt = dialtone::testing;

namespace {

// A resource that holds each request until released, to have requests in flight at once.
class SlowRoutes final : public ResourceRoutes {
 public:
  std::optional<dialtone::web::HttpServer::Response> Handle(
      const dialtone::web::HttpServer::Request&, const ApiRoute& route) override {
    if (route.resource.empty() || route.resource[0] != "Slow") return std::nullopt;
    std::unique_lock lock(mu_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return released_; });
    dialtone::web::HttpServer::Response res{boost::beast::http::status::ok, 11};
    res.body() = "{}";
    return res;
  }
  void WaitFor(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return waiting_ >= n; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int waiting_ = 0;
  bool released_ = false;
};

// Tokens sealed as in production (tests/sealed_tokens_test.cc covers the sealing itself).
const dialtone::secrets::Sealer& TestSealer() {
  static const dialtone::secrets::Sealer sealer =
      *dialtone::secrets::Sealer::FromRawKey(std::string(32, 'k'));
  return sealer;
}

struct Fixture {
  SlowRoutes slow;
  std::unique_ptr<dialtone::pg::PgPool> pool;
  std::unique_ptr<AccountRepository> repo;
  std::unique_ptr<ApiHandler> api;
  std::unique_ptr<dialtone::web::HttpServer> server;

  Fixture() {
    pool = std::make_unique<dialtone::pg::PgPool>(
        dialtone::pg::PgPool::Options{.url = dialtone::pg::testing::CreateMigratedDatabase(
                                          "gw_", DIALTONE_SQL_DIR, "rest-gateway")});
    repo = std::make_unique<AccountRepository>(*pool, &TestSealer());
    api = std::make_unique<ApiHandler>(*repo, std::vector<ResourceRoutes*>{&slow}, nullptr, 2);
    auto started = dialtone::web::HttpServer::Start(
        {.address = "127.0.0.1:0", .threads = 4}, [this](const auto& r) { return api->Handle(r); });
    if (!started.ok()) throw std::runtime_error(started.status().ToString());
    server = std::move(*started);
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server->port()) + path;
  }
};

int64_t Code(const Reply& r) {
  return boost::json::parse(r.body).as_object().at("code").as_int64();
}

}  // namespace

TEST_CASE("REST: the owner fetches its account as JSON with Twilio's fields") {
  Fixture f;
  auto a = f.repo->Create("Acme");
  REQUIRE(a.ok());
  auto r = Call(f.Url("/2010-04-01/Accounts/" + a->sid + ".json"), a->sid, a->auth_token);
  REQUIRE(r.status == 200);
  CHECK(r.content_type.find("application/json") == 0);
  auto o = boost::json::parse(r.body).as_object();
  CHECK(o.at("sid").as_string() == a->sid);
  CHECK(o.at("friendly_name").as_string() == "Acme");
  CHECK(o.at("status").as_string() == "active");
  CHECK(o.at("auth_token").as_string() == a->auth_token);
}

TEST_CASE("REST: without the .json suffix the account comes as XML") {
  Fixture f;
  auto a = f.repo->Create("Acme");
  auto r = Call(f.Url("/2010-04-01/Accounts/" + a->sid), a->sid, a->auth_token);
  REQUIRE(r.status == 200);
  CHECK(r.content_type.find("application/xml") == 0);
  CHECK(r.body.find("<Sid>" + a->sid + "</Sid>") != std::string::npos);
}

TEST_CASE("REST: missing or wrong credentials get 401 with code 20003") {
  Fixture f;
  auto a = f.repo->Create("Acme");
  std::string url = f.Url("/2010-04-01/Accounts/" + a->sid + ".json");
  auto none = Call(url, "", "");
  CHECK(none.status == 401);
  CHECK(Code(none) == 20003);
  auto wrong = Call(url, a->sid, "00000000000000000000000000000000");
  CHECK(wrong.status == 401);
  CHECK(Code(wrong) == 20003);
  auto unknown = Call(url, "AC00000000000000000000000000000000", a->auth_token);
  CHECK(unknown.status == 401);
  auto suspended = f.repo->Update(a->sid, std::nullopt, AccountStatus::kSuspended);
  REQUIRE(suspended.ok());
  CHECK(Call(url, a->sid, a->auth_token).status == 401);
}

TEST_CASE("REST: another account's path is 404 with code 20404") {
  Fixture f;
  auto mine = f.repo->Create("Mine");
  auto theirs = f.repo->Create("Theirs");
  auto r =
      Call(f.Url("/2010-04-01/Accounts/" + theirs->sid + ".json"), mine->sid, mine->auth_token);
  CHECK(r.status == 404);
  CHECK(Code(r) == 20404);
  CHECK(r.body.find("Theirs") == std::string::npos);
  auto unknown = Call(f.Url("/2010-04-01/Accounts/" + mine->sid + "/Nothing.json"), mine->sid,
                      mine->auth_token);
  CHECK(unknown.status == 404);
  CHECK(Code(unknown) == 20404);
}

TEST_CASE("REST: POST changes the friendly name and rejects a bad status") {
  Fixture f;
  auto a = f.repo->Create("Old");
  std::string url = f.Url("/2010-04-01/Accounts/" + a->sid + ".json");
  auto r = Call(url, a->sid, a->auth_token, "FriendlyName=New+Name%21", true);
  REQUIRE(r.status == 200);
  CHECK(boost::json::parse(r.body).as_object().at("friendly_name").as_string() == "New Name!");
  CHECK(f.repo->Get(a->sid)->friendly_name == "New Name!");
  auto bad = Call(url, a->sid, a->auth_token, "Status=deleted", true);
  CHECK(bad.status == 400);
}

TEST_CASE("REST: garbage on the socket gets 400 and the server keeps serving") {
  Fixture f;
  auto a = f.repo->Create("Acme");
  // A raw request line that is not HTTP.
  CURL* c = curl_easy_init();
  std::string body;
  curl_easy_setopt(c, CURLOPT_URL, f.Url("/").c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "BREW\r\nnot http");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  CHECK((status == 400 || status == 0));
  CHECK(Call(f.Url("/2010-04-01/Accounts/" + a->sid + ".json"), a->sid, a->auth_token).status ==
        200);
}

TEST_CASE("REST: an account over its concurrent request limit gets 429 with code 20429") {
  Fixture f;
  auto a = f.repo->Create("Busy");
  auto b = f.repo->Create("Calm");
  std::string slow = f.Url("/2010-04-01/Accounts/" + a->sid + "/Slow.json");
  std::thread t1([&] { Call(slow, a->sid, a->auth_token); });
  std::thread t2([&] { Call(slow, a->sid, a->auth_token); });
  f.slow.WaitFor(2);
  auto third = Call(f.Url("/2010-04-01/Accounts/" + a->sid + ".json"), a->sid, a->auth_token);
  CHECK(third.status == 429);
  CHECK(Code(third) == 20429);
  // Another account is not affected.
  CHECK(Call(f.Url("/2010-04-01/Accounts/" + b->sid + ".json"), b->sid, b->auth_token).status ==
        200);
  f.slow.Release();
  t1.join();
  t2.join();
  CHECK(Call(f.Url("/2010-04-01/Accounts/" + a->sid + ".json"), a->sid, a->auth_token).status ==
        200);
}

TEST_CASE("Account settings: defaults, the account's own values, reset, and refusals") {
  Fixture f;
  auto account = f.repo->Create("settings");
  REQUIRE(account.ok());
  AccountSettings defaults;
  defaults.calls_per_second = 9;
  AccountSettingsRepository settings(*f.pool, defaults);

  auto fresh = settings.Get(account->sid);
  REQUIRE(fresh.ok());
  CHECK(fresh->effective.calls_per_second == 9);
  CHECK_FALSE(fresh->effective.media_http_auth);
  CHECK_FALSE(fresh->overrides.calls_per_second);

  AccountSettingsOverrides set;
  set.media_http_auth = true;
  set.calls_per_second = 2;
  REQUIRE(settings.Update(account->sid, set, {}).ok());
  AccountSettingsOverrides more;
  more.max_quiet_steps = 10;
  auto both = settings.Update(account->sid, more, {"calls_per_second"});
  REQUIRE(both.ok());
  auto read = settings.Get(account->sid);  // what a replica reads back from PostgreSQL
  REQUIRE(read.ok());
  CHECK(read->effective.media_http_auth);
  CHECK(read->effective.max_quiet_steps == 10);
  CHECK(read->effective.calls_per_second == 9);  // reset: the default again
  CHECK_FALSE(read->overrides.calls_per_second);

  AccountSettingsOverrides bad;
  bad.max_concurrent_calls = -3;
  CHECK(absl::IsInvalidArgument(settings.Update(account->sid, bad, {}).status()));
  CHECK(absl::IsInvalidArgument(settings.Update(account->sid, {}, {"nonsense"}).status()));
  CHECK(absl::IsNotFound(settings.Get("AC" + std::string(32, '0')).status()));
  CHECK(absl::IsNotFound(settings.Update("AC" + std::string(32, '0'), set, {}).status()));
}
