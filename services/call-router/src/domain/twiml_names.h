// The TwiML language (libs/twiml) under the names the call router's code uses: the executor,
// the session and the API speak of Program, Say, Dial... as their own vocabulary.
#pragma once

#include "dialtone/twiml/content_type.h"
#include "dialtone/twiml/error.h"
#include "dialtone/twiml/nouns.h"
#include "dialtone/twiml/parser.h"
#include "dialtone/twiml/program.h"
#include "dialtone/twiml/program_json.h"
#include "dialtone/twiml/url.h"
#include "dialtone/twiml/verbs.h"

namespace dialtone::call_router {

// Documents and their verbs.
using twiml::Program;
using twiml::TwimlWarning;
using twiml::Verb;
using twiml::Say;
using twiml::Play;
using twiml::Pause;
using twiml::Gather;
using twiml::GatherPrompt;
using twiml::Record;
using twiml::Dial;
using twiml::DialNoun;
using twiml::NumberNoun;
using twiml::SipNoun;
using twiml::ClientNoun;
using twiml::ConferenceNoun;
using twiml::QueueNoun;
using twiml::Hangup;
using twiml::Redirect;
using twiml::Reject;
using twiml::RejectReason;
using twiml::Enqueue;
using twiml::Leave;
using twiml::HttpMethod;
using twiml::HttpMethodName;
using twiml::StatusCallback;
using twiml::kMaxLoop;

// Parsing, errors and URLs.
using twiml::ParseTwiml;
using twiml::kMaxTwimlBodyBytes;
using twiml::DocumentKind;
using twiml::ClassifyContentType;
using twiml::TwimlError;
using twiml::TwilioErrorCode;
using twiml::TwimlErrorLine;
using twiml::kErrorBodyTooLarge;
using twiml::kErrorDocumentParse;
using twiml::kErrorSchemaValidation;
using twiml::kErrorInvalidContentType;
using twiml::ProgramToJson;
using twiml::TwimlErrorToJson;
using twiml::IsAbsoluteUrl;
using twiml::IsHttpUrl;
using twiml::ResolveUrl;

}  // namespace dialtone::call_router
