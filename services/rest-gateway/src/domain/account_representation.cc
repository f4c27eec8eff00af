// Account JSON and the generic JSON -> Twilio XML rendering.
#include "domain/account_representation.h"

#include <boost/json.hpp>

#include "absl/time/time.h"
#include "domain/xml_text.h"

namespace dialtone::rest_gateway {
namespace {

std::string Rfc2822(absl::Time t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", t, absl::UTCTimeZone());
}

std::string Pascal(const std::string& snake) {
  std::string out;
  bool upper = true;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
    } else {
      out.push_back(upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
      upper = false;
    }
  }
  return out;
}

void AppendXml(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::object:
      for (const auto& [key, child] : v.get_object()) {
        std::string name = Pascal(std::string(key));
        out += "<" + name + ">";
        AppendXml(out, child);
        out += "</" + name + ">";
      }
      break;
    case boost::json::kind::string: out += XmlText(std::string(v.get_string())); break;
    case boost::json::kind::null: break;
    default: out += boost::json::serialize(v);
  }
}

}  // namespace

boost::json::object AccountToJson(const Account& a) {
  std::string base = "/2010-04-01/Accounts/" + a.sid;
  boost::json::object uris;
  for (const char* name : {"available_phone_numbers",
                           "calls",
                           "conferences",
                           "incoming_phone_numbers",
                           "notifications",
                           "outgoing_caller_ids",
                           "recordings",
                           "transcriptions",
                           "addresses",
                           "signing_keys",
                           "connect_apps",
                           "sip",
                           "authorized_connect_apps",
                           "usage",
                           "keys",
                           "applications",
                           "short_codes",
                           "queues",
                           "messages",
                           "balance"}) {
    std::string n(name);
    std::string segment = n == "short_codes" ? "SMS/ShortCodes" : Pascal(n);
    if (n == "sip") segment = "SIP";
    uris[n] = base + "/" + segment + ".json";
  }
  boost::json::object o;
  o["auth_token"] = a.auth_token;
  o["date_created"] = Rfc2822(a.date_created);
  o["date_updated"] = Rfc2822(a.date_updated);
  o["friendly_name"] = a.friendly_name;
  o["owner_account_sid"] = a.owner_account_sid;
  o["sid"] = a.sid;
  o["status"] = std::string(AccountStatusName(a.status));
  o["subresource_uris"] = std::move(uris);
  o["type"] = a.type;
  o["uri"] = base + ".json";
  return o;
}

std::string JsonToXmlElement(const std::string& root, const boost::json::object& object) {
  std::string out = "<" + root + ">";
  AppendXml(out, object);
  return out + "</" + root + ">";
}

std::string JsonToTwilioXml(const std::string& root, const boost::json::object& object) {
  return "<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse>" +
         JsonToXmlElement(root, object) + "</TwilioResponse>";
}

}  // namespace dialtone::rest_gateway
