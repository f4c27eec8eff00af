// `dialtonectl accounts create|get|list|rotate-token|settings`: account administration over gRPC.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>

#include "cli_args.h"
#include "cli_output.h"
#include "commands.h"
#include "dialtone/accounts/v1/accounts.grpc.pb.h"

namespace dialtone::ctl {
namespace {

namespace pb = dialtone::accounts::v1;

constexpr char kUsage[] =
    "usage: dialtonectl accounts create [--friendly-name NAME]\n"
    "       dialtonectl accounts get SID\n"
    "       dialtonectl accounts list [--page-size N]\n"
    "       dialtonectl accounts rotate-token SID\n"
    "       dialtonectl accounts settings SID [--set NAME=VALUE]... [--reset NAME|all]...\n"
    "         NAME: media_http_auth (true|false), calls_per_second, max_concurrent_calls,\n"
    "         max_call_seconds, max_quiet_steps, api_requests_per_second (0: no limit)\n"
    "  --addr HOST:PORT  rest-gateway gRPC (default $DIALTONE_REST_GATEWAY_ADDR or "
    "127.0.0.1:50053)\n";

// Sets the field NAME of `out` from "NAME=VALUE"; false (with a message) for a bad one.
bool SetOverride(const std::string& assignment, pb::AccountSettingsOverrides* out) {
  auto eq = assignment.find('=');
  std::string name = assignment.substr(0, eq);
  const auto* field = out->GetDescriptor()->FindFieldByName(name);
  if (eq == std::string::npos || field == nullptr) {
    std::cerr << "dialtonectl: --set wants NAME=VALUE with a setting's name, not " << assignment
              << "\n";
    return false;
  }
  std::string value = assignment.substr(eq + 1);
  const auto* reflection = out->GetReflection();
  if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_BOOL) {
    if (value != "true" && value != "false") {
      std::cerr << "dialtonectl: " << name << " is true or false\n";
      return false;
    }
    reflection->SetBool(out, field, value == "true");
    return true;
  }
  char* end = nullptr;
  long n = std::strtol(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || n < 0 || n > 1000000) {
    std::cerr << "dialtonectl: " << name << " is a whole number from 0 (no limit)\n";
    return false;
  }
  reflection->SetInt32(out, field, static_cast<int32_t>(n));
  return true;
}

}  // namespace

int RunAccounts(const std::vector<std::string>& raw) {
  auto args = ParseCliArgs(raw);
  if (!args.ok() || args->positional.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  std::string addr =
      ServiceAddress(args->GetOr("addr", ""), "DIALTONE_REST_GATEWAY_ADDR", "127.0.0.1:50053");
  auto channel = ServiceChannelOrPrint(addr);
  if (channel == nullptr) return 2;
  auto stub = pb::Accounts::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const std::string& verb = args->positional[0];
  grpc::Status s;
  if (verb == "create") {
    pb::CreateAccountRequest req;
    req.set_friendly_name(args->GetOr("friendly-name", ""));
    pb::Account resp;
    s = stub->CreateAccount(&ctx, req, &resp);
    if (s.ok()) PrintJson(resp);
  } else if ((verb == "get" || verb == "rotate-token") && args->positional.size() == 2) {
    pb::Account resp;
    if (verb == "get") {
      pb::GetAccountRequest req;
      req.set_sid(args->positional[1]);
      s = stub->GetAccount(&ctx, req, &resp);
    } else {
      pb::RotateAuthTokenRequest req;
      req.set_sid(args->positional[1]);
      s = stub->RotateAuthToken(&ctx, req, &resp);
    }
    if (s.ok()) PrintJson(resp);
  } else if (verb == "settings" && args->positional.size() == 2) {
    pb::AccountSettingsResponse resp;
    std::vector<std::string> sets = args->GetAll("set");
    std::vector<std::string> resets = args->GetAll("reset");
    if (sets.empty() && resets.empty()) {
      pb::GetAccountSettingsRequest req;
      req.set_sid(args->positional[1]);
      s = stub->GetAccountSettings(&ctx, req, &resp);
    } else {
      pb::UpdateAccountSettingsRequest req;
      req.set_sid(args->positional[1]);
      for (const auto& a : sets) {
        if (!SetOverride(a, req.mutable_set())) return 2;
      }
      for (const auto& r : resets) req.add_reset(r);
      s = stub->UpdateAccountSettings(&ctx, req, &resp);
    }
    if (s.ok()) PrintJson(resp);
  } else if (verb == "list") {
    pb::ListAccountsRequest req;
    req.set_page_size(std::atoi(args->GetOr("page-size", "50").c_str()));
    pb::ListAccountsResponse resp;
    s = stub->ListAccounts(&ctx, req, &resp);
    if (s.ok()) PrintJson(resp);
  } else {
    std::cerr << kUsage;
    return 2;
  }
  return s.ok() ? 0 : Fail(s);
}

}  // namespace dialtone::ctl
