// The application HTTP client against a real local HTTP server (tests/lib/app_server.py):
// success, redirects, errors, timeouts, wrong content types and refused connections, each
// ending at the fallback URL with Twilio's ErrorCode; every request correctly signed.
#include <catch2/catch.hpp>

#include <curl/curl.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "calls/app_http_client.h"
#include "calls/twiml_names.h"
#include "dialtone/testing/test_env.h"
#include "dialtone/webhook/form_encoding.h"
#include "dialtone/webhook/signature.h"

using dialtone::call_router::AppHttpClient;
using dialtone::call_router::HttpMethod;
using dialtone::call_router::TwilioErrorCode;
namespace dt = dialtone::testing;

namespace {

constexpr char kToken[] = "12345678901234567890123456789012";

// The app server of this test binary, started once.
dt::AppServer& Server() {
  static dt::AppServer server(DIALTONE_SOURCE_DIR);
  return server;
}

size_t Collect(char* d, size_t s, size_t n, void* out) {
  static_cast<std::string*>(out)->append(d, s * n);
  return s * n;
}

std::string HttpGet(const std::string& url, const char* method = "GET") {
  CURL* c = curl_easy_init();
  std::string body;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_perform(c);
  curl_easy_cleanup(c);
  return body;
}

boost::json::array Requests() {
  return boost::json::parse(HttpGet(Server().Url("/_requests"))).as_array();
}

void Reset() { HttpGet(Server().Url("/_reset"), "POST"); }

AppHttpClient::DocumentResult Fetch(AppHttpClient& client, AppHttpClient::DocumentRequest req) {
  std::promise<AppHttpClient::DocumentResult> p;
  auto f = p.get_future();
  client.FetchDocument(std::move(req),
                       [&](AppHttpClient::DocumentResult r) { p.set_value(std::move(r)); });
  if (f.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
    throw std::runtime_error("fetch never completed");
  }
  return f.get();
}

AppHttpClient::DocumentRequest Req(const std::string& path, const std::string& fallback = "") {
  return {.url = Server().Url(path),
          .method = HttpMethod::kPost,
          .params = {{"CallSid", "CA0123456789abcdef0123456789abcdef"},
                     {"From", "+15005550006"},
                     {"To", "+15005550001"},
                     {"CallStatus", "ringing"}},
          .auth_token = kToken,
          .fallback_url = fallback.empty() ? "" : Server().Url(fallback)};
}

std::string Param(const boost::json::object& request, const std::string& name) {
  auto params = dialtone::webhook::FormDecode(std::string(request.at("body").as_string()));
  REQUIRE(params.ok());
  for (const auto& [k, v] : *params) {
    if (k == name) return v;
  }
  return "";
}

AppHttpClient::Options Fast() {
  AppHttpClient::Options o;
  o.connect_timeout = absl::Milliseconds(500);
  o.total_timeout = absl::Seconds(1);
  return o;
}

}  // namespace

TEST_CASE("A TwiML document is fetched by a signed POST with the voice parameters") {
  Reset();
  AppHttpClient client(Fast());
  auto r = Fetch(client, Req("/twiml"));
  REQUIRE(r.program.ok());
  CHECK_FALSE(r.from_fallback);
  auto reqs = Requests();
  REQUIRE(reqs.size() == 1);
  const auto& got = reqs[0].as_object();
  CHECK(got.at("method").as_string() == "POST");
  CHECK(Param(got, "CallSid") == "CA0123456789abcdef0123456789abcdef");
  CHECK(Param(got, "CallStatus") == "ringing");
  std::string sig(got.at("headers").as_object().at("x-twilio-signature").as_string());
  auto params = dialtone::webhook::FormDecode(std::string(got.at("body").as_string()));
  CHECK(dialtone::webhook::ValidateTwilioSignature(kToken, Server().Url("/twiml"), *params, sig));
  CHECK_FALSE(dialtone::webhook::ValidateTwilioSignature("wrong-token", Server().Url("/twiml"),
                                                         *params, sig));
}

TEST_CASE("A GET request carries the parameters in its signed query string") {
  Reset();
  AppHttpClient client(Fast());
  auto req = Req("/twiml");
  req.method = HttpMethod::kGet;
  auto r = Fetch(client, req);
  REQUIRE(r.program.ok());
  auto got = Requests()[0].as_object();
  CHECK(got.at("method").as_string() == "GET");
  std::string path(got.at("path").as_string());
  CHECK(path.find("CallSid=CA0123456789abcdef0123456789abcdef") != std::string::npos);
  std::string sig(got.at("headers").as_object().at("x-twilio-signature").as_string());
  CHECK(dialtone::webhook::ValidateTwilioSignature(kToken, Server().Url(path), {}, sig));
}

TEST_CASE("A redirect is followed and the document comes from its target") {
  Reset();
  AppHttpClient client(Fast());
  auto r = Fetch(client, Req("/redirect"));
  REQUIRE(r.program.ok());
  CHECK(r.document_url == Server().Url("/twiml"));
  CHECK(Requests().size() == 2);
}

TEST_CASE("A redirect loop ends with 11215 at the fallback") {
  Reset();
  AppHttpClient client(Fast());
  auto r = Fetch(client, Req("/redirect-loop", "/fallback"));
  REQUIRE(r.program.ok());
  CHECK(r.from_fallback);
  CHECK(r.primary_error_code == 11215);
}

TEST_CASE("A 500 sends the fallback URL ErrorCode 11200 and ErrorUrl") {
  Reset();
  AppHttpClient client(Fast());
  auto r = Fetch(client, Req("/error", "/fallback"));
  REQUIRE(r.program.ok());
  CHECK(r.from_fallback);
  CHECK(r.document_url == Server().Url("/fallback"));
  auto reqs = Requests();
  REQUIRE(reqs.size() == 2);
  const auto& fb = reqs[1].as_object();
  CHECK(std::string(fb.at("path").as_string()) == "/fallback");
  CHECK(Param(fb, "ErrorCode") == "11200");
  CHECK(Param(fb, "ErrorUrl") == Server().Url("/error"));
  CHECK(Param(fb, "CallSid") == "CA0123456789abcdef0123456789abcdef");
}

TEST_CASE("A 500 without a fallback fails with 11200") {
  Reset();
  AppHttpClient client(Fast());
  auto r = Fetch(client, Req("/error"));
  REQUIRE_FALSE(r.program.ok());
  CHECK(TwilioErrorCode(r.program.status()) == 11200);
}

TEST_CASE("A slow application times out with 11205 and the fallback answers") {
  Reset();
  AppHttpClient client(Fast());
  auto start = std::chrono::steady_clock::now();
  auto r = Fetch(client, Req("/slow", "/fallback"));
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(r.program.ok());
  CHECK(r.from_fallback);
  CHECK(r.primary_error_code == 11205);
  CHECK(took < std::chrono::milliseconds(2500));  // the 1 s budget, not the app's 3 s
}

TEST_CASE("A non-XML content type is 12300 at the fallback") {
  Reset();
  AppHttpClient client(Fast());
  auto r = Fetch(client, Req("/json", "/fallback"));
  REQUIRE(r.program.ok());
  CHECK(r.primary_error_code == 12300);
}

TEST_CASE("A body over 64 kB is 11750 and broken XML is 12100") {
  Reset();
  AppHttpClient client(Fast());
  auto big = Fetch(client, Req("/big"));
  REQUIRE_FALSE(big.program.ok());
  CHECK(TwilioErrorCode(big.program.status()) == 11750);
  auto bad = Fetch(client, Req("/bad-xml", "/fallback"));
  REQUIRE(bad.program.ok());
  CHECK(bad.primary_error_code == 12100);
}

TEST_CASE("A refused connection ends with 11205 at the fallback") {
  Reset();
  AppHttpClient client(Fast());
  auto req = Req("/twiml", "/fallback");
  req.url = "http://127.0.0.1:" + std::to_string(dt::FreePort()) + "/voice";
  auto r = Fetch(client, req);
  REQUIRE(r.program.ok());
  CHECK(r.from_fallback);
  CHECK(r.primary_error_code == 11205);
  auto reqs = Requests();
  REQUIRE(reqs.size() == 1);
  CHECK(Param(reqs[0].as_object(), "ErrorUrl") == req.url);
}

TEST_CASE("Status callbacks are signed POSTs and report the outcome") {
  Reset();
  AppHttpClient client(Fast());
  std::promise<absl::Status> ok, bad;
  client.SendCallback({.url = Server().Url("/callback"),
                       .params = {{"CallStatus", "completed"}, {"SequenceNumber", "3"}},
                       .auth_token = kToken},
                      [&](absl::Status s) { ok.set_value(s); });
  client.SendCallback({.url = Server().Url("/error"), .auth_token = kToken},
                      [&](absl::Status s) { bad.set_value(s); });
  CHECK(ok.get_future().get().ok());
  CHECK(TwilioErrorCode(bad.get_future().get()) == 11200);
  bool found = false;
  for (const auto& r : Requests()) {
    const auto& o = r.as_object();
    if (o.at("path").as_string() == "/callback") {
      found = true;
      CHECK(Param(o, "SequenceNumber") == "3");
    }
  }
  CHECK(found);
}

TEST_CASE("Many concurrent fetches all complete") {
  AppHttpClient client(Fast());
  std::vector<std::future<AppHttpClient::DocumentResult>> futures;
  std::vector<std::shared_ptr<std::promise<AppHttpClient::DocumentResult>>> promises;
  for (int i = 0; i < 50; ++i) {
    auto p = std::make_shared<std::promise<AppHttpClient::DocumentResult>>();
    futures.push_back(p->get_future());
    client.FetchDocument(Req("/twiml"),
                         [p](AppHttpClient::DocumentResult r) { p->set_value(std::move(r)); });
  }
  int ok = 0;
  for (auto& f : futures) ok += f.get().program.ok();
  CHECK(ok == 50);
}
