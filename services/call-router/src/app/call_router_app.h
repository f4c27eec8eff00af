// Composition root of call-router: config -> stores -> handlers -> runtime.
#pragma once

#include "calls/call_usage.h"
#include "dialtone/usage_publisher/usage_publisher.h"

#include <atomic>
#include <memory>

#include "absl/status/statusor.h"
#include "api/call_router_grpc.h"
#include "api/peer_routers.h"
#include "app/config.h"
#include "calls/app_http_client.h"
#include "calls/call_executor.h"
#include "calls/call_leases.h"
#include "calls/call_recovery.h"
#include "calls/call_session.h"
#include "calls/call_store.h"
#include "dialtone/pg/change_listener.h"
#include "dialtone/pg/pg_pool.h"
#include "dialtone/redis/redis_pool.h"
#include "dialtone/service/service_runtime.h"
#include "media/media_client.h"
#include "media/rtp_engine.h"
#include "sip/sip_stack.h"

namespace dialtone::call_router {

// Built once by main(); Run() blocks until SIGTERM/SIGINT.
class CallRouterApp final : public LiveCallControl {
 public:
  explicit CallRouterApp(Config config);
  ~CallRouterApp() override;
  absl::Status Run();

  // LiveCallControl, for CreateCall/UpdateCall.
  absl::StatusOr<std::string> AuthToken(const std::string& account_sid) override;
  std::string Trunk() const override { return config_.sip_trunk; }
  std::string LocalSipHost() const override;
  absl::Status Place(OutboundCall call, const std::function<void()>& inserted) override;
  absl::Status Control(const std::string& call_sid, const CallControl& control) override;
  absl::StatusOr<StreamInfo> StartStream(const std::string& call_sid,
                                         const twiml::StreamNoun& stream) override;
  absl::StatusOr<StreamInfo> StopStream(const std::string& call_sid,
                                        const std::string& sid_or_name) override;
  void RoutesChanged() override;
  absl::StatusOr<CallOwner> Owner(const std::string& call_sid) override;
  std::string RouterId() const override { return router_id_; }
  PeerRouters& Peers() override { return peers_; }

 private:
  CallSessionDeps SessionDeps();
  // SIGTERM: new calls go elsewhere, calls up may finish for drain_seconds, then are hung up.
  void Drain();
  std::string MediaHost() const;
  // Counts an ended call's usage (SIP thread; never blocks).
  void PublishUsage(const CallUsage& usage, const std::string& account_sid);

  Config config_;
  const std::string router_id_;  // unique per process: leases name their owner by it
  pg::PgPool pg_;
  CallRouterGrpc grpc_;
  RouterPeersService peers_service_;  // answers the other replicas from live_
  service::ServiceRuntime runtime_;
  // Stopped explicitly before the members below go: sessions use them, and their worker
  // threads post back to it (a no-op once stopped).
  SipStack sip_;
  GatewayAuthTokenSource tokens_;
  CallExecutor executor_;
  LiveCalls live_;
  PeerRouters peers_;  // forwarded updates; recovery asks owners whether they still run calls
  // Made in Run(), after the runtime has blocked SIGTERM/SIGINT: their threads must inherit
  // the mask, or a signal could kill the process instead of stopping it gracefully.
  std::unique_ptr<CallStore> store_;
  std::unique_ptr<AppHttpClient> http_;
  std::unique_ptr<RtpEngine> rtp_;
  std::unique_ptr<MediaClient> media_;
  std::unique_ptr<usage_publisher::UsagePublisher> publisher_;
  std::atomic<int> open_streams_{0};
  prometheus::Gauge* streams_gauge_ = nullptr;
  prometheus::Family<prometheus::Counter>* streams_ended_ = nullptr;
  void CountStream(std::string_view event);
  // Media streams' WebSockets. After the publisher and the counters: a stream that ends as the
  // client goes counts and publishes its usage.
  std::unique_ptr<ws::Client> streams_;
  std::unique_ptr<redis::RedisPool> redis_;
  std::unique_ptr<CallLeases> leases_;
  std::unique_ptr<redis::RateLimiter> limiter_;  // accounts' calls per second, all replicas
  std::unique_ptr<CallRecovery> recovery_;
  std::unique_ptr<pg::ChangeListener> changes_;  // numbers, applications, accounts
  std::atomic<bool> draining_{false};
  prometheus::Gauge* draining_gauge_ = nullptr;
  // Calls refused over an account's limit, by limit (calls_per_second, concurrent_calls).
  prometheus::Family<prometheus::Counter>* refused_ = nullptr;
  void CountRefused(const std::string& limit);
};

}  // namespace dialtone::call_router
