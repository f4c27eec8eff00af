// Parsers for each TwiML verb but <Dial>, <Connect>, <Start> and <Stop> (internal to domain).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "dialtone/twiml/verbs.h"
#include "parse_context.h"
#include "pugixml.hpp"

namespace dialtone::twiml {

// Each reads one element whose name it already matched: attributes, text
// and nested elements, with Twilio's defaults. Errors are 12200.
// Pure, any thread.
absl::StatusOr<Say> ParseSay(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Play> ParsePlay(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Pause> ParsePause(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Gather> ParseGather(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Record> ParseRecord(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Redirect> ParseRedirect(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Reject> ParseReject(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Enqueue> ParseEnqueue(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Hangup> ParseHangup(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Leave> ParseLeave(pugi::xml_node node, ParseContext& context);

// The trimmed text of an element that may hold no elements (12200 if it does).
absl::StatusOr<std::string> LeafText(pugi::xml_node node, ParseContext& context);

// For verbs that take no content: text is warned about and ignored, a nested
// element is error 12200.
absl::Status CheckEmpty(pugi::xml_node node, ParseContext& context);

}  // namespace dialtone::twiml
