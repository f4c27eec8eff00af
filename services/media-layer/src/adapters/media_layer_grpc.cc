// MediaLayerGrpc: request mapping.
#include "adapters/media_layer_grpc.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dialtone/common/v1/common.pb.h"
#include "dialtone/core/sid.h"
#include "dialtone/rpc/status.h"
#include "domain/media_error.h"

namespace dialtone::media_layer {
namespace {

namespace pb = dialtone::media::v1;

constexpr size_t kChunkBytes = 16 * 1024;
constexpr size_t kMaxRecordingBytes = 256u << 20;  // about 9 hours of G.711

pb::Codec ToProto(G711 c) { return c == G711::kUlaw ? pb::CODEC_PCMU : pb::CODEC_PCMA; }

}  // namespace

void MediaLayerGrpc::Fill(const MediaEntry& e, pb::StoredMedia* out) const {
  out->set_media_sid(e.sid);
  out->set_account_sid(e.account_sid);
  out->set_url(service_.Address(e));
  out->set_codec(ToProto(e.codec));
  out->set_duration_ms(e.duration_ms);
  out->set_size_bytes(e.size_bytes);
  out->set_content_sha256(e.sha256);
  rpc::ToProto(e.created, out->mutable_date_created());
}

grpc::Status MediaLayerGrpc::Resolve(grpc::ServerContext* ctx, const pb::ResolveRequest* req,
                                     pb::ResolveResponse* resp) {
  ResolveInput in{.account_sid = req->account_sid()};
  switch (req->codec()) {
    case pb::CODEC_UNSPECIFIED:
    case pb::CODEC_PCMU: in.codec = G711::kUlaw; break;
    case pb::CODEC_PCMA: in.codec = G711::kAlaw; break;
    default: return {grpc::StatusCode::INVALID_ARGUMENT, "codec must be PCMU or PCMA"};
  }
  if (req->source_case() == pb::ResolveRequest::kUrl) {
    in.url = req->url();
  } else if (req->source_case() == pb::ResolveRequest::kSpeech) {
    in.speech = SpeechInput{.text = req->speech().text(),
                            .voice = req->speech().voice(),
                            .language = req->speech().language()};
  } else {
    return {grpc::StatusCode::INVALID_ARGUMENT, "give a url or speech"};
  }
  auto r = service_.Resolve(in);
  if (!r.ok()) return rpc::ToGrpcStatus(r.status());
  Fill(r->entry, resp->mutable_media());
  switch (r->outcome) {
    case MediaMetrics::Outcome::kHit: resp->set_outcome(pb::CACHE_OUTCOME_HIT); break;
    case MediaMetrics::Outcome::kMiss: resp->set_outcome(pb::CACHE_OUTCOME_MISS); break;
    case MediaMetrics::Outcome::kRevalidated:
      resp->set_outcome(pb::CACHE_OUTCOME_REVALIDATED);
      break;
  }
  return grpc::Status::OK;
}

grpc::Status MediaLayerGrpc::ReadMedia(grpc::ServerContext* ctx, const pb::ReadMediaRequest* req,
                                       grpc::ServerWriter<pb::MediaChunk>* writer) {
  auto e = service_.Get(req->account_sid(), req->media_sid());
  if (!e.ok()) return rpc::ToGrpcStatus(e.status());
  if (req->offset() < 0 || req->offset() > e->size_bytes) {
    return {grpc::StatusCode::OUT_OF_RANGE, "offset past the end of the media"};
  }
  // Read whole before the first chunk, so that a store failure is the call's status and never
  // a stream cut short.
  auto data = service_.ReadPayload(*e, static_cast<uint64_t>(req->offset()));
  if (!data.ok()) return rpc::ToGrpcStatus(data.status());
  size_t pos = 0;
  bool first = true;
  do {
    pb::MediaChunk chunk;
    chunk.set_data(data->substr(pos, kChunkBytes));
    if (first) chunk.set_codec(ToProto(e->codec));
    first = false;
    pos += chunk.data().size();
    if (!writer->Write(chunk)) break;  // the client went away
  } while (pos < data->size());
  if (service_.metrics()) {
    service_.metrics()->BytesServed(static_cast<int64_t>(pos));
  }
  return grpc::Status::OK;
}

grpc::Status MediaLayerGrpc::StoreRecording(grpc::ServerContext* ctx,
                                            grpc::ServerReader<pb::RecordingFrame>* reader,
                                            pb::StoredMedia* resp) {
  pb::RecordingFrame frame;
  if (!reader->Read(&frame) || !frame.has_header()) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "the first frame must carry the header"};
  }
  const pb::RecordingHeader& h = frame.header();
  RecordingInput in{.account_sid = h.account_sid(),
                    .call_sid = h.call_sid(),
                    .recording_sid = h.recording_sid(),
                    .channels = h.channels() == 0 ? 1 : h.channels(),
                    .trim_silence = h.trim_silence()};
  switch (h.codec()) {
    case pb::CODEC_UNSPECIFIED:
    case pb::CODEC_PCMU: in.format = RecordingInput::Format::kPcmu; break;
    case pb::CODEC_PCMA: in.format = RecordingInput::Format::kPcma; break;
    case pb::CODEC_L16: in.format = RecordingInput::Format::kL16; break;
    default: return {grpc::StatusCode::INVALID_ARGUMENT, "unknown codec"};
  }
  while (reader->Read(&frame)) {
    if (frame.has_header()) return {grpc::StatusCode::INVALID_ARGUMENT, "a second header"};
    if (in.audio.size() + frame.audio().size() > kMaxRecordingBytes) {
      return {grpc::StatusCode::RESOURCE_EXHAUSTED, "recording too long"};
    }
    in.audio += frame.audio();
  }
  auto e = service_.StoreRecording(in);
  if (!e.ok()) return rpc::ToGrpcStatus(e.status());
  Fill(*e, resp);
  return grpc::Status::OK;
}

grpc::Status MediaLayerGrpc::GetMedia(grpc::ServerContext* ctx, const pb::GetMediaRequest* req,
                                      pb::StoredMedia* resp) {
  auto e = service_.Get(req->account_sid(), req->media_sid());
  if (!e.ok()) return rpc::ToGrpcStatus(e.status());
  Fill(*e, resp);
  return grpc::Status::OK;
}

grpc::Status MediaLayerGrpc::DeleteMedia(grpc::ServerContext* ctx,
                                         const pb::DeleteMediaRequest* req,
                                         pb::DeleteMediaResponse*) {
  return rpc::ToGrpcStatus(service_.Delete(req->account_sid(), req->media_sid()));
}

grpc::Status MediaLayerGrpc::PurgeAccount(grpc::ServerContext* ctx,
                                          const pb::PurgeAccountRequest* req,
                                          pb::PurgeAccountResponse* resp) {
  auto n = service_.Purge(req->account_sid());
  if (!n.ok()) return rpc::ToGrpcStatus(n.status());
  resp->set_entries_removed(*n);
  return grpc::Status::OK;
}

}  // namespace dialtone::media_layer
