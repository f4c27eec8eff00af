// Writes each verb and noun of a Program with Twilio's attribute names.
#include "dialtone/twiml/program_json.h"

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "dialtone/twiml/error.h"
#include "json_writer.h"

namespace dialtone::twiml {
namespace {

void WriteCallback(JsonWriter& json, const char* prefix, const StatusCallback& callback) {
  const std::string base(prefix);
  json.Field(base, callback.url);
  json.Field(base + "Method", HttpMethodName(callback.method));
  json.Field(base + "Event", callback.events);
}

// Writes "parameters" as an array of {name, value}: names may repeat, and the order is the
// document's (a stream's start message lists them so).
void WriteParameters(JsonWriter& json,
                     const std::vector<std::pair<std::string, std::string>>& parameters) {
  json.Key("parameters");
  json.BeginArray();
  for (const auto& [name, value] : parameters) {
    json.BeginObject();
    json.Field("name", name);
    json.Field("value", value);
    json.EndObject();
  }
  json.EndArray();
}

// Writes "stream": the noun of <Connect>, <Start> and <Stop>.
void WriteStream(JsonWriter& json, const StreamNoun& stream) {
  json.Key("stream");
  json.BeginObject();
  json.Field("url", stream.url);
  json.Field("name", stream.name);
  json.Field("track", stream.track);
  json.Field("statusCallback", stream.status_callback);
  json.Field("statusCallbackMethod", HttpMethodName(stream.status_callback_method));
  WriteParameters(json, stream.parameters);
  json.EndObject();
}

struct NounWriter {
  JsonWriter& json;

  void operator()(const NumberNoun& number) const {
    json.Field("noun", "Number");
    json.Field("number", number.number);
    json.Field("sendDigits", number.send_digits);
    json.Field("url", number.url);
    json.Field("method", HttpMethodName(number.method));
    WriteCallback(json, "statusCallback", number.status_callback);
  }
  void operator()(const SipNoun& sip) const {
    json.Field("noun", "Sip");
    json.Field("uri", sip.uri);
    json.Field("username", sip.username);
    json.Field("password", sip.password);
    json.Field("url", sip.url);
    json.Field("method", HttpMethodName(sip.method));
    WriteCallback(json, "statusCallback", sip.status_callback);
  }
  void operator()(const ClientNoun& client) const {
    json.Field("noun", "Client");
    json.Field("identity", client.identity);
    WriteParameters(json, client.parameters);
    json.Field("url", client.url);
    json.Field("method", HttpMethodName(client.method));
    WriteCallback(json, "statusCallback", client.status_callback);
  }
  void operator()(const ConferenceNoun& room) const {
    json.Field("noun", "Conference");
    json.Field("name", room.name);
    json.Field("muted", room.muted);
    json.Field("beep", room.beep);
    json.Field("startConferenceOnEnter", room.start_conference_on_enter);
    json.Field("endConferenceOnExit", room.end_conference_on_exit);
    json.Field("waitUrl", room.wait_url);
    json.Field("waitMethod", HttpMethodName(room.wait_method));
    json.Field("maxParticipants", room.max_participants);
    json.Field("record", room.record);
    json.Field("trim", room.trim);
    WriteCallback(json, "statusCallback", room.status_callback);
    WriteCallback(json, "recordingStatusCallback", room.recording_status_callback);
  }
  void operator()(const QueueNoun& queue) const {
    json.Field("noun", "Queue");
    json.Field("name", queue.name);
    json.Field("url", queue.url);
    json.Field("method", HttpMethodName(queue.method));
  }
};

struct VerbWriter {
  JsonWriter& json;

  void operator()(const Say& say) const {
    Begin("Say", say.line);
    json.Field("voice", say.voice);
    json.Field("language", say.language);
    json.Field("loop", say.loop);
    json.Field("text", say.text);
    json.EndObject();
  }
  void operator()(const Play& play) const {
    Begin("Play", play.line);
    json.Field("loop", play.loop);
    json.Field("digits", play.digits);
    json.Field("url", play.url);
    json.EndObject();
  }
  void operator()(const Pause& pause) const {
    Begin("Pause", pause.line);
    json.Field("length", pause.length);
    json.EndObject();
  }
  void operator()(const Gather& gather) const {
    Begin("Gather", gather.line);
    json.Field("input", gather.input_dtmf && gather.input_speech ? "dtmf speech"
                        : gather.input_speech                    ? "speech"
                                                                 : "dtmf");
    json.Field("action", gather.action);
    json.Field("method", HttpMethodName(gather.method));
    json.Field("timeout", gather.timeout);
    json.Key("speechTimeout");
    gather.speech_timeout.empty() ? json.Null() : json.String(gather.speech_timeout);
    json.Field("maxSpeechTime", gather.max_speech_time);
    json.Field("finishOnKey", gather.finish_on_key);
    json.Key("numDigits");
    gather.num_digits ? json.Int(*gather.num_digits) : json.Null();
    json.Field("actionOnEmptyResult", gather.action_on_empty_result);
    json.Field("bargeIn", gather.barge_in);
    json.Field("profanityFilter", gather.profanity_filter);
    json.Field("language", gather.language);
    json.Field("hints", gather.hints);
    json.Field("speechModel", gather.speech_model);
    json.Field("partialResultCallback", gather.partial_result_callback);
    json.Field("partialResultCallbackMethod",
               HttpMethodName(gather.partial_result_callback_method));
    json.Key("prompts");
    json.BeginArray();
    for (const GatherPrompt& prompt : gather.prompts) std::visit(*this, prompt);
    json.EndArray();
    json.EndObject();
  }
  void operator()(const Record& record) const {
    Begin("Record", record.line);
    json.Field("action", record.action);
    json.Field("method", HttpMethodName(record.method));
    json.Field("timeout", record.timeout);
    json.Field("finishOnKey", record.finish_on_key);
    json.Field("maxLength", record.max_length);
    json.Field("playBeep", record.play_beep);
    json.Field("trim", record.trim);
    WriteCallback(json, "recordingStatusCallback", record.recording_status_callback);
    json.Field("transcribe", record.transcribe);
    json.Field("transcribeCallback", record.transcribe_callback);
    json.EndObject();
  }
  void operator()(const Dial& dial) const {
    Begin("Dial", dial.line);
    json.Field("action", dial.action);
    json.Field("method", HttpMethodName(dial.method));
    json.Field("timeout", dial.timeout);
    json.Field("callerId", dial.caller_id);
    json.Field("record", dial.record);
    json.Field("trim", dial.trim);
    WriteCallback(json, "recordingStatusCallback", dial.recording_status_callback);
    json.Field("hangupOnStar", dial.hangup_on_star);
    json.Field("timeLimit", dial.time_limit);
    json.Field("answerOnBridge", dial.answer_on_bridge);
    json.Field("ringTone", dial.ring_tone);
    json.Key("nouns");
    json.BeginArray();
    for (const DialNoun& noun : dial.nouns) {
      json.BeginObject();
      std::visit(NounWriter{json}, noun);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  }
  void operator()(const Hangup& hangup) const {
    Begin("Hangup", hangup.line);
    json.EndObject();
  }
  void operator()(const Redirect& redirect) const {
    Begin("Redirect", redirect.line);
    json.Field("method", HttpMethodName(redirect.method));
    json.Field("url", redirect.url);
    json.EndObject();
  }
  void operator()(const Reject& reject) const {
    Begin("Reject", reject.line);
    json.Field("reason", reject.reason == RejectReason::kBusy ? "busy" : "rejected");
    json.EndObject();
  }
  void operator()(const Enqueue& enqueue) const {
    Begin("Enqueue", enqueue.line);
    json.Field("action", enqueue.action);
    json.Field("method", HttpMethodName(enqueue.method));
    json.Field("waitUrl", enqueue.wait_url);
    json.Field("waitUrlMethod", HttpMethodName(enqueue.wait_url_method));
    json.Field("workflowSid", enqueue.workflow_sid);
    json.Field("queue", enqueue.queue);
    json.EndObject();
  }
  void operator()(const Leave& leave) const {
    Begin("Leave", leave.line);
    json.EndObject();
  }
  void operator()(const Connect& connect) const {
    Begin("Connect", connect.line);
    json.Field("action", connect.action);
    json.Field("method", HttpMethodName(connect.method));
    WriteStream(json, connect.stream);
    json.EndObject();
  }
  void operator()(const Start& start) const {
    Begin("Start", start.line);
    json.Field("action", start.action);
    json.Field("method", HttpMethodName(start.method));
    WriteStream(json, start.stream);
    json.EndObject();
  }
  void operator()(const Stop& stop) const {
    Begin("Stop", stop.line);
    WriteStream(json, stop.stream);
    json.EndObject();
  }

 private:
  void Begin(const char* verb, int line) const {
    json.BeginObject();
    json.Field("verb", verb);
    json.Field("line", line);
  }
};

}  // namespace

std::string ProgramToJson(const Program& program) {
  JsonWriter json;
  json.BeginObject();
  json.Field("document_url", program.document_url);
  json.Key("verbs");
  json.BeginArray();
  for (const Verb& verb : program.verbs) std::visit(VerbWriter{json}, verb);
  json.EndArray();
  json.Key("warnings");
  json.BeginArray();
  for (const TwimlWarning& warning : program.warnings) {
    json.BeginObject();
    json.Field("line", warning.line);
    json.Field("message", warning.message);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  std::string text = json.Release();
  text += '\n';
  return text;
}

std::string TwimlErrorToJson(const absl::Status& status) {
  JsonWriter json;
  json.BeginObject();
  json.Field("code", TwilioErrorCode(status));
  json.Key("line");
  const std::optional<int> line = TwimlErrorLine(status);
  line ? json.Int(*line) : json.Null();
  json.Field("message", std::string_view(status.message().data(), status.message().size()));
  json.EndObject();
  std::string text = json.Release();
  text += '\n';
  return text;
}

}  // namespace dialtone::twiml
