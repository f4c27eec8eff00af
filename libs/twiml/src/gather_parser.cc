// <Gather>: its attributes and its nested prompts (Say, Play, Pause only).
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "attribute_reader.h"
#include "text_util.h"
#include "verb_parsers.h"

namespace dialtone::twiml {
namespace {

absl::StatusOr<GatherPrompt> ParsePrompt(pugi::xml_node node, ParseContext& context) {
  const std::string_view name = node.name();
  if (name == "Say") return ParseSay(node, context);
  if (name == "Play") return ParsePlay(node, context);
  if (name == "Pause") return ParsePause(node, context);
  return context.SchemaError(node,
                             "cannot be nested in <Gather> (only <Say>, <Play> and <Pause> can)");
}

}  // namespace

absl::StatusOr<Gather> ParseGather(pugi::xml_node node, ParseContext& context) {
  Gather gather;
  gather.line = context.LineOf(node);
  AttributeReader attributes(node, context);
  const std::string input =
      attributes.OneOf("input", "dtmf", {"dtmf", "speech", "dtmf speech", "speech dtmf"});
  gather.input_dtmf = input != "speech";
  gather.input_speech = input != "dtmf";
  // Url() returns "" only for its fallback: the document URL, copied only
  // when it is the action.
  gather.action = attributes.Url("action", "");
  if (gather.action.empty()) gather.action = context.document_url();
  gather.method = attributes.Method("method");
  gather.timeout = attributes.Int("timeout", 5, 1, 3600);
  gather.speech_timeout = attributes.IntOrKeyword("speechTimeout", "auto", 0, 3600);
  gather.max_speech_time = attributes.Int("maxSpeechTime", 60, 1, 60);
  gather.finish_on_key = attributes.Keys("finishOnKey", "#", "0123456789#*", 1);
  gather.num_digits = attributes.OptionalInt("numDigits", 1, 1000);
  gather.action_on_empty_result = attributes.Bool("actionOnEmptyResult", false);
  gather.barge_in = attributes.Bool("bargeIn", true);
  gather.profanity_filter = attributes.Bool("profanityFilter", true);
  gather.language = attributes.String("language", "en-US");
  gather.hints = attributes.String("hints", "");
  gather.speech_model = attributes.String("speechModel", "");
  gather.partial_result_callback = attributes.Url("partialResultCallback", "");
  gather.partial_result_callback_method = attributes.Method("partialResultCallbackMethod");
  attributes.Unsupported({"enhanced", "debug"});
  if (absl::Status status = attributes.Finish(); !status.ok()) return status;

  size_t elements = 0;
  for (pugi::xml_node child : node.children()) elements += child.type() == pugi::node_element;
  gather.prompts.reserve(elements);
  bool warned_about_text = false;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element) {
      absl::StatusOr<GatherPrompt> prompt = ParsePrompt(child, context);
      if (!prompt.ok()) return prompt.status();
      gather.prompts.push_back(*std::move(prompt));
    } else if ((child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) &&
               !warned_about_text && !TrimAscii(child.value()).empty()) {
      context.Warn(child, "text directly inside <Gather> is ignored; use <Say>");
      warned_about_text = true;
    }
  }
  return gather;
}

}  // namespace dialtone::twiml
