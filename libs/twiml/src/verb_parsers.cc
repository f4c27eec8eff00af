// Attribute, text and nesting rules of Say, Play, Pause, Gather, Record,
// Redirect, Reject, Enqueue, Hangup and Leave.
#include "verb_parsers.h"

#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "attribute_reader.h"
#include "dialtone/twiml/url.h"
#include "text_util.h"

namespace dialtone::twiml {
namespace {

constexpr std::string_view kDtmfKeys = "0123456789#*";
// SSML may nest; TwiML itself never goes this deep, so this bounds recursion.
constexpr int kMaxSsmlDepth = 8;
constexpr std::string_view kSsmlElements[] = {
    "break", "emphasis", "lang", "p", "phoneme",       "prosody",
    "s",     "say-as",   "sub",  "w", "amazon:domain", "amazon:effect"};

// TrimAscii for a string the caller owns: trims it in its own buffer
// instead of copying the trimmed view into a new one.
std::string TrimOwned(std::string text) {
  const std::string_view trimmed = TrimAscii(text);
  if (trimmed.size() == text.size()) return text;
  const size_t begin = static_cast<size_t>(trimmed.data() - text.data());
  text.erase(begin + trimmed.size());
  text.erase(0, begin);
  return text;
}

bool IsText(const pugi::xml_node& node) {
  return node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata;
}

bool IsSsml(std::string_view name) {
  for (std::string_view ssml : kSsmlElements) {
    if (name == ssml) return true;
  }
  return false;
}

void AppendSeparator(std::string& out) {
  if (!out.empty() && !IsAsciiSpace(out.back())) {
    out += ' ';
  }
}

absl::Status FlattenSsml(pugi::xml_node node, ParseContext& context, int depth, std::string& out) {
  for (pugi::xml_node child : node.children()) {
    if (IsText(child)) {
      out += child.value();
    } else if (child.type() == pugi::node_element) {
      if (!IsSsml(child.name())) {
        return context.SchemaError(child, "is not allowed inside <Say>");
      }
      if (depth >= kMaxSsmlDepth) {
        return context.SchemaError(child, "SSML is nested too deeply");
      }
      AppendSeparator(out);
      if (absl::Status status = FlattenSsml(child, context, depth + 1, out); !status.ok()) {
        return status;
      }
      AppendSeparator(out);
    }
  }
  return absl::OkStatus();
}

// A URL given as element text: trimmed, resolved, http(s) only.
absl::StatusOr<std::string> TextUrl(pugi::xml_node node, ParseContext& context) {
  absl::StatusOr<std::string> text = LeafText(node, context);
  if (!text.ok() || text->empty()) return text;
  std::string url = context.ResolveUrl(*text);
  if (!IsHttpUrl(url) && IsAbsoluteUrl(url)) {  // the usual http(s) URL: one test
    return context.SchemaError(node,
                               absl::StrCat(QuoteValue(*text), " is not an http or https URL"));
  }
  return url;
}

}  // namespace

absl::StatusOr<std::string> LeafText(pugi::xml_node node, ParseContext& context) {
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (IsText(child)) {
      text += child.value();
    } else if (child.type() == pugi::node_element) {
      return context.SchemaError(child, "cannot be nested in <" + ElementName(node) + ">");
    }
  }
  return TrimOwned(std::move(text));
}

absl::Status CheckEmpty(pugi::xml_node node, ParseContext& context) {
  absl::StatusOr<std::string> text = LeafText(node, context);
  if (!text.ok()) return text.status();
  if (!text->empty()) context.Warn(node, "takes no text; the text is ignored");
  return absl::OkStatus();
}

absl::StatusOr<Say> ParseSay(pugi::xml_node node, ParseContext& context) {
  Say say;
  say.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  say.voice = attributes.String("voice", "man");
  if (say.voice.empty()) say.voice = "man";
  const bool basic_voice = say.voice == "man" || say.voice == "woman";
  say.language = attributes.String("language", basic_voice ? "en" : "en-US");
  say.loop = attributes.Loop("loop");
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  std::string text;
  if (absl::Status status = FlattenSsml(node, context, 0, text); !status.ok()) {
    return status;
  }
  say.text = TrimOwned(std::move(text));
  if (say.text.empty()) context.Warn(node, "has no text; nothing is said");
  return say;
}

absl::StatusOr<Play> ParsePlay(pugi::xml_node node, ParseContext& context) {
  Play play;
  play.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  play.loop = attributes.Loop("loop");
  play.digits = attributes.Keys("digits", "", "0123456789#*wW", 1000);
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  absl::StatusOr<std::string> url = TextUrl(node, context);
  if (!url.ok()) return url.status();
  play.url = *std::move(url);
  if (play.url.empty() && play.digits.empty()) {
    return context.SchemaError(node, "needs a URL or the digits attribute");
  }
  return play;
}

absl::StatusOr<Pause> ParsePause(pugi::xml_node node, ParseContext& context) {
  Pause pause;
  pause.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  pause.length = attributes.Int("length", 1, 1, 14400);
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  if (absl::Status status = CheckEmpty(node, context); !status.ok()) return status;
  return pause;
}

absl::StatusOr<Record> ParseRecord(pugi::xml_node node, ParseContext& context) {
  Record record;
  record.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  // The document URL by default: assigned when needed rather than passed as
  // the fallback, which would copy it for every <Record> (Url() returns ""
  // only for its fallback).
  record.action = attributes.Url("action", "");
  if (record.action.empty()) record.action = context.document_url();
  record.method = attributes.Method("method");
  record.timeout = attributes.Int("timeout", 5, 0, 3600);
  record.finish_on_key = attributes.Keys("finishOnKey", "1234567890*#", kDtmfKeys, 12);
  record.max_length = attributes.Int("maxLength", 3600, 1, 86400);
  record.play_beep = attributes.Bool("playBeep", true);
  record.trim = attributes.OneOf("trim", "trim-silence", {"trim-silence", "do-not-trim"});
  record.recording_status_callback = attributes.Callback(
      "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent",
      "completed", {"in-progress", "completed", "absent"});
  record.transcribe = attributes.Bool("transcribe", false);
  record.transcribe_callback = attributes.Url("transcribeCallback", "");
  attributes.Unsupported({"recordingChannels", "storageUrl", "storageUrlMethod"});
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  if (absl::Status status = CheckEmpty(node, context); !status.ok()) return status;
  return record;
}

absl::StatusOr<Redirect> ParseRedirect(pugi::xml_node node, ParseContext& context) {
  Redirect redirect;
  redirect.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  redirect.method = attributes.Method("method");
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  absl::StatusOr<std::string> url = TextUrl(node, context);
  if (!url.ok()) return url.status();
  if (url->empty()) return context.SchemaError(node, "needs a URL");
  redirect.url = *std::move(url);
  return redirect;
}

absl::StatusOr<Reject> ParseReject(pugi::xml_node node, ParseContext& context) {
  Reject reject;
  reject.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  const std::string reason = attributes.OneOf("reason", "rejected", {"rejected", "busy"});
  reject.reason = reason == "busy" ? RejectReason::kBusy : RejectReason::kRejected;
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  if (absl::Status status = CheckEmpty(node, context); !status.ok()) return status;
  return reject;
}

absl::StatusOr<Enqueue> ParseEnqueue(pugi::xml_node node, ParseContext& context) {
  Enqueue enqueue;
  enqueue.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  enqueue.action = attributes.Url("action", "");
  enqueue.method = attributes.Method("method");
  enqueue.wait_url = attributes.Url("waitUrl", "");
  enqueue.wait_url_method = attributes.Method("waitUrlMethod");
  enqueue.workflow_sid = attributes.String("workflowSid", "");
  attributes.Unsupported({"maxQueueSize"});
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  std::string name;
  for (pugi::xml_node child : node.children()) {
    if (IsText(child)) {
      name += child.value();
    } else if (child.type() == pugi::node_element) {
      if (std::string_view(child.name()) != "Task") {
        return context.SchemaError(child, "cannot be nested in <Enqueue>");
      }
      context.Warn(child, "TaskRouter tasks are not supported and are ignored");
    }
  }
  enqueue.queue = TrimOwned(std::move(name));
  if (enqueue.queue.empty() && enqueue.workflow_sid.empty()) {
    return context.SchemaError(node, "needs a queue name");
  }
  return enqueue;
}

absl::StatusOr<Hangup> ParseHangup(pugi::xml_node node, ParseContext& context) {
  AttributeReader attributes(node, context);
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  if (absl::Status status = CheckEmpty(node, context); !status.ok()) return status;
  return Hangup{context.LineOf(node)};
}

absl::StatusOr<Leave> ParseLeave(pugi::xml_node node, ParseContext& context) {
  AttributeReader attributes(node, context);
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;
  if (absl::Status status = CheckEmpty(node, context); !status.ok()) return status;
  return Leave{context.LineOf(node)};
}

}  // namespace dialtone::twiml
