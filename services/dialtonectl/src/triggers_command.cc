// `dialtonectl triggers list|create|delete --account SID …`: usage triggers over gRPC, as JSON.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>

#include "cli_args.h"
#include "cli_output.h"
#include "commands.h"
#include "dialtone/triggers/v1/triggers.grpc.pb.h"

namespace dialtone::ctl {
namespace {

namespace pb = dialtone::triggers::v1;

constexpr char kUsage[] =
    "usage: dialtonectl triggers list --account SID [--category C] [--page-size N] [--page-token "
    "T]\n"
    "       dialtonectl triggers create --account SID --category C --value V|+N --callback-url "
    "URL\n"
    "                                   [--trigger-by count|usage|price]\n"
    "                                   [--recurring daily|monthly|yearly|alltime]\n"
    "                                   [--callback-method GET|POST] [--friendly-name NAME]\n"
    "       dialtonectl triggers delete --account SID --sid UT...\n"
    "  --addr HOST:PORT  triggers gRPC (default $DIALTONE_TRIGGERS_ADDR or 127.0.0.1:50055)\n";

int Usage(const std::string& problem = {}) {
  if (!problem.empty()) std::cerr << "error: " << problem << "\n";
  std::cerr << kUsage;
  return 2;
}

}  // namespace

int RunTriggers(const std::vector<std::string>& raw) {
  auto args = ParseCliArgs(raw);
  if (!args.ok() || args->positional.size() != 1) return Usage();
  std::string addr =
      ServiceAddress(args->GetOr("addr", ""), "DIALTONE_TRIGGERS_ADDR", "127.0.0.1:50055");
  auto channel = ServiceChannelOrPrint(addr);
  if (channel == nullptr) return 2;
  auto stub = pb::Triggers::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const std::string& verb = args->positional[0];
  std::string account = args->GetOr("account", "");
  if (account.empty()) return Usage("--account is required");

  if (verb == "list") {
    pb::ListTriggersRequest req;
    req.set_account_sid(account);
    req.set_usage_category(args->GetOr("category", ""));
    req.set_page_size(std::atoi(args->GetOr("page-size", "0").c_str()));
    req.set_page_token(args->GetOr("page-token", ""));
    pb::ListTriggersResponse resp;
    grpc::Status s = stub->ListTriggers(&ctx, req, &resp);
    if (!s.ok()) return Fail(s);
    PrintJson(resp);
    return 0;
  }
  if (verb == "create") {
    pb::CreateTriggerRequest req;
    req.set_account_sid(account);
    req.set_usage_category(args->GetOr("category", ""));
    req.set_trigger_value(args->GetOr("value", ""));
    req.set_callback_url(args->GetOr("callback-url", ""));
    req.set_friendly_name(args->GetOr("friendly-name", ""));
    std::string by = args->GetOr("trigger-by", "usage");
    if (by == "count")
      req.set_trigger_by(pb::TRIGGER_BY_COUNT);
    else if (by == "usage")
      req.set_trigger_by(pb::TRIGGER_BY_USAGE);
    else if (by == "price")
      req.set_trigger_by(pb::TRIGGER_BY_PRICE);
    else
      return Usage("--trigger-by must be count, usage or price");
    std::string rec = args->GetOr("recurring", "");
    if (rec == "daily")
      req.set_recurring(pb::RECURRING_DAILY);
    else if (rec == "monthly")
      req.set_recurring(pb::RECURRING_MONTHLY);
    else if (rec == "yearly")
      req.set_recurring(pb::RECURRING_YEARLY);
    else if (rec == "alltime")
      req.set_recurring(pb::RECURRING_ALLTIME);
    else if (!rec.empty())
      return Usage("--recurring must be daily, monthly, yearly or alltime");
    std::string method = args->GetOr("callback-method", "POST");
    if (method == "GET")
      req.set_callback_method(pb::CALLBACK_METHOD_GET);
    else if (method == "POST")
      req.set_callback_method(pb::CALLBACK_METHOD_POST);
    else
      return Usage("--callback-method must be GET or POST");
    pb::UsageTrigger resp;
    grpc::Status s = stub->CreateTrigger(&ctx, req, &resp);
    if (!s.ok()) return Fail(s);
    PrintJson(resp);
    return 0;
  }
  if (verb == "delete") {
    pb::DeleteTriggerRequest req;
    req.set_account_sid(account);
    req.set_sid(args->GetOr("sid", ""));
    if (req.sid().empty()) return Usage("--sid is required");
    pb::DeleteTriggerResponse resp;
    grpc::Status s = stub->DeleteTrigger(&ctx, req, &resp);
    if (!s.ok()) return Fail(s);
    std::cout << "{\"deleted\": \"" << req.sid() << "\"}\n";
    return 0;
  }
  return Usage();
}

}  // namespace dialtone::ctl
