// Gateway and fixed auth token sources.
#include "adapters/auth_tokens.h"

#include <grpcpp/grpcpp.h>

#include <map>
#include <mutex>

#include "absl/time/clock.h"
#include "dialtone/accounts/v1/accounts.grpc.pb.h"
#include "dialtone/rpc/status.h"

namespace dialtone::triggers {
namespace {

namespace apb = dialtone::accounts::v1;

class GatewayAuthTokens final : public AuthTokens {
 public:
  GatewayAuthTokens(const std::string& addr, const rpc::TlsConfig& tls, absl::Duration ttl)
      : stub_(apb::Accounts::NewStub(rpc::OpenChannel(addr, tls))), ttl_(ttl) {}

  absl::StatusOr<std::string> TokenFor(const std::string& account) override {
    absl::Time now = absl::Now();
    {
      std::lock_guard lock(mu_);
      auto it = cache_.find(account);
      if (it != cache_.end() && it->second.expires > now) return it->second.token;
    }
    apb::GetAccountRequest req;
    req.set_sid(account);
    grpc::ClientContext ctx;
    ctx.set_deadline(absl::ToChronoTime(now + absl::Seconds(5)));
    apb::Account resp;
    if (absl::Status s = rpc::FromGrpcStatus(stub_->GetAccount(&ctx, req, &resp)); !s.ok()) {
      return s;
    }
    std::lock_guard lock(mu_);
    cache_[account] = {resp.auth_token(), now + ttl_};
    return resp.auth_token();
  }

 private:
  struct Entry {
    std::string token;
    absl::Time expires;
  };
  std::unique_ptr<apb::Accounts::Stub> stub_;
  absl::Duration ttl_;
  std::mutex mu_;
  std::map<std::string, Entry> cache_;
};

class FixedAuthToken final : public AuthTokens {
 public:
  explicit FixedAuthToken(std::string token) : token_(std::move(token)) {}
  absl::StatusOr<std::string> TokenFor(const std::string&) override { return token_; }

 private:
  std::string token_;
};

}  // namespace

std::unique_ptr<AuthTokens> MakeGatewayAuthTokens(const std::string& gateway_addr,
                                                  const rpc::TlsConfig& tls, absl::Duration ttl) {
  return std::make_unique<GatewayAuthTokens>(gateway_addr, tls, ttl);
}

std::unique_ptr<AuthTokens> MakeFixedAuthToken(std::string token) {
  return std::make_unique<FixedAuthToken>(std::move(token));
}

}  // namespace dialtone::triggers
