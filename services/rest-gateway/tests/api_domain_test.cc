// REST building blocks: Basic credentials, Twilio paths, error bodies, the Account shape.
#include <catch2/catch.hpp>

#include <boost/json.hpp>
#include <fstream>

#include "domain/account_representation.h"
#include "domain/api_error.h"
#include "domain/api_route.h"
#include "domain/basic_auth.h"

using namespace dialtone::rest_gateway;

TEST_CASE("Basic credentials decode into Account SID and token") {
  // "ACxx:tok" in base64.
  auto c = ParseBasicAuth("Basic QUN4eDp0b2s=");
  REQUIRE(c.has_value());
  CHECK(c->username == "ACxx");
  CHECK(c->password == "tok");
  CHECK(ParseBasicAuth("basic QUN4eDp0b2s=").has_value());  // scheme is case-insensitive
  CHECK_FALSE(ParseBasicAuth("").has_value());
  CHECK_FALSE(ParseBasicAuth("Bearer QUN4eDp0b2s=").has_value());
  CHECK_FALSE(ParseBasicAuth("Basic !!!!").has_value());
  CHECK_FALSE(ParseBasicAuth("Basic QUN4eA==").has_value());  // "ACxx": no colon
  CHECK(DecodeBase64("YQ==") == std::string("a"));
  CHECK(DecodeBase64("YWI=") == std::string("ab"));
  CHECK_FALSE(DecodeBase64("Y===").has_value());
  CHECK_FALSE(DecodeBase64("YQ=a").has_value());
}

TEST_CASE("Twilio paths name the account, the resource and the format") {
  auto a = ParseApiRoute("/2010-04-01/Accounts/AC123.json");
  REQUIRE(a.has_value());
  CHECK(a->account_sid == "AC123");
  CHECK(a->resource.empty());
  CHECK(a->format == ResponseFormat::kJson);
  auto b = ParseApiRoute("/2010-04-01/Accounts/AC123/Calls/CA9.json?PageSize=5");
  REQUIRE(b.has_value());
  CHECK(b->resource == std::vector<std::string>{"Calls", "CA9"});
  auto c = ParseApiRoute("/2010-04-01/Accounts/AC123/Calls");
  REQUIRE(c.has_value());
  CHECK(c->format == ResponseFormat::kXml);
  CHECK_FALSE(ParseApiRoute("/2010-04-01/Accounts/").has_value());
  CHECK_FALSE(ParseApiRoute("/2010-04-01/Accounts/AC1//Calls").has_value());
  CHECK_FALSE(ParseApiRoute("/v1/Accounts/AC1.json").has_value());
}

TEST_CASE("Errors render as Twilio's JSON and XML") {
  auto json = boost::json::parse(ApiErrorJson(NotFoundError("/x.json"))).as_object();
  CHECK(json.at("code").as_int64() == 20404);
  CHECK(json.at("status").as_int64() == 404);
  CHECK(json.at("more_info").as_string() == "https://www.twilio.com/docs/errors/20404");
  CHECK(json.at("message").as_string() == "The requested resource /x.json was not found");
  std::string xml = ApiErrorXml(AuthenticationError());
  CHECK(xml.find("<Code>20003</Code>") != std::string::npos);
  CHECK(xml.find("<Status>401</Status>") != std::string::npos);
}

TEST_CASE("The Account JSON has exactly the fields of Twilio's OpenAPI schema") {
  Account a;
  a.sid = "AC0123456789abcdef0123456789abcdef";
  a.owner_account_sid = a.sid;
  a.friendly_name = "Demo & <Co>";
  a.auth_token = "tok";
  a.date_created = absl::FromUnixSeconds(1438286400);  // Thu, 30 Jul 2015 20:00:00
  a.date_updated = a.date_created;
  auto o = AccountToJson(a);
  CHECK(o.at("date_created").as_string() == "Thu, 30 Jul 2015 20:00:00 +0000");
  CHECK(o.at("uri").as_string() == "/2010-04-01/Accounts/" + a.sid + ".json");
  CHECK(o.at("status").as_string() == "active");

  std::ifstream spec(std::string(DIALTONE_OAI_SPEC));
  std::string text((std::istreambuf_iterator<char>(spec)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(text.empty());
  boost::json::value doc = boost::json::parse(text);
  const auto& schema =
      doc.at_pointer("/components/schemas/api.v2010.account/properties").as_object();
  for (const auto& [key, value] : schema) CHECK(o.contains(key));
  for (const auto& [key, value] : o) CHECK(schema.contains(key));
  // The subresource URIs match the spec's example one for one.
  const auto& example = doc.at_pointer(
                               "/paths/~12010-04-01~1Accounts~1{Sid}.json/get/responses/200/"
                               "content/application~1json/"
                               "examples/fetch/value/subresource_uris")
                            .as_object();
  for (const auto& [key, value] : example) {
    std::string expected(value.as_string());
    expected.replace(expected.find("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 34, a.sid);
    CHECK(o.at("subresource_uris").as_object().at(key).as_string() == expected);
  }

  std::string xml = JsonToTwilioXml("Account", o);
  CHECK(xml.find("<FriendlyName>Demo &amp; &lt;Co&gt;</FriendlyName>") != std::string::npos);
  CHECK(xml.find("<SubresourceUris><AvailablePhoneNumbers>") != std::string::npos);
}
