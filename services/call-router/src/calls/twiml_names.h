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
using twiml::ClientNoun;
using twiml::ConferenceNoun;
using twiml::Dial;
using twiml::DialNoun;
using twiml::Enqueue;
using twiml::Gather;
using twiml::GatherPrompt;
using twiml::Hangup;
using twiml::HttpMethod;
using twiml::HttpMethodName;
using twiml::kMaxLoop;
using twiml::Leave;
using twiml::Connect;
using twiml::Stop;
using twiml::StreamNoun;
using twiml::NumberNoun;
using twiml::Pause;
using twiml::Play;
using twiml::Program;
using twiml::QueueNoun;
using twiml::Record;
using twiml::Redirect;
using twiml::Reject;
using twiml::RejectReason;
using twiml::Say;
using twiml::SipNoun;
using twiml::StatusCallback;
using twiml::TwimlWarning;
using twiml::Verb;

// Parsing, errors and URLs.
using twiml::ClassifyContentType;
using twiml::DocumentKind;
using twiml::IsAbsoluteUrl;
using twiml::IsHttpUrl;
using twiml::kErrorBodyTooLarge;
using twiml::kErrorDocumentParse;
using twiml::kErrorInvalidContentType;
using twiml::kErrorSchemaValidation;
using twiml::kMaxTwimlBodyBytes;
using twiml::ParseTwiml;
using twiml::ProgramToJson;
using twiml::ResolveUrl;
using twiml::TwilioErrorCode;
using twiml::TwimlError;
using twiml::TwimlErrorLine;
using twiml::TwimlErrorToJson;

}  // namespace dialtone::call_router
