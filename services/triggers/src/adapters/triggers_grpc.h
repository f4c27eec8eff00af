// gRPC Triggers handler. Trigger CRUD and evaluation arrive with the usage triggers issue;
// until then every RPC answers UNIMPLEMENTED (the generated default).
#pragma once

#include "dialtone/triggers/v1/triggers.grpc.pb.h"

namespace dialtone::triggers {

// Runs on gRPC's server threads.
class TriggersGrpc final : public dialtone::triggers::v1::Triggers::Service {};

}  // namespace dialtone::triggers
