// UsageMeteringGrpc: request validation and mapping.
#include "adapters/usage_metering_grpc.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/rpc/status.h"
#include "dialtone/usage/micros.h"
#include "domain/category_catalog.h"

namespace dialtone::usage_metering {
namespace {

namespace pb = dialtone::usage::v1;

constexpr int kMaxBatch = 10000;

grpc::Status Invalid(const std::string& message) {
  return {grpc::StatusCode::INVALID_ARGUMENT, message};
}

RawUsageEvent FromProto(const pb::UsageEvent& e) {
  RawUsageEvent raw{.event_id = e.event_id(),
                    .account_sid = e.account_sid(),
                    .category = e.category(),
                    .count = e.count(),
                    .usage = e.usage(),
                    .price = e.price(),
                    .price_unit = e.price_unit()};
  if (e.has_time()) raw.time = rpc::FromProto(e.time());
  return raw;
}

}  // namespace

grpc::Status UsageMeteringGrpc::PublishUsage(grpc::ServerContext*,
                                             const pb::PublishUsageRequest* req,
                                             pb::PublishUsageResponse* resp) {
  if (req->events_size() > kMaxBatch) {
    return Invalid(absl::StrCat("a batch holds at most ", kMaxBatch, " events"));
  }
  // Grouped by account: one script per account, so each touches one hash slot.
  std::map<std::string, std::vector<UsageEvent>> by_account;
  for (int i = 0; i < req->events_size(); ++i) {
    auto event = ValidateEvent(FromProto(req->events(i)));
    if (!event.ok()) {
      return Invalid(absl::StrCat("event ", i, " (\"", req->events(i).event_id(),
                                  "\"): ", event.status().message()));
    }
    by_account[event->account_sid].push_back(std::move(*event));
  }
  int counted = 0;
  int duplicates = 0;
  for (auto& [account, events] : by_account) {
    absl::Time started = absl::Now();
    auto outcome = deps_.store.Publish(events);
    if (!outcome.ok()) {
      // Earlier accounts are counted already; the publisher's retry is deduplicated.
      return rpc::ToGrpcStatus(outcome.status());
    }
    if (deps_.metrics) deps_.metrics->Batch(absl::Now() - started);
    absl::Time newest = absl::InfinitePast();
    for (size_t i = 0; i < events.size(); ++i) {
      if (outcome->counted[i]) {
        ++counted;
        newest = std::max(newest, events[i].time);
      } else {
        ++duplicates;
      }
    }
    TriggerPusher* pusher = pusher_.load();
    if (pusher != nullptr && !outcome->counters.empty()) pusher->Push(outcome->counters, newest);
  }
  if (deps_.metrics) deps_.metrics->Counted(counted, duplicates);
  resp->set_counted(counted);
  resp->set_duplicates(duplicates);
  return grpc::Status::OK;
}

grpc::Status UsageMeteringGrpc::GetCounters(grpc::ServerContext*, const pb::GetCountersRequest* req,
                                            pb::GetCountersResponse* resp) {
  if (auto s = core::ValidateSid(req->account_sid(), core::kAccountPrefix); !s.ok()) {
    return rpc::ToGrpcStatus(s);
  }
  if (FindCategory(req->category()) == nullptr) {
    return Invalid(absl::StrCat("unknown category \"", req->category(), "\""));
  }
  absl::Time at = req->has_at() ? rpc::FromProto(req->at()) : deps_.clock();
  std::vector<CounterRef> refs;
  for (const std::string& period : usage::PeriodKeysFor(at))
    refs.push_back({req->category(), period});
  auto values = deps_.store.Read(req->account_sid(), refs);
  if (!values.ok()) return rpc::ToGrpcStatus(values.status());
  resp->set_account_sid(req->account_sid());
  resp->set_category(req->category());
  for (size_t i = 0; i < refs.size(); ++i) {
    pb::PeriodCounters* p = resp->add_periods();
    p->set_period(refs[i].period);
    p->set_count(std::to_string((*values)[i].count));
    p->set_usage(usage::FormatMicros((*values)[i].usage));
    p->set_price(usage::FormatMicros((*values)[i].price));
  }
  return grpc::Status::OK;
}

grpc::Status UsageMeteringGrpc::QueryUsage(grpc::ServerContext*, const pb::QueryUsageRequest* req,
                                           pb::QueryUsageResponse* resp) {
  if (auto s = core::ValidateSid(req->account_sid(), core::kAccountPrefix); !s.ok()) {
    return rpc::ToGrpcStatus(s);
  }
  UsageQuerySpec spec{.account_sid = req->account_sid(), .category = req->category()};
  switch (req->granularity()) {
    case pb::GRANULARITY_DAILY: spec.granularity = usage::PeriodKind::kDaily; break;
    case pb::GRANULARITY_MONTHLY: spec.granularity = usage::PeriodKind::kMonthly; break;
    case pb::GRANULARITY_YEARLY: spec.granularity = usage::PeriodKind::kYearly; break;
    case pb::GRANULARITY_ALL_TIME:
    case pb::GRANULARITY_UNSPECIFIED: spec.granularity = usage::PeriodKind::kAllTime; break;
    default: return Invalid("unknown granularity");
  }
  absl::Time now = deps_.clock();
  switch (req->relative()) {
    case pb::RELATIVE_PERIOD_UNSPECIFIED: break;
    case pb::RELATIVE_PERIOD_TODAY:
      spec.range = usage::RelativeRange(usage::RelativePeriod::kToday, now);
      break;
    case pb::RELATIVE_PERIOD_YESTERDAY:
      spec.range = usage::RelativeRange(usage::RelativePeriod::kYesterday, now);
      break;
    case pb::RELATIVE_PERIOD_THIS_MONTH:
      spec.range = usage::RelativeRange(usage::RelativePeriod::kThisMonth, now);
      break;
    case pb::RELATIVE_PERIOD_LAST_MONTH:
      spec.range = usage::RelativeRange(usage::RelativePeriod::kLastMonth, now);
      break;
    default: return Invalid("unknown relative period");
  }
  if (!spec.range && (!req->start_date().empty() || !req->end_date().empty())) {
    absl::CivilDay today = usage::UtcDay(now);
    usage::DayRange range{today, today};
    if (!req->start_date().empty()) {
      auto d = usage::ParseDay(req->start_date());
      if (!d.ok()) return Invalid(absl::StrCat("start_date: ", d.status().message()));
      range.start = *d;
    }
    if (!req->end_date().empty()) {
      auto d = usage::ParseDay(req->end_date());
      if (!d.ok()) return Invalid(absl::StrCat("end_date: ", d.status().message()));
      range.end = *d;
    }
    if (req->start_date().empty()) range.start = range.end - 30;
    spec.range = range;
  }
  int page_size = req->page_size() == 0 ? 1000 : req->page_size();
  if (page_size < 1 || page_size > 1000) return Invalid("page_size must be between 1 and 1000");
  size_t offset = 0;
  if (!req->page_token().empty() && !absl::SimpleAtoi(req->page_token(), &offset)) {
    return Invalid("page_token is not valid");
  }
  auto records = deps_.query.Run(spec);
  if (!records.ok()) return rpc::ToGrpcStatus(records.status());
  for (size_t i = offset; i < records->size() && i < offset + page_size; ++i) {
    const UsageRecordFields& r = (*records)[i];
    pb::UsageRecord* out = resp->add_records();
    out->set_account_sid(r.account_sid);
    out->set_category(r.category);
    out->set_description(r.description);
    out->set_count(r.count);
    out->set_count_unit(r.count_unit);
    out->set_usage(r.usage);
    out->set_usage_unit(r.usage_unit);
    out->set_price(r.price);
    out->set_price_unit(r.price_unit);
    out->set_start_date(r.start_date);
    out->set_end_date(r.end_date);
    rpc::ToProto(r.as_of, out->mutable_as_of());
  }
  if (offset + page_size < records->size()) {
    resp->set_next_page_token(std::to_string(offset + page_size));
  }
  return grpc::Status::OK;
}

grpc::Status UsageMeteringGrpc::ListCategories(grpc::ServerContext*,
                                               const pb::ListCategoriesRequest*,
                                               pb::ListCategoriesResponse* resp) {
  for (const CategoryInfo& c : AllCategories()) {
    pb::Category* out = resp->add_categories();
    out->set_name(c.name);
    out->set_description(c.description);
    out->set_count_unit(c.count_unit);
    out->set_usage_unit(c.usage_unit);
    for (const std::string& r : c.rolls_up_into) out->add_rolls_up_into(r);
  }
  return grpc::Status::OK;
}

}  // namespace dialtone::usage_metering
