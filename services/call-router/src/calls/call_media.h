// The audio of one call's Say and Play prompts: asked of the media layer once per media, as
// soon as a document names it (prefetch), and handed to each verb that waits for it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "calls/executor_commands.h"
#include "media/media_client.h"
#include "sip/sip_stack.h"

namespace dialtone::call_router {

// `seconds` of silence at 8 kHz (a <Pause>, or a Pause among a Gather's prompts).
SharedSamples SilenceOf(int seconds);

// SIP thread only; the media layer's answers come back through the SIP loop, and are dropped
// once this object is gone.
//
//   auto media = std::make_shared<CallMedia>(loop, source, account_sid, call_sid);
//   media->Prefetch(program);
//   media->With(MediaFor(say), [](const AudioSource::AudioResult& audio) { ... });
class CallMedia : public std::enable_shared_from_this<CallMedia> {
 public:
  using Then = std::function<void(const AudioSource::AudioResult&)>;
  // `source` may be null (no media layer): every ask then fails.
  CallMedia(SipLoop* loop, AudioSource* source, std::string account_sid, std::string call_sid);

  // Asks for the media of every Say and Play in `program`, its Gathers' prompts included.
  void Prefetch(const Program& program);
  // `then` gets the audio of `media`, at once when it is in hand, else when it arrives. Only
  // media the media layer makes (NeedsMediaLayer).
  void With(const MediaRequest& media, Then then);

 private:
  struct Pending {
    bool ready = false;
    AudioSource::AudioResult result = absl::UnavailableError("pending");
    std::vector<Then> waiters;
  };
  void Arrived(const std::string& key, AudioSource::AudioResult result);

  SipLoop* loop_;
  AudioSource* source_;
  const std::string account_sid_;
  const std::string call_sid_;
  std::map<std::string, Pending> media_;  // by MediaClient::KeyOf
};

}  // namespace dialtone::call_router
