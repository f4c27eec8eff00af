// <Connect>, <Start> and <Stop>: their attributes, their one <Stream> and its <Parameter>s.
#include "stream_parser.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "attribute_reader.h"
#include "text_util.h"
#include "verb_parsers.h"

namespace dialtone::twiml {
namespace {

// Where a <Stream> is nested decides what it must and may say.
enum class StreamRole {
  kBidirectional,  // <Connect>: url required, inbound_track only
  kForked,         // <Start>: url required, any track
  kStopped,        // <Stop>: only the name counts
};

constexpr std::string_view kStreamTracks[] = {"inbound_track", "outbound_track", "both_tracks"};

// The nouns Twilio has besides <Stream>: refused by name, so that the message says "not
// supported" rather than "not allowed".
constexpr std::string_view kConnectNouns[] = {"Room",         "Autopilot",         "VirtualAgent",
                                              "Conversation", "ConversationRelay", "AiSession",
                                              "Assistant"};
constexpr std::string_view kStartNouns[] = {"Siprec", "Transcription", "Recording"};

bool IsText(const pugi::xml_node& node) {
  return node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata;
}

bool Contains(std::span<const std::string_view> names, std::string_view name) {
  for (std::string_view candidate : names) {
    if (name == candidate) return true;
  }
  return false;
}

// <Parameter name value/>: the stream's customParameters, in document order.
absl::Status ParseParameter(pugi::xml_node node, ParseContext& context, StreamNoun& stream) {
  AttributeReader attributes(node, context);
  std::string name = attributes.String("name", "");
  std::string value = attributes.String("value", "");
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  if (TrimAscii(name).empty()) return context.SchemaError(node, "needs a name");
  if (absl::Status status = CheckEmpty(node, context); !status.ok()) return status;
  stream.parameters.emplace_back(std::move(name), std::move(value));
  return absl::OkStatus();
}

absl::Status ParseStreamChildren(pugi::xml_node node, ParseContext& context, StreamNoun& stream) {
  bool warned_about_text = false;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) {
      if (std::string_view(child.name()) != "Parameter") {
        return context.SchemaError(child, "cannot be nested in <Stream> (only <Parameter> can)");
      }
      if (absl::Status status = ParseParameter(child, context, stream); !status.ok()) {
        return status;
      }
    } else if (IsText(child) && !warned_about_text && !TrimAscii(child.value()).empty()) {
      context.Warn(child, "text directly inside <Stream> is ignored");
      warned_about_text = true;
    }
  }
  return absl::OkStatus();
}

// <Stream> inside <Stop> selects the stream to stop by its name; what would describe a new
// stream is accepted, as Twilio does, and ignored with one warning.
absl::StatusOr<StreamNoun> ParseStoppedStream(pugi::xml_node node, ParseContext& context) {
  StreamNoun stream;
  stream.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  stream.name = attributes.String("name", "");
  bool ignored = false;
  for (const char* name :
       {"url", "track", "statusCallback", "statusCallbackMethod", "connectorName"}) {
    if (node.attribute(name)) ignored = true;
    attributes.String(name, "");  // read, so that Finish() does not call it unknown
  }
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  StreamNoun described;
  if (absl::Status status = ParseStreamChildren(node, context, described); !status.ok()) {
    return status;
  }
  if (ignored || !described.parameters.empty()) {
    context.Warn(node,
                 "inside <Stop> only the name selects the stream; its other attributes and "
                 "<Parameter>s are ignored");
  }
  return stream;
}

absl::StatusOr<StreamNoun> ParseStream(pugi::xml_node node, ParseContext& context,
                                       StreamRole role) {
  if (role == StreamRole::kStopped) return ParseStoppedStream(node, context);
  StreamNoun stream;
  stream.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  // Never resolved: a relative url names an http resource of the document's server, and
  // Twilio opens only WebSocket URLs (wss:// in production; ws:// is kept for local servers).
  stream.url = attributes.WebSocketUrl("url");
  stream.name = attributes.String("name", "");
  stream.track = attributes.OneOf("track", "inbound_track",
                                  {kStreamTracks[0], kStreamTracks[1], kStreamTracks[2]});
  stream.status_callback = attributes.Url("statusCallback", "");
  stream.status_callback_method = attributes.Method("statusCallbackMethod");
  attributes.Unsupported({"connectorName"});
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  if (stream.url.empty()) {
    return context.SchemaError(node, "needs a url (an absolute ws:// or wss:// URL)");
  }
  if (role == StreamRole::kBidirectional && stream.track != kStreamTracks[0]) {
    // Twilio's bidirectional streams carry the caller's audio only; the app's audio comes back.
    return context.SchemaError(
        node, absl::StrCat("track=", QuoteValue(stream.track),
                           " is invalid inside <Connect>: a bidirectional stream sends only "
                           "inbound_track"));
  }
  if (absl::Status status = ParseStreamChildren(node, context, stream); !status.ok()) {
    return status;
  }
  return stream;
}

// The one <Stream> of `node`; `twilio_nouns` are the other nouns Twilio accepts there.
absl::StatusOr<StreamNoun> ParseOnlyStream(pugi::xml_node node, ParseContext& context,
                                           StreamRole role,
                                           std::span<const std::string_view> twilio_nouns) {
  std::optional<StreamNoun> stream;
  bool warned_about_text = false;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) {
      const std::string_view name = child.name();
      if (Contains(twilio_nouns, name)) {
        return context.SchemaError(child, "is not supported by Dialtone");
      }
      if (name != "Stream") {
        return context.SchemaError(
            child, "cannot be nested in <" + ElementName(node) + "> (only <Stream> can)");
      }
      if (stream) {
        return context.SchemaError(child,
                                   "is a second <Stream>: <" + ElementName(node) + "> takes one");
      }
      absl::StatusOr<StreamNoun> parsed = ParseStream(child, context, role);
      if (!parsed.ok()) return parsed.status();
      stream = *std::move(parsed);
    } else if (IsText(child) && !warned_about_text && !TrimAscii(child.value()).empty()) {
      context.Warn(child, "text directly inside <" + ElementName(node) + "> is ignored");
      warned_about_text = true;
    }
  }
  if (!stream) return context.SchemaError(node, "needs a <Stream>");
  return *std::move(stream);
}

}  // namespace

absl::StatusOr<Connect> ParseConnect(pugi::xml_node node, ParseContext& context) {
  Connect connect;
  connect.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  connect.action = attributes.Url("action", "");
  connect.method = attributes.Method("method");
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  absl::StatusOr<StreamNoun> stream =
      ParseOnlyStream(node, context, StreamRole::kBidirectional, kConnectNouns);
  if (!stream.ok()) return stream.status();
  connect.stream = *std::move(stream);
  return connect;
}

absl::StatusOr<Start> ParseStart(pugi::xml_node node, ParseContext& context) {
  Start start;
  start.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  start.action = attributes.Url("action", "");
  start.method = attributes.Method("method");
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  absl::StatusOr<StreamNoun> stream =
      ParseOnlyStream(node, context, StreamRole::kForked, kStartNouns);
  if (!stream.ok()) return stream.status();
  start.stream = *std::move(stream);
  return start;
}

absl::StatusOr<Stop> ParseStop(pugi::xml_node node, ParseContext& context) {
  Stop stop;
  stop.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  absl::StatusOr<StreamNoun> stream =
      ParseOnlyStream(node, context, StreamRole::kStopped, kStartNouns);
  if (!stream.ok()) return stream.status();
  stop.stream = *std::move(stream);
  return stop;
}

}  // namespace dialtone::twiml
