// <Dial> attributes and the Number, Sip, Client, Conference and Queue nouns.
#include "dial_parser.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "attribute_reader.h"
#include "text_util.h"
#include "verb_parsers.h"

namespace dialtone::twiml {
namespace {

constexpr size_t kMaxCallNouns = 10;  // Twilio rings at most ten at once

StatusCallback CallProgressCallback(AttributeReader& attributes) {
  return attributes.Callback("statusCallback", "statusCallbackMethod", "statusCallbackEvent",
                             "completed", {"initiated", "ringing", "answered", "completed"});
}

void IgnoreMachineDetection(AttributeReader& attributes) {
  attributes.Unsupported({"machineDetection", "machineDetectionTimeout",
                          "machineDetectionSpeechThreshold", "machineDetectionSpeechEndThreshold",
                          "machineDetectionSilenceTimeout", "amdStatusCallback",
                          "amdStatusCallbackMethod"});
}

// Reads a noun's text (required) after its attributes.
absl::StatusOr<std::string> RequiredText(pugi::xml_node node, ParseContext& context,
                                         AttributeReader& attributes) {
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  absl::StatusOr<std::string> text = LeafText(node, context);
  if (text.ok() && text->empty()) return context.SchemaError(node, "is empty");
  return text;
}

absl::StatusOr<DialNoun> ParseNumber(pugi::xml_node node, ParseContext& context) {
  NumberNoun number;
  AttributeReader attributes(node, context);
  number.send_digits = attributes.Keys("sendDigits", "", "0123456789#*wW", 1000);
  number.url = attributes.Url("url", "");
  number.method = attributes.Method("method");
  number.status_callback = CallProgressCallback(attributes);
  attributes.Unsupported({"byoc"});
  IgnoreMachineDetection(attributes);
  absl::StatusOr<std::string> text = RequiredText(node, context, attributes);
  if (!text.ok()) return text.status();
  number.number = *std::move(text);
  return number;
}

absl::StatusOr<DialNoun> ParseSip(pugi::xml_node node, ParseContext& context) {
  SipNoun sip;
  AttributeReader attributes(node, context);
  sip.username = attributes.String("username", "");
  sip.password = attributes.String("password", "");
  sip.url = attributes.Url("url", "");
  sip.method = attributes.Method("method");
  sip.status_callback = CallProgressCallback(attributes);
  IgnoreMachineDetection(attributes);
  absl::StatusOr<std::string> text = RequiredText(node, context, attributes);
  if (!text.ok()) return text.status();
  if (!StartsWithIgnoreCase(*text, "sip:") && !StartsWithIgnoreCase(*text, "sips:")) {
    return context.SchemaError(node,
                               absl::StrCat(QuoteValue(*text), " is not a sip: or sips: URI"));
  }
  sip.uri = *std::move(text);
  return sip;
}

absl::StatusOr<DialNoun> ParseClient(pugi::xml_node node, ParseContext& context) {
  ClientNoun client;
  AttributeReader attributes(node, context);
  client.url = attributes.Url("url", "");
  client.method = attributes.Method("method");
  client.status_callback = CallProgressCallback(attributes);
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  std::string text;
  for (pugi::xml_node child : node.children()) {
    const std::string_view name = child.name();
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    } else if (child.type() != pugi::node_element) {
      continue;
    } else if (name == "Identity") {
      absl::StatusOr<std::string> identity = LeafText(child, context);
      if (!identity.ok()) return identity.status();
      client.identity = *std::move(identity);
    } else if (name == "Parameter") {
      AttributeReader parameter(child, context);
      std::string key = parameter.String("name", "");
      std::string value = parameter.String("value", "");
      if (absl::Status status = parameter.Finish(); !status.ok()) return status;
      if (key.empty()) return context.SchemaError(child, "needs a name");
      client.parameters.emplace_back(std::move(key), std::move(value));
    } else {
      return context.SchemaError(child, "cannot be nested in <Client>");
    }
  }
  const std::string_view bare = TrimAscii(text);
  if (!bare.empty() && !client.identity.empty()) {
    return context.SchemaError(node, "has both text and an <Identity>");
  }
  if (client.identity.empty()) client.identity = std::string(bare);
  if (client.identity.empty()) return context.SchemaError(node, "needs an identity");
  return client;
}

absl::StatusOr<DialNoun> ParseConference(pugi::xml_node node, ParseContext& context) {
  ConferenceNoun room;
  AttributeReader attributes(node, context);
  room.muted = attributes.Bool("muted", false);
  room.beep = attributes.OneOf("beep", "true", {"true", "false", "onEnter", "onExit"});
  room.start_conference_on_enter = attributes.Bool("startConferenceOnEnter", true);
  room.end_conference_on_exit = attributes.Bool("endConferenceOnExit", false);
  room.wait_url = attributes.Url("waitUrl", "");
  room.wait_method = attributes.Method("waitMethod");
  room.max_participants = attributes.Int("maxParticipants", 250, 2, 250);
  room.record = attributes.OneOf("record", "do-not-record", {"do-not-record", "record-from-start"});
  room.trim = attributes.OneOf("trim", "trim-silence", {"trim-silence", "do-not-trim"});
  room.status_callback = attributes.Callback(
      "statusCallback", "statusCallbackMethod", "statusCallbackEvent", "",
      {"start", "end", "join", "leave", "mute", "hold", "modify", "speaker", "announcement"});
  room.recording_status_callback = attributes.Callback(
      "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
      "completed", {"in-progress", "completed", "absent"});
  attributes.Unsupported(
      {"region", "coach", "participantLabel", "jitterBufferSize", "eventCallbackUrl"});
  absl::StatusOr<std::string> text = RequiredText(node, context, attributes);
  if (!text.ok()) return text.status();
  room.name = *std::move(text);
  return room;
}

absl::StatusOr<DialNoun> ParseQueue(pugi::xml_node node, ParseContext& context) {
  QueueNoun queue;
  AttributeReader attributes(node, context);
  queue.url = attributes.Url("url", "");
  queue.method = attributes.Method("method");
  attributes.Unsupported({"reservationSid", "postWorkActivitySid"});
  absl::StatusOr<std::string> text = RequiredText(node, context, attributes);
  if (!text.ok()) return text.status();
  queue.name = *std::move(text);
  return queue;
}

absl::StatusOr<DialNoun> ParseNoun(pugi::xml_node node, ParseContext& context) {
  const std::string_view name = node.name();
  if (name == "Number") return ParseNumber(node, context);
  if (name == "Sip") return ParseSip(node, context);
  if (name == "Client") return ParseClient(node, context);
  if (name == "Conference") return ParseConference(node, context);
  if (name == "Queue") return ParseQueue(node, context);
  return context.SchemaError(node, "cannot be nested in <Dial>");
}

bool IsRoom(const DialNoun& noun) {
  return std::holds_alternative<ConferenceNoun>(noun) || std::holds_alternative<QueueNoun>(noun);
}

absl::Status ParseNouns(pugi::xml_node node, ParseContext& context, Dial& dial) {
  size_t elements = 0;
  for (pugi::xml_node child : node.children()) elements += child.type() == pugi::node_element;
  dial.nouns.reserve(std::min(elements, kMaxCallNouns));
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
      continue;
    }
    if (child.type() != pugi::node_element) continue;
    absl::StatusOr<DialNoun> noun = ParseNoun(child, context);
    if (!noun.ok()) return noun.status();
    if (!dial.nouns.empty() && (IsRoom(*noun) || IsRoom(dial.nouns.front()))) {
      return context.SchemaError(child, "<Conference> and <Queue> must be alone in <Dial>");
    }
    if (dial.nouns.size() == kMaxCallNouns) {
      return context.SchemaError(child, "a <Dial> rings at most ten numbers or clients");
    }
    dial.nouns.push_back(*std::move(noun));
  }
  const std::string_view bare = TrimAscii(text);
  if (!bare.empty() && !dial.nouns.empty()) {
    return context.SchemaError(node, "mixes a bare number with nouns");
  }
  if (!bare.empty()) {
    NumberNoun number;
    number.number = std::string(bare);
    dial.nouns.push_back(std::move(number));
  }
  if (dial.nouns.empty()) return context.SchemaError(node, "needs a number or a noun");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Dial> ParseDial(pugi::xml_node node, ParseContext& context) {
  Dial dial;
  dial.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  dial.action = attributes.Url("action", "");
  dial.method = attributes.Method("method");
  dial.timeout = attributes.Int("timeout", 30, 1, 600);
  dial.caller_id = attributes.String("callerId", "");
  dial.record =
      attributes.OneOf("record", "do-not-record",
                       {"do-not-record", "record-from-answer", "record-from-ringing",
                        "record-from-answer-dual", "record-from-ringing-dual", "true", "false"});
  // The legacy boolean form, as Twilio still accepts it.
  if (dial.record == "true") dial.record = "record-from-answer";
  if (dial.record == "false") dial.record = "do-not-record";
  dial.trim = attributes.OneOf("trim", "do-not-trim", {"trim-silence", "do-not-trim"});
  dial.recording_status_callback = attributes.Callback(
      "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
      "completed", {"in-progress", "completed", "absent"});
  dial.hangup_on_star = attributes.Bool("hangupOnStar", false);
  dial.time_limit = attributes.Int("timeLimit", 14400, 1, 86400);
  dial.answer_on_bridge = attributes.Bool("answerOnBridge", false);
  dial.ring_tone = attributes.String("ringTone", "");
  attributes.Unsupported(
      {"callReason", "recordingTrack", "referUrl", "referMethod", "sequential", "events"});
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  if (absl::Status status = ParseNouns(node, context, dial); !status.ok()) return status;
  return dial;
}

}  // namespace dialtone::twiml
