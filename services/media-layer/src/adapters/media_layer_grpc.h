// gRPC MediaLayer handler. Resolve, recordings and reads arrive with the media layer issue;
// until then every RPC answers UNIMPLEMENTED (the generated default).
#pragma once

#include "dialtone/media/v1/media_layer.grpc.pb.h"

namespace dialtone::media_layer {

// Runs on gRPC's server threads.
class MediaLayerGrpc final : public dialtone::media::v1::MediaLayer::Service {};

}  // namespace dialtone::media_layer
