// Runs the evaluator's sweep every interval on a thread of its own, so a counter push that was
// lost only delays a firing by at most one interval.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "adapters/trigger_evaluator.h"

namespace dialtone::triggers {

class SweepLoop {
 public:
  SweepLoop(TriggerEvaluator& evaluator, absl::Duration interval)
      : evaluator_(evaluator), interval_(interval) {}
  ~SweepLoop() { Stop(); }

  void Start();  // first sweep at once
  void Stop();

 private:
  TriggerEvaluator& evaluator_;
  absl::Duration interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace dialtone::triggers
