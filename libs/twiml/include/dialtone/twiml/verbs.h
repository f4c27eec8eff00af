// The voice verbs of TwiML as typed values, with Twilio's defaults.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dialtone/twiml/nouns.h"

namespace dialtone::twiml {

// loop="0" means "repeat until hang-up"; like Twilio we stop after this many.
inline constexpr int kMaxLoop = 1000;

// Plain values, one per TwiML verb, with Twilio's attribute defaults; every
// verb records the line it starts on, for messages and dialtonectl.
// Pure data: any thread.

// <Say>: text to speech (https://www.twilio.com/docs/voice/twiml/say).
struct Say {
  int line = 0;
  std::string text;  // SSML elements inside <Say> are flattened to their text
  std::string voice = "man";
  std::string language = "en";  // "en" for man/woman, else "en-US"
  int loop = 1;                 // 1..kMaxLoop, loop="0" -> kMaxLoop
};

// <Play>: an audio URL, or DTMF digits when `digits` is set.
struct Play {
  int line = 0;
  std::string url;     // resolved against the document URL
  std::string digits;  // DTMF to play instead (0-9 * # and w = half a second)
  int loop = 1;
};

// <Pause>: silence; before the answer it delays answering.
struct Pause {
  int line = 0;
  int length = 1;  // seconds
};

using GatherPrompt = std::variant<Say, Play, Pause>;

// <Gather>: collects DTMF (or speech) while playing its nested prompts.
// Example: <Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather>
struct Gather {
  int line = 0;
  bool input_dtmf = true;  // input="dtmf" (default), "speech", "dtmf speech"
  bool input_speech = false;
  std::string action;  // default: the document URL
  HttpMethod method = HttpMethod::kPost;
  int timeout = 5;
  std::string speech_timeout;  // "" (= timeout), "auto" or seconds
  int max_speech_time = 60;
  std::string finish_on_key = "#";  // one of 0-9 # *, or empty for none
  std::optional<int> num_digits;    // empty: unlimited
  bool action_on_empty_result = false;
  bool barge_in = true;
  bool profanity_filter = true;
  std::string language = "en-US";
  std::string hints;
  std::string speech_model;
  std::string partial_result_callback;
  HttpMethod partial_result_callback_method = HttpMethod::kPost;
  std::vector<GatherPrompt> prompts;  // nested <Say>, <Play>, <Pause>
};

// <Record>: records the caller and posts the recording to `action`.
struct Record {
  int line = 0;
  std::string action;  // default: the document URL
  HttpMethod method = HttpMethod::kPost;
  int timeout = 5;  // seconds of silence; 0 disables silence detection
  std::string finish_on_key = "1234567890*#";
  int max_length = 3600;
  bool play_beep = true;
  std::string trim = "trim-silence";  // trim-silence | do-not-trim
  StatusCallback recording_status_callback;
  bool transcribe = false;
  std::string transcribe_callback;
};

// <Dial>: connects the caller to its nouns (numbers, SIP, clients, rooms).
struct Dial {
  int line = 0;
  std::string action;  // empty: continue with the next verb
  HttpMethod method = HttpMethod::kPost;
  int timeout = 30;
  std::string caller_id;
  std::string record = "do-not-record";
  std::string trim = "do-not-trim";
  StatusCallback recording_status_callback;
  bool hangup_on_star = false;
  int time_limit = 14400;
  bool answer_on_bridge = false;
  std::string ring_tone;
  std::vector<DialNoun> nouns;  // at least one
};

// <Hangup>: ends the call.
struct Hangup {
  int line = 0;
};

// <Redirect>: replaces the document with the one at `url`.
struct Redirect {
  int line = 0;
  std::string url;
  HttpMethod method = HttpMethod::kPost;
};

enum class RejectReason { kRejected, kBusy };

// <Reject>: refuses an unanswered call (first verb only, in effect).
struct Reject {
  int line = 0;
  RejectReason reason = RejectReason::kRejected;
};

// <Enqueue>: puts the caller in a queue; parsed for later (the executor
// does not run queues yet).
struct Enqueue {
  int line = 0;
  std::string queue;
  std::string action;
  HttpMethod method = HttpMethod::kPost;
  std::string wait_url;
  HttpMethod wait_url_method = HttpMethod::kPost;
  std::string workflow_sid;
};

// <Leave>: leaves a queue; parsed for later.
struct Leave {
  int line = 0;
};

// <Stream>: a media stream of the call's audio to a WebSocket server (Twilio Media Streams),
// the noun of <Connect>, <Start> and <Stop>.
// Example: <Start><Stream url="wss://app.example/s" track="both_tracks"/></Start>
struct StreamNoun {
  int line = 0;
  std::string url;   // ws:// or wss://, absolute (empty only inside <Stop>)
  std::string name;  // optional; unique per call; <Stop> names the stream it stops
  std::string track = "inbound_track";  // inbound_track | outbound_track | both_tracks
  std::string status_callback;          // absolute URL, or empty
  HttpMethod status_callback_method = HttpMethod::kPost;
  // Nested <Parameter name value/>, in document order: the start message's customParameters.
  std::vector<std::pair<std::string, std::string>> parameters;
};

// <Connect><Stream>: a bidirectional stream; the call stays on it until the WebSocket closes
// (or the call is redirected or ends), then `action` is requested, or the document goes on.
struct Connect {
  int line = 0;
  std::string action;  // empty: continue with the next verb
  HttpMethod method = HttpMethod::kPost;
  StreamNoun stream;
};

// <Start><Stream>: a forked, listen-only stream while the document goes on.
struct Start {
  int line = 0;
  std::string action;  // Twilio requests it once the stream is started; empty: none
  HttpMethod method = HttpMethod::kPost;
  StreamNoun stream;
};

// <Stop><Stream name/>: stops the named forked stream (every one of them without a name).
struct Stop {
  int line = 0;
  StreamNoun stream;
};

using Verb = std::variant<Say, Play, Pause, Gather, Record, Dial, Hangup, Redirect, Reject, Enqueue,
                          Leave, Connect, Start, Stop>;

}  // namespace dialtone::twiml
