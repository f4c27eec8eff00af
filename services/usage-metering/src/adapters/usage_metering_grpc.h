// gRPC UsageMetering handler. Publishing and queries arrive with the usage metering issue;
// until then every RPC answers UNIMPLEMENTED (the generated default).
#pragma once

#include "dialtone/usage/v1/usage_metering.grpc.pb.h"

namespace dialtone::usage_metering {

// Runs on gRPC's server threads.
class UsageMeteringGrpc final : public dialtone::usage::v1::UsageMetering::Service {};

}  // namespace dialtone::usage_metering
