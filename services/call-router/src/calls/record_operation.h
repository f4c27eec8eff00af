// <Record> on a live call: the beep, then what the caller says until maxLength, a run of
// silence (timeout), a finishOnKey key or the end of the call; the recording saved, then the
// result for the executor.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "calls/executor_commands.h"
#include "calls/executor_events.h"
#include "calls/gather_operation.h"
#include "calls/recording_saver.h"

namespace dialtone::call_router {

// SIP thread only. Owned by the session; `done` hears the result once.
class RecordOperation : public std::enable_shared_from_this<RecordOperation> {
 public:
  // Saves audio as a recording (the session's SaveRecording), then calls `then`.
  using Save = std::function<void(Samples audio, RecordingSpec spec,
                                  std::function<void(const SavedRecording&)> then)>;
  using Done = std::function<void(RecordingDone)>;
  // The beep plays with id `beep_id`.
  RecordOperation(VerbContext& ctx, RecordCommand command, uint64_t beep_id, Save save, Done done);

  void Start();
  // The beep has played: recording starts.
  void OnBeepDone(uint64_t id);
  // True while the caller is being recorded (keys go to finishOnKey).
  bool capturing() const { return capturing_; }
  void OnDigit(char digit);
  // Ends the capture now (the caller hung up, an API redirect): what was said is kept. Before
  // the capture began (during the beep) there is nothing to keep: the Record is over, false is
  // returned and `done` is never called. True while a result is still to come.
  bool StopCapture();
  // The audio came back from the stream.
  void OnRecorded(Samples audio, RecordEnd end);

 private:
  VerbContext& ctx_;
  const RecordCommand command_;
  const uint64_t beep_id_;
  Save save_;
  Done done_;
  std::string finished_on_key_;
  bool capturing_ = false;
  bool saving_ = false;
  bool stopped_ = false;  // stopped before the capture began
  absl::Time started_;
};

}  // namespace dialtone::call_router
