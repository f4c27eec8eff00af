// http::Client against a real local HTTP server (tests/lib/app_server.py): signing, GET and POST
// wire forms, redirects, limits, timeouts and the Twilio code of each failure by purpose.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include <boost/json.hpp>

#include "dialtone/core/twilio_error.h"
#include "dialtone/http/client.h"
#include "dialtone/testing/test_env.h"
#include "dialtone/webhook/form_encoding.h"
#include "dialtone/webhook/signature.h"

namespace http = dialtone::http;
namespace dt = dialtone::testing;
using dialtone::core::TwilioCodeOf;

namespace {

constexpr char kToken[] = "12345678901234567890123456789012";

dt::AppServer& Server() {
  static dt::AppServer server(DIALTONE_SOURCE_DIR);
  return server;
}

http::Client& Client() {
  static http::Client client;
  return client;
}

void Reset() {
  REQUIRE(Client().Fetch({.url = Server().Url("/_reset"), .method = http::Method::kPost}).ok());
}

// The requests the server saw, oldest first.
boost::json::array Seen() {
  auto r = Client().Fetch({.url = Server().Url("/_requests")});
  REQUIRE(r.ok());
  return boost::json::parse(r->body).as_array();
}

std::string HeaderOf(const boost::json::value& request, const char* name) {
  const auto& headers = request.at("headers").as_object();
  auto it = headers.find(name);
  return it == headers.end() ? "" : std::string(it->value().as_string());
}

}  // namespace

TEST_CASE("A POST carries the form body and a signature the application can check") {
  Reset();
  auto r = Client().Fetch({.url = Server().Url("/twiml"),
                           .method = http::Method::kPost,
                           .params = {{"CallSid", "CA1"}, {"To", "+15005550001"}},
                           .auth_token = kToken});
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->content_type == "text/xml; charset=utf-8");
  CHECK(r->Header("content-type") == "text/xml; charset=utf-8");
  CHECK(r->body.find("Hello from the app") != std::string::npos);
  auto seen = Seen();
  REQUIRE(seen.size() == 1);
  const auto& req = seen[0];
  CHECK(req.at("method").as_string() == "POST");
  auto params = dialtone::webhook::FormDecode(std::string(req.at("body").as_string()));
  REQUIRE(params.ok());
  CHECK(dialtone::webhook::ValidateTwilioSignature(kToken, Server().Url("/twiml"), *params,
                                                   HeaderOf(req, "x-twilio-signature")));
}

TEST_CASE("A GET carries its parameters in the query, and without a token no signature") {
  Reset();
  auto r = Client().Fetch({.url = Server().Url("/twiml"), .params = {{"Digits", "12#"}}});
  REQUIRE(r.ok());
  auto seen = Seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].at("method").as_string() == "GET");
  CHECK(seen[0].at("path").as_string() == "/twiml?Digits=12%23");
  CHECK(HeaderOf(seen[0], "x-twilio-signature").empty());
}

TEST_CASE("A PUT carries its body as is, HEAD and DELETE none; SigV4 signs with the given key") {
  Reset();
  http::AwsSigV4 sig{.provider = "aws:amz:eu-west-3:s3", .access_key = "AK1", .secret_key = "SK"};
  auto put = Client().Fetch({.url = Server().Url("/bucket/blob"),
                             .method = http::Method::kPut,
                             .body = std::string("a\0b", 3),
                             .aws_sigv4 = sig,
                             .headers = {{"Content-Type", "application/octet-stream"}}});
  REQUIRE(put.ok());
  REQUIRE(
      Client().Fetch({.url = Server().Url("/bucket/blob"), .method = http::Method::kHead}).ok());
  REQUIRE(
      Client().Fetch({.url = Server().Url("/bucket/blob"), .method = http::Method::kDelete}).ok());
  auto seen = Seen();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].at("method").as_string() == "PUT");
  CHECK(seen[0].at("body").as_string().size() == 3);
  CHECK(HeaderOf(seen[0], "content-type") == "application/octet-stream");
  std::string auth = HeaderOf(seen[0], "authorization");
  CHECK(auth.rfind("AWS4-HMAC-SHA256 Credential=AK1/", 0) == 0);
  CHECK(auth.find("/eu-west-3/s3/aws4_request") != std::string::npos);
  CHECK_FALSE(HeaderOf(seen[0], "x-amz-date").empty());
  CHECK(seen[1].at("method").as_string() == "HEAD");
  CHECK(seen[2].at("method").as_string() == "DELETE");
  CHECK(HeaderOf(seen[2], "authorization").empty());
}

TEST_CASE("Any HTTP answer is a response, 4xx and 5xx included") {
  auto r = Client().Fetch({.url = Server().Url("/error")});
  REQUIRE(r.ok());
  CHECK(r->status == 500);
  CHECK_FALSE(r->ok());
  CHECK(r->body == "oops");
}

TEST_CASE("Redirects are followed as a GET when allowed, and a loop is a failure") {
  Reset();
  auto r = Client().Fetch({.url = Server().Url("/redirect"),
                           .method = http::Method::kPost,
                           .params = {{"A", "1"}},
                           .max_redirects = 3});
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->url == Server().Url("/twiml"));
  auto seen = Seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].at("method").as_string() == "GET");
  CHECK(seen[1].at("path").as_string() == "/twiml");

  auto not_followed = Client().Fetch({.url = Server().Url("/redirect")});
  REQUIRE(not_followed.ok());
  CHECK(not_followed->status == 302);

  auto loop = Client().Fetch({.url = Server().Url("/redirect-loop"), .max_redirects = 3});
  REQUIRE_FALSE(loop.ok());
  CHECK(http::FailureOf(loop.status()) == http::Failure::kTooManyRedirects);
  CHECK(TwilioCodeOf(loop.status()) == 11215);
}

TEST_CASE("A body over the limit fails; a dropped body is not counted") {
  auto webhook = Client().Fetch({.url = Server().Url("/big"), .max_body_bytes = 64 * 1024});
  REQUIRE_FALSE(webhook.ok());
  CHECK(TwilioCodeOf(webhook.status()) == 11750);
  auto media = Client().Fetch(
      {.url = Server().Url("/big"), .purpose = http::Purpose::kMedia, .max_body_bytes = 1024});
  REQUIRE_FALSE(media.ok());
  CHECK(TwilioCodeOf(media.status()) == 11200);
  auto dropped =
      Client().Fetch({.url = Server().Url("/big"), .max_body_bytes = 10, .keep_body = false});
  REQUIRE(dropped.ok());
  CHECK(dropped->status == 200);
  CHECK(dropped->body.empty());
  // A body of a type that is dropped is not refused for its size (an audio answer to a webhook).
  auto big_skipped = Client().Fetch(
      {.url = Server().Url("/big"), .max_body_bytes = 64 * 1024, .skip_body_for_type = "text/"});
  REQUIRE(big_skipped.ok());
  CHECK(big_skipped->status == 200);
  CHECK(big_skipped->body.empty());
  auto skipped = Client().Fetch({.url = Server().Url("/twiml"), .skip_body_for_type = "text/"});
  REQUIRE(skipped.ok());
  CHECK(skipped->body.empty());
  CHECK(skipped->content_type == "text/xml; charset=utf-8");
}

TEST_CASE("A slow answer times out with the purpose's code") {
  http::Request slow{.url = Server().Url("/slow"),
                     .headers = {{"X-Delay", "2"}},
                     .total_timeout = absl::Milliseconds(300)};
  auto webhook = Client().Fetch(slow);
  REQUIRE_FALSE(webhook.ok());
  CHECK(http::FailureOf(webhook.status()) == http::Failure::kTimeout);
  CHECK(TwilioCodeOf(webhook.status()) == 11205);
  slow.purpose = http::Purpose::kMedia;
  auto media = Client().Fetch(slow);
  CHECK(TwilioCodeOf(media.status()) == 11200);
}

TEST_CASE("A refused connection is tried again, then fails with 11205") {
  const int closed = dt::FreePort();
  auto started = std::chrono::steady_clock::now();
  auto r = Client().Fetch(
      {.url = "http://127.0.0.1:" + std::to_string(closed) + "/x", .connect_attempts = 2});
  REQUIRE_FALSE(r.ok());
  CHECK(http::FailureOf(r.status()) == http::Failure::kConnect);
  CHECK(TwilioCodeOf(r.status()) == 11205);
  CHECK(std::string(r.status().message()).find(std::to_string(closed)) != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
}

TEST_CASE("URLs that are not http(s) fail before any request") {
  auto webhook = Client().Fetch({.url = "ftp://127.0.0.1/file"});
  CHECK(TwilioCodeOf(webhook.status()) == 11206);
  auto media = Client().Fetch({.url = "ftp://127.0.0.1/file", .purpose = http::Purpose::kMedia});
  CHECK(TwilioCodeOf(media.status()) == 11100);
  CHECK(media.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("Many requests in flight all complete") {
  std::mutex mu;
  std::condition_variable cv;
  int done = 0, ok = 0;
  constexpr int kRequests = 40;
  for (int i = 0; i < kRequests; ++i) {
    Client().Send({.url = Server().Url("/twiml"), .params = {{"N", std::to_string(i)}}},
                  [&](absl::StatusOr<http::Response> r) {
                    std::lock_guard lock(mu);
                    ++done;
                    if (r.ok() && r->status == 200) ++ok;
                    cv.notify_all();
                  });
  }
  std::unique_lock lock(mu);
  REQUIRE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return done == kRequests; }));
  CHECK(ok == kRequests);
}

namespace {

std::shared_ptr<const http::FetchPolicy> Policy(const std::string& allow) {
  return std::make_shared<const http::FetchPolicy>(*http::FetchPolicy::Parse(allow));
}

int ServerPort() {
  const std::string url = Server().Url("/");
  return std::stoi(url.substr(url.rfind(':') + 1));
}

}  // namespace

TEST_CASE("Under a fetch policy a loopback URL is refused before any connection, as 11205") {
  Reset();
  http::Client strict({.policy = Policy("")});
  auto r = strict.Fetch({.url = Server().Url("/twiml"), .method = http::Method::kPost});
  REQUIRE_FALSE(r.ok());
  CHECK(http::FailureOf(r.status()) == http::Failure::kConnect);
  CHECK(TwilioCodeOf(r.status()) == 11205);
  CHECK(r.status().message().find("refused by the fetch policy") != std::string::npos);
  CHECK(r.status().message().find("loopback") != std::string::npos);
  auto media = strict.Fetch(
      {.url = Server().Url("/twiml"), .purpose = http::Purpose::kMedia, .connect_attempts = 3});
  REQUIRE_FALSE(media.ok());
  CHECK(TwilioCodeOf(media.status()) == 11205);
  // Other spellings of 127.0.0.1 resolve to it and are refused the same.
  const std::string port = std::to_string(ServerPort());
  for (const std::string host : {"2130706433", "0x7f000001", "0177.0.0.1", "127.1", "localhost"}) {
    INFO(host);
    auto spelled = strict.Fetch({.url = "http://" + host + ":" + port + "/twiml"});
    REQUIRE_FALSE(spelled.ok());
    CHECK(http::FailureOf(spelled.status()) == http::Failure::kConnect);
  }
  CHECK(Seen().empty());  // the listener saw none of them

  http::Client allowed({.policy = Policy("127.0.0.0/8")});
  auto ok = allowed.Fetch({.url = "http://0177.0.0.1:" + port + "/twiml"});
  REQUIRE(ok.ok());
  CHECK(ok->status == 200);
}

TEST_CASE("A redirect from an allowed address to a refused one is refused") {
  Reset();
  const std::string port = std::to_string(ServerPort());
  http::Client client({.policy = Policy("127.0.0.1:" + port)});
  auto r =
      client.Fetch({.url = Server().Url("/redirect-to?url=http://127.0.0.2:" + port + "/twiml"),
                    .max_redirects = 3});
  REQUIRE_FALSE(r.ok());
  CHECK(http::FailureOf(r.status()) == http::Failure::kConnect);
  CHECK(r.status().message().find("127.0.0.2") != std::string::npos);
  CHECK(Seen().size() == 1);  // the redirect only
  auto same = client.Fetch({.url = Server().Url("/redirect"), .max_redirects = 3});
  REQUIRE(same.ok());  // to an allowed address it is followed
  CHECK(same->status == 200);
}
