// RestGatewayApp wiring.
#include "app/rest_gateway_app.h"

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <unistd.h>

#include "dialtone/core/sid.h"
#include "dialtone/log/log.h"
#include "dialtone/rpc/tls_config.h"
#include "dialtone/service/stores.h"

namespace dialtone::rest_gateway {
namespace {

// The URL was checked by the config loader, so Create cannot fail on it.
std::unique_ptr<redis::RedisPool> MakeRedis(const std::string& url) {
  auto pool = redis::RedisPool::Create({.url = url,
                                        .max_connections = 8,
                                        .connect_timeout = absl::Milliseconds(300),
                                        .command_timeout = absl::Milliseconds(300),
                                        .acquire_timeout = absl::Milliseconds(300)});
  if (!pool.ok()) {
    log::Error("Redis URL not usable", {{"error", pool.status()}});
    std::abort();
  }
  return std::move(*pool);
}

}  // namespace

RestGatewayApp::RestGatewayApp(Config config, std::optional<secrets::Sealer> sealer)
    : config_(std::move(config)),
      sealer_(std::move(sealer)),
      pg_({.url = config_.pg_url, .max_connections = 8}),
      accounts_(pg_, sealer_ ? &*sealer_ : nullptr),
      settings_(pg_, config_.account_defaults),
      accounts_grpc_(accounts_, settings_),
      redis_(MakeRedis(config_.redis_url)),
      limiter_(std::make_unique<redis::RateLimiter>(*redis_, "dialtone:rate:")),
      call_router_channel_(rpc::OpenChannel(config_.call_router_addr, config_.common.grpc_tls)),
      numbers_(call_router_channel_),
      calls_(call_router_channel_),
      streams_(call_router_channel_),
      recordings_(call_router_channel_,
                  rpc::OpenChannel(config_.media_layer_addr, config_.common.grpc_tls)),
      usage_(rpc::OpenChannel(config_.usage_metering_addr, config_.common.grpc_tls)),
      triggers_(rpc::OpenChannel(config_.triggers_addr, config_.common.grpc_tls)),
      api_(accounts_, {&numbers_, &calls_, &streams_, &recordings_, &usage_, &triggers_},
           [this](const std::string& account) { PublishApiRequest(account); },
           config_.max_concurrent_requests,
           {.settings = &settings_, .limiter = limiter_.get(), .recordings = &recordings_}),
      runtime_("rest-gateway", "dialtone.accounts.v1.Accounts", config_.common) {
  runtime_.AddGrpcService(&accounts_grpc_);
  service::StoreMonitor::Options store =
      service::PostgresStore(pg_, "rest-gateway", config_.migrations_dir);
  store.on_connect = [this, migrate = std::move(store.on_connect)]() -> absl::Status {
    if (absl::Status s = migrate(); !s.ok()) return s;
    return PrepareSealedTokens();
  };
  runtime_.AddStore(std::move(store));
}

absl::Status RestGatewayApp::PrepareSealedTokens() {
  absl::StatusOr<int> sealed = accounts_.SealPlaintextTokens();
  if (!sealed.ok()) return sealed.status();  // the monitor retries
  if (*sealed > 0) log::Info("plaintext auth tokens sealed", {{"accounts", *sealed}});
  absl::Status opens = accounts_.CheckSealedTokensOpen();
  if (absl::IsFailedPrecondition(opens)) Stop(opens);
  return opens;
}

void RestGatewayApp::Stop(absl::Status why) {
  log::Error("stopping", {{"error", why}});
  {
    std::lock_guard lock(fatal_mu_);
    fatal_ = std::move(why);
  }
  // Every thread blocks SIGTERM (ServiceRuntime::Start): Run()'s sigwait takes it.
  kill(getpid(), SIGTERM);
}

void RestGatewayApp::PublishApiRequest(const std::string& account_sid) {
  if (publisher_ == nullptr) return;
  usage::v1::UsageEvent event;
  event.set_event_id("api-" + core::RandomHex(16));
  event.set_account_sid(account_sid);
  event.set_category("api-requests");
  event.set_count(1);
  event.set_usage("1");
  event.set_source("rest-gateway");
  publisher_->Publish(std::move(event));
}

absl::Status RestGatewayApp::Run() {
  if (auto s = runtime_.Start(); !s.ok()) return s;
  if (!sealer_) {
    log::Warn("auth tokens are stored in plaintext (DIALTONE_SECRETS_PLAINTEXT): development only");
  }
  // Threads start only after Start() has blocked SIGTERM for the whole process.
  auto publisher = usage_publisher::UsagePublisher::Create(
      {.spool_path = config_.usage_spool},
      usage_publisher::MakeGrpcUsageTransport(config_.usage_metering_addr,
                                              config_.common.grpc_tls));
  if (!publisher.ok()) return publisher.status();
  publisher_ = std::move(*publisher);
  changes_ = std::make_unique<pg::ChangeListener>(
      config_.pg_url, std::vector<std::string>{"dialtone_accounts", "dialtone_calls_deleted"},
      [this](const std::string& channel, const std::string& payload) {
        if (channel == "dialtone_accounts") {
          api_.ForgetAccount(payload);
        } else {
          calls_.ForgetEndedCall(payload);
        }
      },
      [this] {
        api_.ForgetAccount("");
        calls_.ForgetEndedCall("");
      });
  auto http =
      web::HttpServer::Start({.address = config_.http_addr, .threads = config_.http_threads},
                             [this](const web::HttpServer::Request& r) { return api_.Handle(r); });
  if (!http.ok()) return http.status();
  http_ = std::move(*http);
  // Stop taking REST requests first, so none is cut off by the stores going away.
  runtime_.OnShutdown([this] {
    http_->Stop();
    publisher_->Shutdown();  // sends or spools every counted request
  });
  runtime_.WaitForSignal();
  std::lock_guard lock(fatal_mu_);
  return fatal_;
}

}  // namespace dialtone::rest_gateway
