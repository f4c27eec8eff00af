// OutboundTargetFor: SIP URIs go direct, numbers through the trunk, bad values get Twilio codes.
#include "sip/outbound_target.h"

#include <catch2/catch.hpp>

#include "calls/twiml_names.h"

namespace dialtone::call_router {
namespace {

constexpr char kLocal[] = "192.0.2.1:5060";

int CodeOf(const absl::StatusOr<OutboundTarget>& t) { return TwilioErrorCode(t.status()); }

TEST_CASE("A SIP URI is called directly", "[outbound]") {
  auto t = OutboundTargetFor("sip:alice@127.0.0.1:5070;transport=tcp", "+15557650000", "", kLocal);
  REQUIRE(t.ok());
  CHECK(t->request_uri == "sip:alice@127.0.0.1:5070;transport=tcp");
  CHECK(t->from_uri == "sip:+15557650000@192.0.2.1:5060");
  CHECK(t->proxy.empty());
  CHECK(t->is_sip);
}

TEST_CASE("A phone number goes through the trunk", "[outbound]") {
  auto t = OutboundTargetFor("+15551230000", "+15557650000", "sip:trunk.example.com:5080", kLocal);
  REQUIRE(t.ok());
  CHECK(t->request_uri == "sip:+15551230000@trunk.example.com:5080");
  CHECK(t->proxy == "sip:trunk.example.com:5080");
  CHECK_FALSE(t->is_sip);
}

TEST_CASE("A phone number without a trunk cannot be called", "[outbound]") {
  auto t = OutboundTargetFor("+15551230000", "+15557650000", "", kLocal);
  CHECK(absl::IsFailedPrecondition(t.status()));
}

TEST_CASE("Missing and malformed To and From get Twilio's codes", "[outbound]") {
  CHECK(CodeOf(OutboundTargetFor("", "+15557650000", "", kLocal)) == kErrorToMissing);
  CHECK(CodeOf(OutboundTargetFor("+15551230000", "", "sip:t", kLocal)) == kErrorFromMissing);
  CHECK(CodeOf(OutboundTargetFor("555-1234", "+15557650000", "sip:t", kLocal)) == kErrorInvalidTo);
  CHECK(CodeOf(OutboundTargetFor("sip:@host", "+15557650000", "", kLocal)) == kErrorInvalidTo);
  CHECK(CodeOf(OutboundTargetFor("sip:a@b>\r\nX-Evil: 1", "+15557650000", "", kLocal)) ==
        kErrorInvalidTo);
  CHECK(CodeOf(OutboundTargetFor("+15551230000", "not a number", "sip:t", kLocal)) ==
        kErrorInvalidFrom);
  CHECK(CodeOf(OutboundTargetFor("+15551230000", "sip:bob@example.com", "sip:t", kLocal)) ==
        kErrorInvalidFrom);
}

TEST_CASE("A SIP callee accepts a user name or SIP URI as From", "[outbound]") {
  auto named = OutboundTargetFor("sip:alice@example.com", "dialtone-demo", "", kLocal);
  REQUIRE(named.ok());
  CHECK(named->from_uri == "sip:dialtone-demo@192.0.2.1:5060");
  auto uri = OutboundTargetFor("sip:alice@example.com", "sip:bob@example.org", "", kLocal);
  REQUIRE(uri.ok());
  CHECK(uri->from_uri == "sip:bob@example.org");
}

}  // namespace
}  // namespace dialtone::call_router
