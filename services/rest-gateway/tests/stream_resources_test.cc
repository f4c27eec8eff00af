// A call's Streams through the REST API over real HTTP, a real PostgreSQL for the accounts, and
// a fake CallRouter on a real gRPC port: the form as it reaches call-router, Twilio's JSON, and
// Twilio's errors.
#include <catch2/catch.hpp>

#include <grpcpp/grpcpp.h>

#include <boost/json.hpp>
#include <fstream>
#include <mutex>

#include "adapters/account_repository.h"
#include "adapters/api_handler.h"
#include "adapters/stream_resources.h"
#include "dialtone/callrouter/v1/call_router.grpc.pb.h"
#include "dialtone/pg/testing/scratch_database.h"
#include "dialtone/rpc/status.h"
#include "dialtone/web/http_server.h"
#include "http_call.h"

using namespace dialtone::rest_gateway;
using dialtone::rest_gateway::testing::Call;
using dialtone::rest_gateway::testing::Reply;
namespace pb = dialtone::callrouter::v1;

namespace {

constexpr char kLiveCall[] = "CA00000000000000000000000000000001";
constexpr char kEndedCall[] = "CA00000000000000000000000000000002";
constexpr char kStreamSid[] = "MZ0123456789abcdef0123456789abcdef";

// call-router as the gateway sees it: kLiveCall is in progress, kEndedCall has ended, any other
// call is unknown; the requests it got are kept. Runs on gRPC's threads.
class FakeCallRouter final : public pb::CallRouter::Service {
 public:
  grpc::Status CreateStream(grpc::ServerContext*, const pb::CreateStreamRequest* req,
                            pb::Stream* out) override {
    std::lock_guard lock(mu);
    creates.push_back(*req);
    if (auto s = CallState(req->call_sid()); !s.ok()) return s;
    Fill(*req, req->name(), pb::STREAM_STATUS_IN_PROGRESS, out);
    return grpc::Status::OK;
  }
  grpc::Status UpdateStream(grpc::ServerContext*, const pb::UpdateStreamRequest* req,
                            pb::Stream* out) override {
    std::lock_guard lock(mu);
    updates.push_back(*req);
    if (auto s = CallState(req->call_sid()); !s.ok()) return s;
    pb::CreateStreamRequest where;
    where.set_account_sid(req->account_sid());
    where.set_call_sid(req->call_sid());
    Fill(where, req->sid() == kStreamSid ? "" : req->sid(), pb::STREAM_STATUS_STOPPED, out);
    return grpc::Status::OK;
  }

  std::mutex mu;
  std::vector<pb::CreateStreamRequest> creates;
  std::vector<pb::UpdateStreamRequest> updates;

 private:
  static grpc::Status CallState(const std::string& call_sid) {
    if (call_sid == kLiveCall) return grpc::Status::OK;
    if (call_sid == kEndedCall) {
      return dialtone::rpc::TwilioGrpcError(grpc::StatusCode::FAILED_PRECONDITION, 21220,
                                            "Call is not in-progress.");
    }
    return dialtone::rpc::TwilioGrpcError(grpc::StatusCode::NOT_FOUND, 20404, "no such call");
  }
  static void Fill(const pb::CreateStreamRequest& where, const std::string& name,
                   pb::StreamStatus status, pb::Stream* out) {
    out->set_sid(kStreamSid);
    out->set_account_sid(where.account_sid());
    out->set_call_sid(where.call_sid());
    out->set_name(name);
    out->set_status(status);
    out->mutable_date_updated()->set_seconds(1438286400);  // Thu, 30 Jul 2015 20:00:00
  }
};

struct Fixture {
  FakeCallRouter router;
  std::unique_ptr<grpc::Server> grpc_server;
  std::unique_ptr<StreamResources> streams;
  std::unique_ptr<dialtone::pg::PgPool> pool;
  std::unique_ptr<AccountRepository> repo;
  std::unique_ptr<ApiHandler> api;
  std::unique_ptr<dialtone::web::HttpServer> server;
  Account account;

  Fixture() {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&router);
    grpc_server = builder.BuildAndStart();
    if (grpc_server == nullptr) throw std::runtime_error("no gRPC server");
    streams = std::make_unique<StreamResources>(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
    pool = std::make_unique<dialtone::pg::PgPool>(
        dialtone::pg::PgPool::Options{.url = dialtone::pg::testing::CreateMigratedDatabase(
                                          "gws_", DIALTONE_SQL_DIR, "rest-gateway")});
    repo = std::make_unique<AccountRepository>(*pool, nullptr);
    api = std::make_unique<ApiHandler>(*repo, std::vector<ResourceRoutes*>{streams.get()});
    auto started = dialtone::web::HttpServer::Start(
        {.address = "127.0.0.1:0", .threads = 2}, [this](const auto& r) { return api->Handle(r); });
    if (!started.ok()) throw std::runtime_error(started.status().ToString());
    server = std::move(*started);
    auto created = repo->Create("Streams");
    if (!created.ok()) throw std::runtime_error(created.status().ToString());
    account = *created;
  }
  ~Fixture() {
    server.reset();
    grpc_server->Shutdown();
  }

  // POST `body` to the account's `path` (after /Accounts/AC…).
  Reply Post(const std::string& path, const std::string& body) {
    return Call(Url(path), account.sid, account.auth_token, body, true);
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server->port()) + "/2010-04-01/Accounts/" +
           account.sid + path;
  }
  std::string Streams(const std::string& call_sid) const {
    return "/Calls/" + call_sid + "/Streams.json";
  }
};

boost::json::object Json(const Reply& r) { return boost::json::parse(r.body).as_object(); }
int64_t Code(const Reply& r) { return Json(r).at("code").as_int64(); }

}  // namespace

TEST_CASE("Streams: a created stream answers with exactly the fields of Twilio's schema") {
  Fixture f;
  auto r = f.Post(f.Streams(kLiveCall), "Url=wss%3A%2F%2Fapp.example%2Fs&Name=agent");
  REQUIRE(r.status == 200);  // Twilio's OpenAPI: this create answers 200 OK
  CHECK(r.content_type.find("application/json") == 0);
  auto o = Json(r);
  CHECK(o.at("sid").as_string() == kStreamSid);
  CHECK(o.at("account_sid").as_string() == f.account.sid);
  CHECK(o.at("call_sid").as_string() == kLiveCall);
  CHECK(o.at("name").as_string() == "agent");
  CHECK(o.at("status").as_string() == "in-progress");
  CHECK(o.at("date_updated").as_string() == "Thu, 30 Jul 2015 20:00:00 +0000");
  CHECK(o.at("uri").as_string() == "/2010-04-01/Accounts/" + f.account.sid + "/Calls/" + kLiveCall +
                                       "/Streams/" + kStreamSid + ".json");

  std::ifstream spec(std::string(DIALTONE_OAI_SPEC));
  std::string text((std::istreambuf_iterator<char>(spec)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(text.empty());
  const boost::json::value doc = boost::json::parse(text);  // `schema` points into it
  const auto& schema =
      doc.at_pointer("/components/schemas/api.v2010.account.call.stream/properties").as_object();
  REQUIRE(schema.size() == 7);
  for (const auto& [key, value] : schema) {
    INFO(std::string(key));
    CHECK(o.contains(key));
  }
  for (const auto& [key, value] : o) {
    INFO(std::string(key));
    CHECK(schema.contains(key));
  }

  auto unnamed = f.Post(f.Streams(kLiveCall), "Url=wss%3A%2F%2Fapp.example%2Fs");
  REQUIRE(unnamed.status == 200);
  CHECK(Json(unnamed).at("name").is_null());
}

TEST_CASE("Streams: the form reaches call-router with its parameters in Twilio's numbering") {
  Fixture f;
  auto r = f.Post(f.Streams(kLiveCall),
                  "Url=ws%3A%2F%2Fapp.example%3A8080%2Fs&Track=both_tracks"
                  "&StatusCallback=https%3A%2F%2Fapp.example%2Fstatus&StatusCallbackMethod=GET"
                  "&Parameter10.Name=tenth&Parameter10.Value=10"
                  "&Parameter2.Value=second+value&Parameter2.Name=second"
                  "&Parameter1.Name=first&Parameter1.Value=1"
                  "&Parameter3.Name=empty&Parameter100.Name=ignored");
  REQUIRE(r.status == 200);
  std::lock_guard lock(f.router.mu);
  REQUIRE(f.router.creates.size() == 1);
  const pb::CreateStreamRequest& in = f.router.creates[0];
  CHECK(in.account_sid() == f.account.sid);
  CHECK(in.call_sid() == kLiveCall);
  CHECK(in.url() == "ws://app.example:8080/s");
  CHECK(in.track() == "both_tracks");
  CHECK(in.status_callback() == "https://app.example/status");
  CHECK(in.status_callback_method() == pb::HTTP_METHOD_GET);
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& p : in.parameters()) params.emplace_back(p.name(), p.value());
  CHECK(params == std::vector<std::pair<std::string, std::string>>{
                      {"first", "1"}, {"second", "second value"}, {"empty", ""}, {"tenth", "10"}});
}

TEST_CASE("Streams: an unknown call is 404/20404 and an ended one 400/21220, as JSON") {
  Fixture f;
  auto unknown =
      f.Post(f.Streams("CA000000000000000000000000000000ff"), "Url=wss%3A%2F%2Fa.example");
  CHECK(unknown.status == 404);
  CHECK(unknown.content_type.find("application/json") == 0);
  CHECK(Code(unknown) == 20404);
  CHECK(Json(unknown).at("status").as_int64() == 404);
  auto ended = f.Post(f.Streams(kEndedCall), "Url=wss%3A%2F%2Fa.example");
  CHECK(ended.status == 400);
  CHECK(Code(ended) == 21220);
  auto stop = f.Post("/Calls/" + std::string(kEndedCall) + "/Streams/" + kStreamSid + ".json",
                     "Status=stopped");
  CHECK(stop.status == 400);
  CHECK(Code(stop) == 21220);
}

TEST_CASE("Streams: a bad Url, Track or parameter is 400 and nothing reaches call-router") {
  Fixture f;
  const std::string path = f.Streams(kLiveCall);
  for (const char* url : {"https%3A%2F%2Fapp.example%2Fs", "app.example%2Fs", "wss%3A%2F%2F"}) {
    auto r = f.Post(path, std::string("Url=") + url);
    CHECK(r.status == 400);
    CHECK(Code(r) == 21205);
  }
  auto missing = f.Post(path, "Name=x");
  CHECK(missing.status == 400);
  CHECK(Code(missing) == 20001);
  auto track = f.Post(path, "Url=wss%3A%2F%2Fa.example&Track=inbound");
  CHECK(track.status == 400);
  CHECK(Code(track) == 20001);
  auto method = f.Post(path, "Url=wss%3A%2F%2Fa.example&StatusCallbackMethod=PUT");
  CHECK(method.status == 400);
  auto nameless = f.Post(path, "Url=wss%3A%2F%2Fa.example&Parameter3.Value=v");
  CHECK(nameless.status == 400);
  CHECK(Code(nameless) == 20001);
  std::lock_guard lock(f.router.mu);
  CHECK(f.router.creates.empty());
}

TEST_CASE("Streams: update stops a stream by SID or by name, and only Status=stopped") {
  Fixture f;
  const std::string base = "/Calls/" + std::string(kLiveCall) + "/Streams/";
  auto by_sid = f.Post(base + kStreamSid + ".json", "Status=stopped");
  REQUIRE(by_sid.status == 200);
  CHECK(Json(by_sid).at("status").as_string() == "stopped");
  CHECK(Json(by_sid).at("name").is_null());
  auto by_name = f.Post(base + "my%20agent.json", "Status=stopped");
  REQUIRE(by_name.status == 200);
  CHECK(Json(by_name).at("name").as_string() == "my agent");

  auto foo = f.Post(base + kStreamSid + ".json", "Status=foo");
  CHECK(foo.status == 400);
  CHECK(Code(foo) == 20001);
  auto none = f.Post(base + kStreamSid + ".json", "");
  CHECK(none.status == 400);
  CHECK(Code(none) == 20001);
  std::lock_guard lock(f.router.mu);
  REQUIRE(f.router.updates.size() == 2);
  CHECK(f.router.updates[0].sid() == kStreamSid);
  CHECK(f.router.updates[0].status() == pb::STREAM_STATUS_STOPPED);
  CHECK(f.router.updates[1].sid() == "my agent");
  CHECK(f.router.updates[1].account_sid() == f.account.sid);
}

TEST_CASE("Streams: only POST, and only the caller's own account") {
  Fixture f;
  auto get = Call(f.Url(f.Streams(kLiveCall)), f.account.sid, f.account.auth_token);
  CHECK(get.status == 405);
  CHECK(Code(get) == 20004);
  auto other = f.repo->Create("Other");
  REQUIRE(other.ok());
  auto theirs = Call(f.Url(f.Streams(kLiveCall)), other->sid, other->auth_token,
                     "Url=wss%3A%2F%2Fa.example", true);
  CHECK(theirs.status == 404);
  CHECK(Code(theirs) == 20404);
  std::lock_guard lock(f.router.mu);
  CHECK(f.router.creates.empty());
}
