// ws::Client against an in-test Beast server on loopback (plain and TLS): the upgrade request,
// ordered round trips, every way a connection ends and the status it reports, and a send queue
// that never blocks its caller when the server stops reading.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "dialtone/http/fetch_policy.h"
#include "dialtone/testing/test_env.h"
#include "dialtone/ws/client.h"
#include "test_ws_server.h"

namespace ws = dialtone::ws;
using ws::testing::Recorder;
using ws::testing::SelfSignedCert;
using ws::testing::TestWsServer;
using Mode = TestWsServer::Mode;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

const SelfSignedCert& Cert() {
  static SelfSignedCert cert;
  return cert;
}

std::shared_ptr<const dialtone::http::FetchPolicy> Policy(const char* allow) {
  auto policy = dialtone::http::FetchPolicy::Parse(allow);
  REQUIRE(policy.ok());
  return std::make_shared<const dialtone::http::FetchPolicy>(*std::move(policy));
}

std::shared_ptr<ws::Connection> Connect(ws::Client& client, const std::string& url,
                                        const std::shared_ptr<Recorder>& recorder,
                                        ws::testing::Headers headers = {}) {
  auto connection = client.Connect(url, std::move(headers), recorder);
  REQUIRE(connection.ok());
  return *connection;
}

// Sends `count` numbered messages (half before the upgrade completes) and checks they come back
// in order, then closes cleanly.
void RoundTrip(ws::Client& client, const std::string& url, int count) {
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, url, recorder);
  std::vector<std::string> sent;
  for (int i = 0; i < count; ++i) {
    if (i == count / 2) REQUIRE(recorder->WaitOpen());
    sent.push_back("{\"event\":\"media\",\"sequenceNumber\":\"" + std::to_string(i) + "\"}");
    REQUIRE(connection->SendText(sent.back()));
  }
  REQUIRE(recorder->WaitTexts(sent.size()));
  CHECK(recorder->texts() == sent);
  connection->Close();
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->ok());
}

}  // namespace

TEST_CASE("The upgrade request carries the custom headers, the user agent, Host and target") {
  TestWsServer server(Mode::kEcho);
  ws::Client client({.policy = Policy("127.0.0.0/8")});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/media?call=CA1"), recorder,
                            {{"X-Twilio-Signature", "c2lnbmF0dXJl"}});
  REQUIRE(recorder->WaitOpen());
  CHECK(server.RequestHeader("X-Twilio-Signature") == "c2lnbmF0dXJl");
  CHECK(server.RequestHeader("User-Agent") == "Dialtone-MediaStreams/1.0");
  CHECK(server.RequestHeader("Host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(server.RequestHeader("Sec-WebSocket-Extensions").empty());  // no permessage-deflate
  CHECK(server.RequestTarget() == "/media?call=CA1");
  connection->Close();
}

TEST_CASE("1000 text messages go out and come back in order, then Close ends it OK") {
  TestWsServer server(Mode::kEcho);
  ws::Client client({});
  RoundTrip(client, server.Url("/"), 1000);
  CHECK(server.Received().size() == 1000);
}

TEST_CASE("wss with the test CA trusted: the custom header and an ordered round trip") {
  TestWsServer server(Mode::kEcho, &Cert());
  ws::Client client({.extra_ca_file = Cert().cert_file()});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/tls"), recorder, {{"X-Twilio-Signature", "s"}});
  REQUIRE(recorder->WaitOpen());
  CHECK(server.RequestHeader("X-Twilio-Signature") == "s");
  connection->Close();
  RoundTrip(client, server.Url("/tls"), 1000);
}

TEST_CASE("wss to a server whose certificate is not trusted fails without OnOpen") {
  TestWsServer server(Mode::kEcho, &Cert());
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/"), recorder);
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->code() == absl::StatusCode::kUnavailable);
  CHECK_THAT(std::string(status->message()), Catch::Contains("certificate"));
  CHECK_FALSE(recorder->opened());
}

TEST_CASE("A close frame from the server ends the connection OK") {
  TestWsServer server(Mode::kCloseAtOnce);
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/"), recorder);
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->ok());
  CHECK(recorder->opened());
  CHECK_FALSE(connection->SendText("late"));
}

TEST_CASE("Close sends what is queued, then close 1000, and OnClose(OK) comes once") {
  TestWsServer server(Mode::kEcho);
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/"), recorder);
  REQUIRE(recorder->WaitOpen());
  for (const char* m : {"a", "b", "c"}) REQUIRE(connection->SendText(m));
  connection->Close();
  connection->Close();
  CHECK_FALSE(connection->SendText("after close"));
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->ok());
  CHECK(server.WaitCloseCode(milliseconds(2000)) == 1000);
  CHECK(server.Received() == std::vector<std::string>{"a", "b", "c"});
  std::this_thread::sleep_for(milliseconds(100));
  CHECK(recorder->closes() == 1);
}

TEST_CASE("Close before the upgrade completes still sends the queued frames, then close 1000") {
  TestWsServer server(Mode::kEcho);
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/"), recorder);
  REQUIRE(connection->SendText("early"));
  connection->Close();
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->ok());
  CHECK(recorder->opened());
  CHECK(server.WaitCloseCode(milliseconds(2000)) == 1000);
  CHECK(server.Received() == std::vector<std::string>{"early"});
}

TEST_CASE("Close to a server that never answers ends OK after about 2 s") {
  TestWsServer server(Mode::kStall);
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/"), recorder);
  REQUIRE(recorder->WaitOpen());
  auto start = Clock::now();
  connection->Close();
  auto status = recorder->WaitClose(milliseconds(5000));
  REQUIRE(status.has_value());
  CHECK(status->ok());
  CHECK(Clock::now() - start > milliseconds(1500));
  CHECK(Clock::now() - start < milliseconds(3500));
}

TEST_CASE("Nobody listening on the port: Unavailable, without OnOpen") {
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(
      client, "ws://127.0.0.1:" + std::to_string(dialtone::testing::FreePort()) + "/", recorder);
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->code() == absl::StatusCode::kUnavailable);
  CHECK_FALSE(recorder->opened());
}

TEST_CASE("A fetch policy refusing loopback: PermissionDenied, and no connection is made") {
  TestWsServer server(Mode::kEcho);
  ws::Client client({.policy = Policy("")});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/"), recorder);
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->code() == absl::StatusCode::kPermissionDenied);
  CHECK_THAT(std::string(status->message()), Catch::Contains("loopback"));
  std::this_thread::sleep_for(milliseconds(200));
  CHECK(server.connections() == 0);
}

TEST_CASE("A server that never reads: SendText never blocks, the bound ends it ResourceExhausted") {
  TestWsServer server(Mode::kStall);
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/"), recorder);
  REQUIRE(recorder->WaitOpen());
  const std::string frame(200, 'x');
  Clock::duration slowest{};
  int accepted = 0;
  size_t most_queued = 0;
  auto start = Clock::now();
  for (int i = 0; i < 100000; ++i) {
    auto before = Clock::now();
    if (connection->SendText(frame)) ++accepted;
    slowest = std::max(slowest, Clock::now() - before);
    if (i % 100 == 0) most_queued = std::max(most_queued, connection->queued_bytes());
  }
  auto total = Clock::now() - start;
  INFO("slowest SendText " << std::chrono::duration_cast<std::chrono::microseconds>(slowest).count()
                           << " us, all " << std::chrono::duration_cast<milliseconds>(total).count()
                           << " ms, accepted " << accepted);
  CHECK(slowest < milliseconds(50));
  CHECK(total < milliseconds(3000));
  CHECK(most_queued <= size_t{2} << 20);
  // The bound filled (2 MiB at least went in), then no more was taken.
  CHECK(accepted >= (2 << 20) / 200);
  CHECK(accepted < 100000);
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->code() == absl::StatusCode::kResourceExhausted);
}

TEST_CASE("An HTTP 404 instead of the upgrade: Unavailable naming 404") {
  TestWsServer server(Mode::kNotFound);
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/nope"), recorder);
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->code() == absl::StatusCode::kUnavailable);
  CHECK_THAT(std::string(status->message()), Catch::Contains("404"));
  CHECK_FALSE(recorder->opened());
}

TEST_CASE("A server that never answers the upgrade: DeadlineExceeded at connect_timeout") {
  TestWsServer server(Mode::kSilent);
  ws::Client client({.connect_timeout = absl::Milliseconds(300)});
  auto recorder = std::make_shared<Recorder>();
  auto start = Clock::now();
  auto connection = Connect(client, server.Url("/"), recorder);
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(Clock::now() - start < milliseconds(2000));
}

TEST_CASE("Pings keep a quiet live server's connection, a dead one ends DeadlineExceeded") {
  ws::Client client({.ping_interval = absl::Milliseconds(100)});
  TestWsServer live(Mode::kEcho);
  auto quiet = std::make_shared<Recorder>();
  auto kept = Connect(client, live.Url("/"), quiet);
  TestWsServer dead(Mode::kStall);
  auto silent = std::make_shared<Recorder>();
  auto lost = Connect(client, dead.Url("/"), silent);
  REQUIRE(quiet->WaitOpen());
  REQUIRE(silent->WaitOpen());
  auto status = silent->WaitClose(milliseconds(3000));
  REQUIRE(status.has_value());
  CHECK(status->code() == absl::StatusCode::kDeadlineExceeded);
  std::this_thread::sleep_for(milliseconds(600));  // 6 ping intervals without a message
  CHECK(quiet->closes() == 0);
  REQUIRE(kept->SendText("still here"));
  REQUIRE(quiet->WaitTexts(1));
}

TEST_CASE("A message over 1 MiB from the server fails the connection with InvalidArgument") {
  TestWsServer server(Mode::kEcho);
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  auto connection = Connect(client, server.Url("/"), recorder);
  REQUIRE(connection->SendText(std::string(ws::kMaxIncomingMessageBytes + 1, 'x')));
  auto status = recorder->WaitClose();
  REQUIRE(status.has_value());
  CHECK(status->code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Destroying the Client ends its connections with Cancelled, and they stay safe to use") {
  TestWsServer server(Mode::kEcho);
  auto recorder = std::make_shared<Recorder>();
  std::shared_ptr<ws::Connection> connection;
  Clock::time_point start;
  {
    ws::Client client({});
    connection = Connect(client, server.Url("/"), recorder);
    REQUIRE(recorder->WaitOpen());
    start = Clock::now();
  }
  CHECK(Clock::now() - start < milliseconds(1000));  // not held by a ping or close timer
  auto status = recorder->WaitClose(milliseconds(0));
  REQUIRE(status.has_value());
  CHECK(status->code() == absl::StatusCode::kCancelled);
  CHECK_FALSE(connection->SendText("after"));
  connection->Close();
  CHECK(recorder->closes() == 1);
}

TEST_CASE("Connect refuses a URL that is not ws:// or wss:// with a host") {
  ws::Client client({});
  auto recorder = std::make_shared<Recorder>();
  for (const char* url : {"http://app.example/media", "ws:///media", "app.example/media", ""}) {
    INFO(url);
    CHECK(client.Connect(url, {}, recorder).status().code() ==
          absl::StatusCode::kInvalidArgument);
  }
  CHECK(recorder->closes() == 0);
}
