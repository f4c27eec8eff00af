// Checks every CallRouter RPC makes of its request before anything else.
#pragma once

#include <grpcpp/support/status.h>

#include <string>

#include "dialtone/core/sid.h"

namespace dialtone::call_router {

// INVALID_ARGUMENT unless `account_sid` is an Account SID.
inline grpc::Status CheckAccount(const std::string& account_sid) {
  if (core::IsSid(account_sid, core::kAccountPrefix)) return grpc::Status::OK;
  return {grpc::StatusCode::INVALID_ARGUMENT, "account_sid is not a valid Account SID"};
}

}  // namespace dialtone::call_router
