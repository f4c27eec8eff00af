// TriggersCore wiring.
#include "app/triggers_core.h"

#include "absl/time/clock.h"

namespace dialtone::triggers {
namespace {

std::unique_ptr<AuthTokens> TokensFrom(const Config& c) {
  if (!c.test_auth_token.empty()) return MakeFixedAuthToken(c.test_auth_token);
  return MakeGatewayAuthTokens(c.rest_gateway_addr, c.common.grpc_tls, absl::Seconds(60));
}

}  // namespace

TriggersCore::TriggersCore(const Config& config, Clock clock, std::unique_ptr<AuthTokens> tokens)
    : config_(config),
      clock_(clock ? std::move(clock) : Clock([] { return absl::Now(); })),
      pg_({.url = config_.pg_url, .max_connections = 8}),
      repo_(pg_),
      reader_(MakeGrpcCounterReader(config_.usage_metering_addr, config_.common.grpc_tls,
                                    absl::Seconds(5))),
      tokens_(tokens ? std::move(tokens) : TokensFrom(config_)),
      dispatcher_(std::make_unique<CallbackDispatcher>(
          repo_, *tokens_,
          CallbackDispatcher::Options{
              .workers = config_.delivery_workers,
              .lease = std::max(absl::Seconds(30), config_.callback_timeout * 20),
              .poll_interval = config_.delivery_poll_interval,
              .initial_backoff = config_.delivery_initial_backoff,
              .max_backoff = config_.delivery_max_backoff,
              .max_age = config_.delivery_max_age,
              .http = {.connect_timeout = std::min(absl::Seconds(5), config_.callback_timeout),
                       .total_timeout = config_.callback_timeout,
                       .policy = http::TenantFetchPolicy(
                                     config_.fetch_allow,
                                     {config_.common.grpc_addr, config_.common.metrics_addr,
                                      config_.usage_metering_addr, config_.rest_gateway_addr})
                                     .value()}},
          &metrics_)),
      evaluator_({.repo = repo_,
                  .reader = *reader_,
                  .clock = clock_,
                  .metrics = &metrics_,
                  .on_fired = [this] { dispatcher_->Wake(); }}),
      grpc_({.repo = repo_, .reader = *reader_, .evaluator = evaluator_, .clock = clock_}),
      sweep_(evaluator_, config_.sweep_interval) {}

TriggersCore::~TriggersCore() { StopBackground(); }

void TriggersCore::StartBackground() {
  if (started_) return;
  started_ = true;
  dispatcher_->Start();
  sweep_.Start();
}

void TriggersCore::StopBackground() {
  sweep_.Stop();
  dispatcher_->Stop();
}

}  // namespace dialtone::triggers
