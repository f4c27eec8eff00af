// `dialtonectl accounts create|get|list|rotate-token`: account administration over gRPC.
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
    "  --addr HOST:PORT  rest-gateway gRPC (default $DIALTONE_REST_GATEWAY_ADDR or "
    "127.0.0.1:50053)\n";

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
