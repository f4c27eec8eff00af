// Parser for <Dial> and its nouns (internal to domain).
#pragma once

#include "absl/status/statusor.h"
#include "dialtone/twiml/verbs.h"
#include "parse_context.h"
#include "pugixml.hpp"

namespace dialtone::twiml {

// Reads <Dial>: its attributes and either a bare number or nouns (up to ten
// Number/Sip/Client, or one Conference or Queue alone). Errors are 12200.
// Example: <Dial action="/after"><Number sendDigits="1w2">+15551230000</Number></Dial>
// Pure, any thread.
absl::StatusOr<Dial> ParseDial(pugi::xml_node node, ParseContext& context);

}  // namespace dialtone::twiml
