// The nouns of <Dial> (Number, Sip, Client, Conference, Queue), as parsed.
// Plain values with Twilio's defaults; pure data, any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace dialtone::twiml {

enum class HttpMethod { kGet, kPost };

inline std::string_view HttpMethodName(HttpMethod method) {
  return method == HttpMethod::kGet ? "GET" : "POST";
}

// statusCallback, statusCallbackMethod and statusCallbackEvent of a noun;
// events stay as the space-separated list TwiML wrote (validated).
struct StatusCallback {
  std::string url;
  HttpMethod method = HttpMethod::kPost;
  std::string events = "completed";
};

// <Number>: a phone number to dial, or the bare text of <Dial>.
struct NumberNoun {
  std::string number;
  std::string send_digits;
  std::string url;  // TwiML run on the called party before bridging
  HttpMethod method = HttpMethod::kPost;
  StatusCallback status_callback;
};

// <Sip>: a SIP URI ("sip:" or "sips:") with optional digest credentials.
struct SipNoun {
  std::string uri;
  std::string username;
  std::string password;
  std::string url;
  HttpMethod method = HttpMethod::kPost;
  StatusCallback status_callback;
};

// <Client>: a client identity, as text or <Identity>, with <Parameter>s.
struct ClientNoun {
  std::string identity;
  std::vector<std::pair<std::string, std::string>> parameters;
  std::string url;
  HttpMethod method = HttpMethod::kPost;
  StatusCallback status_callback;
};

// <Conference>: a named room; parsed for later, executed by the adapter.
struct ConferenceNoun {
  std::string name;
  bool muted = false;
  std::string beep = "true";  // true | false | onEnter | onExit
  bool start_conference_on_enter = true;
  bool end_conference_on_exit = false;
  std::string wait_url;  // empty: the platform's hold music
  HttpMethod wait_method = HttpMethod::kPost;
  int max_participants = 250;
  std::string record = "do-not-record";  // do-not-record | record-from-start
  std::string trim = "trim-silence";
  StatusCallback status_callback{"", HttpMethod::kPost, ""};
  StatusCallback recording_status_callback;
};

// <Queue>: connects to the caller at the front of a named queue.
struct QueueNoun {
  std::string name;
  std::string url;
  HttpMethod method = HttpMethod::kPost;
};

using DialNoun = std::variant<NumberNoun, SipNoun, ClientNoun, ConferenceNoun, QueueNoun>;

}  // namespace dialtone::twiml
