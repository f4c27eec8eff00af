// gRPC CallRouter handler. Calls, recordings, numbers and applications arrive with the call
// router issues; until then every RPC answers UNIMPLEMENTED (the generated default).
#pragma once

#include "dialtone/callrouter/v1/call_router.grpc.pb.h"

namespace dialtone::call_router {

// Runs on gRPC's server threads.
class CallRouterGrpc final : public dialtone::callrouter::v1::CallRouter::Service {};

}  // namespace dialtone::call_router
