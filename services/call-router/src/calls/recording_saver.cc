// SaveRecording: media layer, then the row, then usage and the status callback.
#include "calls/recording_saver.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/log/log.h"

namespace dialtone::call_router {
namespace {

struct SaveJob {
  RecordingSaverDeps deps;
  RecordingOwner owner;
  RecordingSpec spec;
  std::function<void(const SavedRecording&)> then;
  SavedRecording saved;
};

void Announce(const std::shared_ptr<SaveJob>& job, const absl::Status& written) {
  const RecordingOwner& o = job->owner;
  const SavedRecording& saved = job->saved;
  if (!written.ok()) {
    log::Error("recording row not written", {{"call_sid", o.call_sid}, {"error", written}});
  }
  if (job->deps.publish_usage) {
    job->deps.publish_usage(CallUsage{.event_id = saved.sid + ":recording",
                                      .category = "recordings",
                                      .count = 1,
                                      .minutes = (saved.seconds + 59) / 60},
                            o.account_sid);
  }
  const StatusCallback& cb = job->spec.status_callback;
  if (!cb.url.empty() && job->deps.http != nullptr) {
    job->deps.http->SendCallback({.url = cb.url,
                                  .method = cb.method,
                                  .params = {{"AccountSid", o.account_sid},
                                             {"CallSid", o.call_sid},
                                             {"RecordingSid", saved.sid},
                                             {"RecordingUrl", saved.url},
                                             {"RecordingStatus", "completed"},
                                             {"RecordingDuration", absl::StrCat(saved.seconds)},
                                             {"RecordingChannels", "1"},
                                             {"RecordingSource", job->spec.source}},
                                  .auth_token = o.auth_token});
  }
  job->then(saved);
}

void Stored(const std::shared_ptr<SaveJob>& job,
            const absl::StatusOr<media::v1::StoredMedia>& stored) {
  const RecordingOwner& o = job->owner;
  if (!stored.ok()) {
    log::Error("recording could not be stored",
               {{"call_sid", o.call_sid}, {"error", stored.status()}});
    return job->then(SavedRecording{});
  }
  if (stored->duration_ms() <= 0) return job->then(SavedRecording{});
  job->saved.seconds = (stored->duration_ms() + 500) / 1000;
  job->saved.url = absl::StrCat(job->deps.api_base_url, "/2010-04-01/Accounts/", o.account_sid,
                                "/Recordings/", job->saved.sid);
  NewRecording row{.sid = job->saved.sid,
                   .account_sid = o.account_sid,
                   .call_sid = o.call_sid,
                   .duration_seconds = job->saved.seconds,
                   .media_sid = stored->media_sid(),
                   .media_url = stored->url(),
                   .source = job->spec.source,
                   .start_time = job->spec.started};
  CallRecords* store = job->deps.store;
  store->Submit(o.call_sid, [store, row, job] {
    absl::Status written = store->InsertRecording(row);
    job->deps.loop->Post([job, written] { Announce(job, written); });
  });
}

}  // namespace

void SaveRecording(const RecordingSaverDeps& deps, RecordingOwner owner, Samples audio,
                   RecordingSpec spec, std::function<void(const SavedRecording&)> then) {
  if (audio.empty() || deps.media == nullptr) return then(SavedRecording{});
  auto job = std::make_shared<SaveJob>(SaveJob{.deps = deps,
                                               .owner = std::move(owner),
                                               .spec = std::move(spec),
                                               .then = std::move(then),
                                               .saved = {}});
  job->saved.sid = core::NewSid(core::kRecordingPrefix);
  deps.media->StoreRecording(job->owner.account_sid, job->owner.call_sid, job->saved.sid,
                             std::make_shared<const Samples>(std::move(audio)), job->spec.trim,
                             [job](absl::StatusOr<media::v1::StoredMedia> stored) {
                               auto shared = std::make_shared<decltype(stored)>(std::move(stored));
                               job->deps.loop->Post([job, shared] { Stored(job, *shared); });
                             });
}

}  // namespace dialtone::call_router
