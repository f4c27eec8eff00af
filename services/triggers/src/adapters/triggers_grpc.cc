// TriggersGrpc: validation, mapping and the one absl -> gRPC status mapping of this service.
#include "adapters/triggers_grpc.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "dialtone/core/sid.h"
#include "dialtone/rpc/status.h"
#include "dialtone/usage/micros.h"
#include "domain/callback_params.h"
#include "domain/trigger_value.h"

namespace dialtone::triggers {
namespace {

namespace pb = dialtone::triggers::v1;
namespace um = dialtone::usage;

absl::Status CheckAccount(const std::string& account) {
  if (account.empty()) return RequireParameter("AccountSid", account);
  if (!core::IsSid(account, core::kAccountPrefix)) {
    return TwilioError(kErrorInvalidParameter, "AccountSid is not a valid Account SID");
  }
  return absl::OkStatus();
}

absl::Status CheckTriggerSid(const std::string& sid) {
  if (!core::IsSid(sid, core::kUsageTriggerPrefix)) {
    return absl::NotFoundError(
        absl::StrCat("The requested resource /UsageTriggers/", sid, " was not found"));
  }
  return absl::OkStatus();
}

absl::StatusOr<TriggerBy> FromProto(pb::TriggerBy by) {
  switch (by) {
    case pb::TRIGGER_BY_UNSPECIFIED:  // Twilio's default
    case pb::TRIGGER_BY_USAGE: return TriggerBy::kUsage;
    case pb::TRIGGER_BY_COUNT: return TriggerBy::kCount;
    case pb::TRIGGER_BY_PRICE: return TriggerBy::kPrice;
    default: return TwilioError(kErrorInvalidParameter, "TriggerBy must be count, usage or price");
  }
}

absl::StatusOr<Recurring> FromProto(pb::Recurring r) {
  switch (r) {
    case pb::RECURRING_UNSPECIFIED: return Recurring::kNone;
    case pb::RECURRING_DAILY: return Recurring::kDaily;
    case pb::RECURRING_MONTHLY: return Recurring::kMonthly;
    case pb::RECURRING_YEARLY: return Recurring::kYearly;
    case pb::RECURRING_ALLTIME: return Recurring::kAllTime;
    default:
      return TwilioError(kErrorInvalidParameter,
                         "Recurring must be daily, monthly, yearly, alltime or empty");
  }
}

absl::StatusOr<CallbackMethod> FromProto(pb::CallbackMethod m) {
  switch (m) {
    case pb::CALLBACK_METHOD_UNSPECIFIED:
    case pb::CALLBACK_METHOD_POST: return CallbackMethod::kPost;
    case pb::CALLBACK_METHOD_GET: return CallbackMethod::kGet;
    default: return TwilioError(kErrorInvalidParameter, "CallbackMethod must be GET or POST");
  }
}

pb::TriggerBy ToProto(TriggerBy by) {
  switch (by) {
    case TriggerBy::kCount: return pb::TRIGGER_BY_COUNT;
    case TriggerBy::kUsage: return pb::TRIGGER_BY_USAGE;
    case TriggerBy::kPrice: return pb::TRIGGER_BY_PRICE;
  }
  return pb::TRIGGER_BY_USAGE;
}

pb::Recurring ToProto(Recurring r) {
  switch (r) {
    case Recurring::kNone: return pb::RECURRING_UNSPECIFIED;
    case Recurring::kDaily: return pb::RECURRING_DAILY;
    case Recurring::kMonthly: return pb::RECURRING_MONTHLY;
    case Recurring::kYearly: return pb::RECURRING_YEARLY;
    case Recurring::kAllTime: return pb::RECURRING_ALLTIME;
  }
  return pb::RECURRING_UNSPECIFIED;
}

}  // namespace

void ToProto(const Trigger& t, pb::UsageTrigger* out) {
  out->set_sid(t.sid);
  out->set_account_sid(t.account_sid);
  out->set_friendly_name(t.friendly_name);
  out->set_usage_category(t.usage_category);
  out->set_trigger_by(ToProto(t.trigger_by));
  out->set_trigger_value(um::FormatMicros(t.trigger_value));
  out->set_recurring(ToProto(t.recurring));
  out->set_callback_url(t.callback_url);
  out->set_callback_method(t.callback_method == CallbackMethod::kGet ? pb::CALLBACK_METHOD_GET
                                                                     : pb::CALLBACK_METHOD_POST);
  out->set_current_value(um::FormatMicros(t.current_value));
  if (t.date_fired) rpc::ToProto(*t.date_fired, out->mutable_date_fired());
  rpc::ToProto(t.date_created, out->mutable_date_created());
  rpc::ToProto(t.date_updated, out->mutable_date_updated());
  out->set_usage_record_uri(UsageRecordUri(t.account_sid, t.usage_category));
  out->set_api_version("2010-04-01");
}

grpc::Status TriggersGrpc::CreateTrigger(grpc::ServerContext*, const pb::CreateTriggerRequest* req,
                                         pb::UsageTrigger* resp) {
  if (auto s = CheckAccount(req->account_sid()); !s.ok()) return rpc::ToGrpcStatus(s);
  if (auto s = RequireParameter("CallbackUrl", req->callback_url()); !s.ok())
    return rpc::ToGrpcStatus(s);
  if (auto s = RequireParameter("TriggerValue", req->trigger_value()); !s.ok())
    return rpc::ToGrpcStatus(s);
  if (auto s = RequireParameter("UsageCategory", req->usage_category()); !s.ok())
    return rpc::ToGrpcStatus(s);
  if (auto s = ValidateCallbackUrl(req->callback_url()); !s.ok()) return rpc::ToGrpcStatus(s);
  if (auto s = ValidateFriendlyName(req->friendly_name()); !s.ok()) return rpc::ToGrpcStatus(s);
  auto by = FromProto(req->trigger_by());
  if (!by.ok()) return rpc::ToGrpcStatus(by.status());
  auto recurring = FromProto(req->recurring());
  if (!recurring.ok()) return rpc::ToGrpcStatus(recurring.status());
  auto method = FromProto(req->callback_method());
  if (!method.ok()) return rpc::ToGrpcStatus(method.status());
  auto spec = ParseTriggerValue(req->trigger_value(), *by);
  if (!spec.ok()) return rpc::ToGrpcStatus(spec.status());

  // The counter the trigger watches, now: its current value, the base of "+N", and the check
  // that metering knows the category.
  absl::Time now = deps_.clock();
  auto counters = deps_.reader.Read(req->account_sid(), req->usage_category(), now);
  if (!counters.ok()) {
    if (absl::IsInvalidArgument(counters.status())) {
      return rpc::ToGrpcStatus(TwilioError(
          kErrorInvalidParameter,
          absl::StrCat("UsageCategory \"", req->usage_category(), "\" is not a usage category")));
    }
    return rpc::ToGrpcStatus(counters.status());
  }
  std::string period = CounterPeriodFor(*recurring, now);
  int64_t current = 0;
  for (const CounterSnapshot& c : *counters) {
    if (c.period == period) current = ValueFor(*by, c);
  }
  auto value = ResolveTriggerValue(*spec, current);
  if (!value.ok()) return rpc::ToGrpcStatus(value.status());

  Trigger t{.sid = core::NewSid(core::kUsageTriggerPrefix),
            .account_sid = req->account_sid(),
            .friendly_name = req->friendly_name(),
            .usage_category = req->usage_category(),
            .trigger_by = *by,
            .trigger_value = *value,
            .recurring = *recurring,
            .callback_url = req->callback_url(),
            .callback_method = *method,
            .current_value = current,
            .date_created = now,
            .date_updated = now};
  if (auto s = deps_.repo.Create(t); !s.ok()) return rpc::ToGrpcStatus(s);
  ToProto(t, resp);
  return grpc::Status::OK;
}

grpc::Status TriggersGrpc::GetTrigger(grpc::ServerContext*, const pb::GetTriggerRequest* req,
                                      pb::UsageTrigger* resp) {
  if (auto s = CheckAccount(req->account_sid()); !s.ok()) return rpc::ToGrpcStatus(s);
  if (auto s = CheckTriggerSid(req->sid()); !s.ok()) return rpc::ToGrpcStatus(s);
  auto t = deps_.repo.Get(req->account_sid(), req->sid());
  if (!t.ok()) return rpc::ToGrpcStatus(t.status());
  ToProto(*t, resp);
  return grpc::Status::OK;
}

grpc::Status TriggersGrpc::ListTriggers(grpc::ServerContext*, const pb::ListTriggersRequest* req,
                                        pb::ListTriggersResponse* resp) {
  if (auto s = CheckAccount(req->account_sid()); !s.ok()) return rpc::ToGrpcStatus(s);
  TriggerRepository::ListQuery q{.account_sid = req->account_sid(),
                                 .usage_category = req->usage_category()};
  // Filters: UNSPECIFIED means "any" (a filter on non-recurring triggers is not expressible).
  if (req->recurring() != pb::RECURRING_UNSPECIFIED) {
    auto r = FromProto(req->recurring());
    if (!r.ok()) return rpc::ToGrpcStatus(r.status());
    q.recurring = *r;
  }
  if (req->trigger_by() != pb::TRIGGER_BY_UNSPECIFIED) {
    auto by = FromProto(req->trigger_by());
    if (!by.ok()) return rpc::ToGrpcStatus(by.status());
    q.trigger_by = *by;
  }
  q.page_size = req->page_size() == 0 ? 50 : req->page_size();
  if (q.page_size < 1 || q.page_size > 1000) {
    return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, 20007,
                                "PageSize must be between 1 and 1000");
  }
  if (!req->page_token().empty()) {
    if (!core::IsSid(req->page_token(), core::kUsageTriggerPrefix)) {
      return rpc::TwilioGrpcError(grpc::StatusCode::INVALID_ARGUMENT, 20007,
                                  "PageToken is not valid");
    }
    q.after_sid = req->page_token();
  }
  auto rows = deps_.repo.List(q);
  if (!rows.ok()) return rpc::ToGrpcStatus(rows.status());
  bool more = static_cast<int>(rows->size()) > q.page_size;
  if (more) rows->pop_back();
  for (const Trigger& t : *rows) ToProto(t, resp->add_triggers());
  if (more) resp->set_next_page_token(rows->back().sid);
  return grpc::Status::OK;
}

grpc::Status TriggersGrpc::UpdateTrigger(grpc::ServerContext*, const pb::UpdateTriggerRequest* req,
                                         pb::UsageTrigger* resp) {
  if (auto s = CheckAccount(req->account_sid()); !s.ok()) return rpc::ToGrpcStatus(s);
  if (auto s = CheckTriggerSid(req->sid()); !s.ok()) return rpc::ToGrpcStatus(s);
  TriggerRepository::Update u;
  if (req->has_friendly_name()) {
    if (auto s = ValidateFriendlyName(req->friendly_name()); !s.ok()) return rpc::ToGrpcStatus(s);
    u.friendly_name = req->friendly_name();
  }
  if (req->has_callback_url()) {
    if (auto s = ValidateCallbackUrl(req->callback_url()); !s.ok()) return rpc::ToGrpcStatus(s);
    u.callback_url = req->callback_url();
  }
  if (req->callback_method() != pb::CALLBACK_METHOD_UNSPECIFIED) {
    auto m = FromProto(req->callback_method());
    if (!m.ok()) return rpc::ToGrpcStatus(m.status());
    u.callback_method = *m;
  }
  auto t = deps_.repo.Apply(req->account_sid(), req->sid(), u, deps_.clock());
  if (!t.ok()) return rpc::ToGrpcStatus(t.status());
  ToProto(*t, resp);
  return grpc::Status::OK;
}

grpc::Status TriggersGrpc::DeleteTrigger(grpc::ServerContext*, const pb::DeleteTriggerRequest* req,
                                         pb::DeleteTriggerResponse*) {
  if (auto s = CheckAccount(req->account_sid()); !s.ok()) return rpc::ToGrpcStatus(s);
  if (auto s = CheckTriggerSid(req->sid()); !s.ok()) return rpc::ToGrpcStatus(s);
  return rpc::ToGrpcStatus(deps_.repo.Delete(req->account_sid(), req->sid()));
}

grpc::Status TriggersGrpc::ReportCounters(grpc::ServerContext*,
                                          const pb::ReportCountersRequest* req,
                                          pb::ReportCountersResponse*) {
  std::vector<CounterSnapshot> counters;
  std::optional<absl::Time> newest;
  for (const pb::CounterUpdate& u : req->updates()) {
    CounterSnapshot c{
        .account_sid = u.account_sid(), .category = u.category(), .period = u.period()};
    auto usage = um::ParseMicros(u.usage());
    auto price = um::ParseMicros(u.price());
    if (!absl::SimpleAtoi(u.count(), &c.count) || !usage.ok() || !price.ok()) {
      return {grpc::StatusCode::INVALID_ARGUMENT,
              absl::StrCat("malformed counter update for ", u.account_sid(), " ", u.category())};
    }
    c.usage = *usage;
    c.price = *price;
    counters.push_back(std::move(c));
    if (u.has_event_time()) {
      absl::Time t = rpc::FromProto(u.event_time());
      if (!newest || t > *newest) newest = t;
    }
  }
  auto fired = deps_.evaluator.OnCounters(counters, newest);
  return rpc::ToGrpcStatus(fired.status());
}

}  // namespace dialtone::triggers
