// Deterministic JSON of a parsed Program (golden tests, dialtonectl).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "dialtone/twiml/program.h"

namespace dialtone::twiml {

// The program as pretty-printed JSON: {"document_url", "verbs", "warnings"}.
// Each verb is an object {"verb": "Say", "line": 3, ...} whose other keys
// are Twilio's attribute names (camelCase) with every default filled in, plus
// "text", "url" or "nouns" for the verb's content. Same program, same bytes.
// Example: std::cout << ProgramToJson(*ParseTwiml(body, "text/xml", url));
// Pure, any thread.
std::string ProgramToJson(const Program& program);

// A failed parse as JSON: {"code": 12200, "line": 4, "message": "..."}
// ("line" is null when unknown), for dialtonectl twiml check.
std::string TwimlErrorToJson(const absl::Status& status);

}  // namespace dialtone::twiml
