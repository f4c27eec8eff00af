// A parsed TwiML document: the verbs to run and the warnings found.
#pragma once

#include <string>
#include <vector>

#include "dialtone/twiml/verbs.h"

namespace dialtone::twiml {

// Something Twilio would accept but flag, e.g. an unknown attribute.
struct TwimlWarning {
  int line = 0;
  std::string message;
};

// What ParseTwiml returns and the executor runs: verbs in document order,
// with every relative URL already resolved against `document_url`.
// Plain value, copyable; safe to share read-only across threads.
struct Program {
  std::string document_url;
  std::vector<Verb> verbs;
  std::vector<TwimlWarning> warnings;
};

}  // namespace dialtone::twiml
