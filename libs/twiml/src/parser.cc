// ParseTwiml: content type and size checks, XML well-formedness, and the
// dispatch of each child of <Response> to its verb parser.
#include "dialtone/twiml/parser.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "attribute_reader.h"
#include "dial_parser.h"
#include "dialtone/twiml/content_type.h"
#include "dialtone/twiml/error.h"
#include "parse_context.h"
#include "pugixml.hpp"
#include "stream_parser.h"
#include "text_util.h"
#include "verb_parsers.h"

namespace dialtone::twiml {
namespace {

// Verbs Twilio has that Dialtone does not run: refused by name, so that the
// message says "not supported" rather than "unknown".
constexpr std::string_view kUnsupportedVerbs[] = {"Refer", "Pay", "Prompt",
                                                  "Echo",  "Sms", "Message"};
constexpr std::string_view kDialNouns[] = {"Number", "Sip", "Client", "Conference", "Queue"};

bool IsOneOf(std::string_view name, const std::string_view* begin, const std::string_view* end) {
  for (; begin != end; ++begin) {
    if (name == *begin) return true;
  }
  return false;
}

bool IsText(const pugi::xml_node& node) {
  return node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata;
}

template <typename VerbType>
absl::Status Append(absl::StatusOr<VerbType> verb, Program& program) {
  if (!verb.ok()) return verb.status();
  program.verbs.emplace_back(*std::move(verb));
  return absl::OkStatus();
}

absl::Status ParseVerb(pugi::xml_node node, ParseContext& context, Program& program) {
  const std::string_view name = node.name();
  if (name == "Say") return Append(ParseSay(node, context), program);
  if (name == "Play") return Append(ParsePlay(node, context), program);
  if (name == "Pause") return Append(ParsePause(node, context), program);
  if (name == "Gather") return Append(ParseGather(node, context), program);
  if (name == "Record") return Append(ParseRecord(node, context), program);
  if (name == "Dial") return Append(ParseDial(node, context), program);
  if (name == "Hangup") return Append(ParseHangup(node, context), program);
  if (name == "Redirect") return Append(ParseRedirect(node, context), program);
  if (name == "Reject") return Append(ParseReject(node, context), program);
  if (name == "Enqueue") return Append(ParseEnqueue(node, context), program);
  if (name == "Leave") return Append(ParseLeave(node, context), program);
  if (name == "Connect") return Append(ParseConnect(node, context), program);
  if (name == "Start") return Append(ParseStart(node, context), program);
  if (name == "Stop") return Append(ParseStop(node, context), program);
  if (IsOneOf(name, std::begin(kUnsupportedVerbs), std::end(kUnsupportedVerbs))) {
    return context.SchemaError(node, "is not supported by Dialtone");
  }
  if (IsOneOf(name, std::begin(kDialNouns), std::end(kDialNouns))) {
    return context.SchemaError(node, "must be nested in <Dial>");
  }
  if (name == "Stream") {
    return context.SchemaError(node, "must be nested in <Connect>, <Start> or <Stop>");
  }
  return context.SchemaError(node, "is not a TwiML verb (names are case-sensitive)");
}

absl::StatusOr<pugi::xml_node> FindResponse(const pugi::xml_document& document,
                                            ParseContext& context) {
  pugi::xml_node root;
  for (pugi::xml_node child : document.children()) {
    if (child.type() == pugi::node_element) {
      if (root) {
        const int line = context.LineOf(child);
        return TwimlError(
            kErrorDocumentParse,
            absl::StrCat("line ", line, ": a second root element <", ElementName(child), ">"),
            line);
      }
      root = child;
    }
  }
  // pugixml drops text outside the root element instead of failing, so such
  // text is tolerated (Twilio would say 12100); everything else is checked.
  if (!root) return TwimlError(kErrorDocumentParse, "no <Response> element");
  if (std::string_view(root.name()) != "Response") {
    const int line = context.LineOf(root);
    return TwimlError(kErrorDocumentParse,
                      absl::StrCat("line ", line, ": the root element is <", ElementName(root),
                                   ">, not <Response>"),
                      line);
  }
  return root;
}

absl::StatusOr<Program> ParseXml(std::string_view body, std::string_view document_url) {
  Program program;
  program.document_url = std::string(document_url);
  ParseContext context(body, document_url, &program.warnings);
  pugi::xml_document document;
  const pugi::xml_parse_result parsed =
      document.load_buffer(body.data(), body.size(), pugi::parse_default);
  if (!parsed) {
    const int line = context.LineOfOffset(parsed.offset);
    return TwimlError(
        kErrorDocumentParse,
        absl::StrCat("line ", line, ": XML is not well-formed: ", parsed.description()), line);
  }
  absl::StatusOr<pugi::xml_node> response = FindResponse(document, context);
  if (!response.ok()) return response.status();
  AttributeReader attributes(*response, context);
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  size_t elements = 0;
  for (pugi::xml_node child : response->children()) elements += child.type() == pugi::node_element;
  program.verbs.reserve(elements);
  bool warned_about_text = false;
  for (pugi::xml_node child : response->children()) {
    if (child.type() == pugi::node_element) {
      if (absl::Status status = ParseVerb(child, context, program); !status.ok()) {
        return status;
      }
    } else if (IsText(child) && !warned_about_text && !TrimAscii(child.value()).empty()) {
      context.Warn(child, "text outside a verb is ignored");
      warned_about_text = true;
    }
  }
  return program;
}

}  // namespace

absl::StatusOr<Program> ParseTwiml(std::string_view body, std::string_view content_type,
                                   std::string_view document_url) {
  absl::StatusOr<DocumentKind> kind = ClassifyContentType(content_type);
  if (!kind.ok()) return kind.status();
  if (*kind == DocumentKind::kAudio) {
    // Twilio plays an audio response and hangs up; the media layer fetches
    // it again (through its cache), so the body itself is not needed here.
    Program program;
    program.document_url = std::string(document_url);
    Play play;
    play.url = std::string(document_url);
    program.verbs = {std::move(play), Hangup{}};
    return program;
  }
  if (body.size() > kMaxTwimlBodyBytes) {
    return TwimlError(kErrorBodyTooLarge,
                      absl::StrCat("the response body has ", body.size(),
                                   " bytes; TwiML is limited to ", kMaxTwimlBodyBytes));
  }
  if (*kind == DocumentKind::kPlainText) {
    // Twilio reads a text/plain response out and hangs up.
    Program program;
    program.document_url = std::string(document_url);
    Say say;
    say.text = std::string(TrimAscii(body));
    program.verbs = {std::move(say), Hangup{}};
    return program;
  }
  return ParseXml(body, document_url);
}

}  // namespace dialtone::twiml
