// gRPC MediaLayer handler: validation and proto <-> service mapping. Errors leave through
// rpc::ToGrpcStatus, with their Twilio code in the status details (and in the message,
// "[11200] ...", for logs and plain gRPC clients).
#pragma once

#include "adapters/media_service.h"
#include "dialtone/media/v1/media_layer.grpc.pb.h"

namespace dialtone::media_layer {

// Runs on gRPC's server threads (sync API; Resolve blocks on fetches); holds no state.
class MediaLayerGrpc final : public dialtone::media::v1::MediaLayer::Service {
 public:
  explicit MediaLayerGrpc(MediaService& service) : service_(service) {}

  grpc::Status Resolve(grpc::ServerContext*, const media::v1::ResolveRequest*,
                       media::v1::ResolveResponse*) override;
  grpc::Status ReadMedia(grpc::ServerContext*, const media::v1::ReadMediaRequest*,
                         grpc::ServerWriter<media::v1::MediaChunk>*) override;
  grpc::Status StoreRecording(grpc::ServerContext*, grpc::ServerReader<media::v1::RecordingFrame>*,
                              media::v1::StoredMedia*) override;
  grpc::Status GetMedia(grpc::ServerContext*, const media::v1::GetMediaRequest*,
                        media::v1::StoredMedia*) override;
  grpc::Status DeleteMedia(grpc::ServerContext*, const media::v1::DeleteMediaRequest*,
                           media::v1::DeleteMediaResponse*) override;
  grpc::Status PurgeAccount(grpc::ServerContext*, const media::v1::PurgeAccountRequest*,
                            media::v1::PurgeAccountResponse*) override;

 private:
  void Fill(const MediaEntry& e, media::v1::StoredMedia* out) const;
  MediaService& service_;
};

}  // namespace dialtone::media_layer
