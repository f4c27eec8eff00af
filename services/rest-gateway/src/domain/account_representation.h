// The Account resource as Twilio's API shows it (JSON, and the XML of the suffix-less form).
// Pure.
#pragma once

#include <string>

#include <boost/json/object.hpp>

#include "domain/account.h"

namespace dialtone::rest_gateway {

// Fields exactly as api.v2010.account in Twilio's OpenAPI: auth_token, date_created,
// date_updated (RFC 2822), friendly_name, owner_account_sid, sid, status, subresource_uris,
// type, uri.
boost::json::object AccountToJson(const Account& account);

// <TwilioResponse><Root>…</Root></TwilioResponse>, element names the PascalCase of the JSON
// keys (sid -> Sid, subresource_uris -> SubresourceUris), as Twilio's XML representation has.
std::string JsonToTwilioXml(const std::string& root, const boost::json::object& object);
// Just <root>…</root>, for the items of a list.
std::string JsonToXmlElement(const std::string& root, const boost::json::object& object);

}  // namespace dialtone::rest_gateway
