// <Gather> on a live call: its prompts in order, keys (RFC 4733 and in-band) with barge-in,
// finishOnKey and numDigits, and the timeout that runs from the end of the prompts and again
// from each key.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "calls/call_media.h"
#include "calls/executor_commands.h"
#include "calls/executor_events.h"
#include "media/call_audio.h"
#include "sip/sip_stack.h"

namespace dialtone::call_router {

// What a verb running on a call reaches of its session. SIP thread only.
class VerbContext {
 public:
  virtual ~VerbContext() = default;
  virtual const std::string& call_sid() const = 0;
  // The call's audio; null once it closed.
  virtual CallAudio* audio() = 0;
  virtual CallMedia& media() = 0;
  virtual SipLoop& loop() = 0;
};

// SIP thread only. Owned by the session (through a shared_ptr, which its timers watch); `done`
// hears the result once, after which the session drops the operation.
//
//   gather_ = std::make_shared<GatherOperation>(ctx, command, first_play_id, on_done);
//   gather_->Start();
class GatherOperation : public std::enable_shared_from_this<GatherOperation> {
 public:
  using Done = std::function<void(DigitsCollected)>;
  // Prompt i plays with id `first_play_id + i`.
  GatherOperation(VerbContext& ctx, CollectDigitsCommand command, uint64_t first_play_id,
                  Done done);

  void Start();
  // A play finished; ignored unless it is one of this Gather's prompts.
  void OnPlayDone(uint64_t id);
  void OnDigit(char digit);
  // Stops without a result (an API redirect): digit detection off.
  void Stop();

 private:
  void QueuePrompt(size_t index);
  void ArmTimer();
  void End(GatherEnd end);

  VerbContext& ctx_;
  const CollectDigitsCommand command_;
  const uint64_t first_play_id_;
  Done done_;
  std::string digits_;
  bool prompts_done_ = false;
  uint64_t timer_ = 0;  // the armed timeout; earlier ones are stale
  bool ended_ = false;
};

}  // namespace dialtone::call_router
