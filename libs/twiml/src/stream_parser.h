// Parsers for <Connect>, <Start> and <Stop> with their <Stream> noun (internal to domain).
#pragma once

#include "absl/status/statusor.h"
#include "dialtone/twiml/verbs.h"
#include "parse_context.h"
#include "pugixml.hpp"

namespace dialtone::twiml {

// Each reads one element whose name the dispatcher already matched, and exactly one nested
// <Stream>: with a ws:// or wss:// url and only inbound_track inside <Connect> (a bidirectional
// stream), with a url and any track inside <Start> (a forked stream), by name only inside
// <Stop>. The other nouns Twilio has for these verbs (<Room>, <ConversationRelay>, <Siprec>,
// <Transcription>, ...) are refused as not supported; any other element is not allowed. Errors
// are 12200.
// Example: <Connect action="/after"><Stream url="wss://app.example/s">
//            <Parameter name="caller" value="+15551230000"/></Stream></Connect>
// Pure, any thread.
absl::StatusOr<Connect> ParseConnect(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Start> ParseStart(pugi::xml_node node, ParseContext& context);
absl::StatusOr<Stop> ParseStop(pugi::xml_node node, ParseContext& context);

}  // namespace dialtone::twiml
