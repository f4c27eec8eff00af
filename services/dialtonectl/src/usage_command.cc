// `dialtonectl usage publish|query`: publish one usage event, or read usage records, over gRPC.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli_args.h"
#include "cli_output.h"
#include "commands.h"
#include "dialtone/rpc/status.h"
#include "dialtone/usage/v1/usage_metering.grpc.pb.h"

namespace dialtone::ctl {
namespace {

namespace pb = dialtone::usage::v1;

constexpr char kUsage[] =
    "usage: dialtonectl usage publish --account SID --category C [--count N] [--usage X]\n"
    "                                 [--price P] [--id EVENT_ID] [--time ISO-8601]\n"
    "       dialtonectl usage query --account SID [--category C]\n"
    "                               [--period daily|monthly|yearly|alltime]\n"
    "                               [--start YYYY-MM-DD --end YYYY-MM-DD]\n"
    "                               [--relative today|yesterday|thismonth|lastmonth]\n"
    "  --addr HOST:PORT  usage-metering gRPC (default $DIALTONE_USAGE_METERING_ADDR or "
    "127.0.0.1:50054)\n";

int Usage(const std::string& problem = {}) {
  if (!problem.empty()) std::cerr << "error: " << problem << "\n";
  std::cerr << kUsage;
  return 2;
}

// A random event id when none is given: a retry of the same command counts again, by intent.
std::string RandomId() {
  return "ctl-" + std::to_string(absl::ToUnixNanos(absl::Now())) + "-" +
         std::to_string(std::rand());
}

}  // namespace

int RunUsage(const std::vector<std::string>& raw) {
  auto args = ParseCliArgs(raw);
  if (!args.ok() || args->positional.size() != 1) return Usage();
  std::string addr =
      ServiceAddress(args->GetOr("addr", ""), "DIALTONE_USAGE_METERING_ADDR", "127.0.0.1:50054");
  auto channel = ServiceChannelOrPrint(addr);
  if (channel == nullptr) return 2;
  auto stub = pb::UsageMetering::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const std::string& verb = args->positional[0];
  std::string account = args->GetOr("account", "");
  if (account.empty()) return Usage("--account is required");

  if (verb == "publish") {
    pb::PublishUsageRequest req;
    pb::UsageEvent* e = req.add_events();
    e->set_event_id(args->GetOr("id", RandomId()));
    e->set_account_sid(account);
    e->set_category(args->GetOr("category", ""));
    int64_t count = 1;
    if (!absl::SimpleAtoi(args->GetOr("count", "1"), &count))
      return Usage("--count is not a number");
    e->set_count(count);
    e->set_usage(args->GetOr("usage", ""));
    e->set_price(args->GetOr("price", ""));
    if (!e->price().empty()) e->set_price_unit("USD");
    e->set_source("dialtonectl");
    absl::Time t = absl::Now();
    if (auto text = args->Get("time")) {
      std::string err;
      if (!absl::ParseTime(absl::RFC3339_full, *text, &t, &err)) {
        return Usage("--time is not ISO-8601 (e.g. 2026-11-25T19:21:07Z): " + err);
      }
    }
    rpc::ToProto(t, e->mutable_time());
    pb::PublishUsageResponse resp;
    grpc::Status s = stub->PublishUsage(&ctx, req, &resp);
    if (!s.ok()) return Fail(s);
    PrintJson(resp);
    return 0;
  }
  if (verb == "query") {
    pb::QueryUsageRequest req;
    req.set_account_sid(account);
    req.set_category(args->GetOr("category", ""));
    std::string period = args->GetOr("period", "alltime");
    if (period == "daily")
      req.set_granularity(pb::GRANULARITY_DAILY);
    else if (period == "monthly")
      req.set_granularity(pb::GRANULARITY_MONTHLY);
    else if (period == "yearly")
      req.set_granularity(pb::GRANULARITY_YEARLY);
    else if (period == "alltime")
      req.set_granularity(pb::GRANULARITY_ALL_TIME);
    else
      return Usage("--period must be daily, monthly, yearly or alltime");
    req.set_start_date(args->GetOr("start", ""));
    req.set_end_date(args->GetOr("end", ""));
    std::string rel = args->GetOr("relative", "");
    if (rel == "today")
      req.set_relative(pb::RELATIVE_PERIOD_TODAY);
    else if (rel == "yesterday")
      req.set_relative(pb::RELATIVE_PERIOD_YESTERDAY);
    else if (rel == "thismonth")
      req.set_relative(pb::RELATIVE_PERIOD_THIS_MONTH);
    else if (rel == "lastmonth")
      req.set_relative(pb::RELATIVE_PERIOD_LAST_MONTH);
    else if (!rel.empty())
      return Usage("--relative must be today, yesterday, thismonth or lastmonth");
    pb::QueryUsageResponse resp;
    grpc::Status s = stub->QueryUsage(&ctx, req, &resp);
    if (!s.ok()) return Fail(s);
    PrintJson(resp);
    return 0;
  }
  return Usage();
}

}  // namespace dialtone::ctl
