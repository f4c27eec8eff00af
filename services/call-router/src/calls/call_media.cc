// CallMedia.
#include "calls/call_media.h"

#include "dialtone/log/log.h"

namespace dialtone::call_router {

SharedSamples SilenceOf(int seconds) {
  return std::make_shared<Samples>(static_cast<size_t>(seconds) * 8000, 0);
}

CallMedia::CallMedia(SipLoop* loop, AudioSource* source, std::string account_sid,
                     std::string call_sid)
    : loop_(loop),
      source_(source),
      account_sid_(std::move(account_sid)),
      call_sid_(std::move(call_sid)) {}

void CallMedia::Prefetch(const Program& program) {
  if (source_ == nullptr) return;
  auto want = [this](const MediaRequest& m) {
    if (NeedsMediaLayer(m)) With(m, [](const AudioSource::AudioResult&) {});
  };
  for (const Verb& verb : program.verbs) {
    if (const auto* gather = std::get_if<Gather>(&verb)) {
      for (const GatherPrompt& prompt : gather->prompts) {
        std::visit([&](const auto& p) { want(MediaFor(p)); }, prompt);
      }
    } else if (const auto* say = std::get_if<Say>(&verb)) {
      want(MediaFor(*say));
    } else if (const auto* play = std::get_if<Play>(&verb)) {
      want(MediaFor(*play));
    }
  }
}

void CallMedia::With(const MediaRequest& media, Then then) {
  const std::string key = MediaClient::KeyOf(account_sid_, media);
  Pending& pending = media_[key];
  if (pending.ready) return then(pending.result);
  pending.waiters.push_back(std::move(then));
  if (pending.waiters.size() > 1) return;  // asked already
  if (source_ == nullptr) return Arrived(key, absl::FailedPreconditionError("no media layer"));
  source_->Fetch(account_sid_, call_sid_, media,
                 [loop = loop_, weak = weak_from_this(), key](AudioSource::AudioResult r) {
                   auto shared = std::make_shared<AudioSource::AudioResult>(std::move(r));
                   loop->Post([weak, key, shared] {
                     if (auto self = weak.lock()) self->Arrived(key, std::move(*shared));
                   });
                 });
}

void CallMedia::Arrived(const std::string& key, AudioSource::AudioResult result) {
  Pending& p = media_[key];
  p.ready = true;
  p.result = std::move(result);
  if (!p.result.ok()) {
    log::Warn("media for the call could not be had",
              {{"call_sid", call_sid_}, {"error", p.result.status()}});
  }
  std::vector<Then> waiters;
  waiters.swap(p.waiters);
  for (auto& w : waiters) w(p.result);
}

}  // namespace dialtone::call_router
