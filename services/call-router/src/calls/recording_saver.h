// Saves a call's recording: the audio in the media layer, the Recording row, its usage event and
// its recordingStatusCallback, each step back on the SIP thread. Used by <Record>, by <Dial
// record> and by Record=true on calls the API placed.
#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "calls/app_http_client.h"
#include "calls/call_store.h"
#include "calls/call_usage.h"
#include "media/media_client.h"
#include "sip/sip_stack.h"

namespace dialtone::call_router {

struct RecordingSpec {
  bool trim = true;
  StatusCallback status_callback;
  std::string source;  // RecordVerb | DialVerb | OutboundAPI
  absl::Time started;
};

struct SavedRecording {
  std::string sid;  // empty when nothing was saved (no audio, or the media layer failed)
  int64_t seconds = 0;
  std::string url;  // the Recording resource's URL on the public API
};

struct RecordingOwner {
  std::string account_sid;
  std::string call_sid;
  std::string auth_token;  // signs the status callback
};

struct RecordingSaverDeps {
  SipLoop* loop = nullptr;
  AudioSource* media = nullptr;
  CallRecords* store = nullptr;
  AppClient* http = nullptr;
  std::string api_base_url;
  std::function<void(const CallUsage&, const std::string& account_sid)> publish_usage;
};

// `then` runs on the SIP thread with what was saved, at once when there is nothing to save; it
// holds whatever must stay alive until then. Call on the SIP thread.
void SaveRecording(const RecordingSaverDeps& deps, RecordingOwner owner, Samples audio,
                   RecordingSpec spec, std::function<void(const SavedRecording&)> then);

}  // namespace dialtone::call_router
