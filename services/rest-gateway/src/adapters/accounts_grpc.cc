// AccountsGrpc: request validation and proto <-> domain mapping.
#include "adapters/accounts_grpc.h"

#include "dialtone/core/sid.h"
#include "dialtone/rpc/status.h"

namespace dialtone::rest_gateway {
namespace {

namespace pb = dialtone::accounts::v1;

pb::AccountStatus ToProtoStatus(AccountStatus s) {
  switch (s) {
    case AccountStatus::kActive: return pb::ACCOUNT_STATUS_ACTIVE;
    case AccountStatus::kSuspended: return pb::ACCOUNT_STATUS_SUSPENDED;
    case AccountStatus::kClosed: return pb::ACCOUNT_STATUS_CLOSED;
  }
  return pb::ACCOUNT_STATUS_UNSPECIFIED;
}

std::optional<AccountStatus> FromProtoStatus(pb::AccountStatus s) {
  switch (s) {
    case pb::ACCOUNT_STATUS_ACTIVE: return AccountStatus::kActive;
    case pb::ACCOUNT_STATUS_SUSPENDED: return AccountStatus::kSuspended;
    case pb::ACCOUNT_STATUS_CLOSED: return AccountStatus::kClosed;
    default: return std::nullopt;
  }
}

void ToProto(const Account& a, pb::Account* out) {
  out->set_sid(a.sid);
  out->set_friendly_name(a.friendly_name);
  out->set_status(ToProtoStatus(a.status));
  out->set_auth_token(a.auth_token);
  out->set_owner_account_sid(a.owner_account_sid);
  out->set_type(a.type);
  rpc::ToProto(a.date_created, out->mutable_date_created());
  rpc::ToProto(a.date_updated, out->mutable_date_updated());
}

void ToProto(const AccountSettingsRepository::Stored& in, const std::string& sid,
             pb::AccountSettingsResponse* out) {
  out->set_sid(sid);
  const AccountSettings& e = in.effective;
  pb::AccountSettings* pe = out->mutable_effective();
  pe->set_media_http_auth(e.media_http_auth);
  pe->set_calls_per_second(e.calls_per_second);
  pe->set_max_concurrent_calls(e.max_concurrent_calls);
  pe->set_max_call_seconds(e.max_call_seconds);
  pe->set_max_quiet_steps(e.max_quiet_steps);
  pe->set_api_requests_per_second(e.api_requests_per_second);
  const AccountSettingsOverrides& o = in.overrides;
  pb::AccountSettingsOverrides* po = out->mutable_overrides();
  if (o.media_http_auth) po->set_media_http_auth(*o.media_http_auth);
  if (o.calls_per_second) po->set_calls_per_second(*o.calls_per_second);
  if (o.max_concurrent_calls) po->set_max_concurrent_calls(*o.max_concurrent_calls);
  if (o.max_call_seconds) po->set_max_call_seconds(*o.max_call_seconds);
  if (o.max_quiet_steps) po->set_max_quiet_steps(*o.max_quiet_steps);
  if (o.api_requests_per_second) po->set_api_requests_per_second(*o.api_requests_per_second);
}

AccountSettingsOverrides FromProto(const pb::AccountSettingsOverrides& in) {
  AccountSettingsOverrides o;
  if (in.has_media_http_auth()) o.media_http_auth = in.media_http_auth();
  if (in.has_calls_per_second()) o.calls_per_second = in.calls_per_second();
  if (in.has_max_concurrent_calls()) o.max_concurrent_calls = in.max_concurrent_calls();
  if (in.has_max_call_seconds()) o.max_call_seconds = in.max_call_seconds();
  if (in.has_max_quiet_steps()) o.max_quiet_steps = in.max_quiet_steps();
  if (in.has_api_requests_per_second()) o.api_requests_per_second = in.api_requests_per_second();
  return o;
}

grpc::Status CheckSid(const std::string& sid) {
  return rpc::ToGrpcStatus(core::ValidateSid(sid, core::kAccountPrefix));
}

}  // namespace

grpc::Status AccountsGrpc::CreateAccount(grpc::ServerContext*, const pb::CreateAccountRequest* req,
                                         pb::Account* resp) {
  std::string name = req->friendly_name();
  if (name.size() > 64) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "FriendlyName is longer than 64 characters"};
  }
  auto account = repo_.Create(name);
  if (!account.ok()) return rpc::ToGrpcStatus(account.status());
  ToProto(*account, resp);
  return grpc::Status::OK;
}

grpc::Status AccountsGrpc::GetAccount(grpc::ServerContext*, const pb::GetAccountRequest* req,
                                      pb::Account* resp) {
  if (auto s = CheckSid(req->sid()); !s.ok()) return s;
  auto account = repo_.Get(req->sid());
  if (!account.ok()) return rpc::ToGrpcStatus(account.status());
  ToProto(*account, resp);
  return grpc::Status::OK;
}

grpc::Status AccountsGrpc::ListAccounts(grpc::ServerContext*, const pb::ListAccountsRequest* req,
                                        pb::ListAccountsResponse* resp) {
  int size = req->page_size() == 0 ? 50 : req->page_size();
  if (size < 1 || size > 1000) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "page_size must be between 1 and 1000"};
  }
  if (!req->page_token().empty()) {
    if (auto s = CheckSid(req->page_token()); !s.ok()) {
      return {grpc::StatusCode::INVALID_ARGUMENT, "page_token is not valid"};
    }
  }
  AccountRepository::ListFilter filter{.friendly_name = req->friendly_name(),
                                       .status = FromProtoStatus(req->status()),
                                       .page_size = size + 1,
                                       .after_sid = req->page_token()};
  auto rows = repo_.List(filter);
  if (!rows.ok()) return rpc::ToGrpcStatus(rows.status());
  bool more = static_cast<int>(rows->size()) > size;
  if (more) rows->pop_back();
  for (const auto& a : *rows) ToProto(a, resp->add_accounts());
  if (more) resp->set_next_page_token(rows->back().sid);
  return grpc::Status::OK;
}

grpc::Status AccountsGrpc::UpdateAccount(grpc::ServerContext*, const pb::UpdateAccountRequest* req,
                                         pb::Account* resp) {
  if (auto s = CheckSid(req->sid()); !s.ok()) return s;
  std::optional<std::string> name;
  if (req->has_friendly_name()) name = req->friendly_name();
  auto account = repo_.Update(req->sid(), name, FromProtoStatus(req->status()));
  if (!account.ok()) return rpc::ToGrpcStatus(account.status());
  ToProto(*account, resp);
  return grpc::Status::OK;
}

grpc::Status AccountsGrpc::RotateAuthToken(grpc::ServerContext*,
                                           const pb::RotateAuthTokenRequest* req,
                                           pb::Account* resp) {
  if (auto s = CheckSid(req->sid()); !s.ok()) return s;
  auto account = repo_.RotateAuthToken(req->sid());
  if (!account.ok()) return rpc::ToGrpcStatus(account.status());
  ToProto(*account, resp);
  return grpc::Status::OK;
}

grpc::Status AccountsGrpc::Authenticate(grpc::ServerContext*, const pb::AuthenticateRequest* req,
                                        pb::AuthenticateResponse* resp) {
  if (!core::IsSid(req->account_sid(), core::kAccountPrefix)) {
    resp->set_authenticated(false);
    return grpc::Status::OK;
  }
  auto account = repo_.Get(req->account_sid());
  if (absl::IsNotFound(account.status())) {
    resp->set_authenticated(false);
    return grpc::Status::OK;
  }
  if (!account.ok()) return rpc::ToGrpcStatus(account.status());
  bool ok = CredentialsMatch(*account, req->auth_token());
  resp->set_authenticated(ok);
  if (ok) {
    ToProto(*account, resp->mutable_account());
    resp->mutable_account()->clear_auth_token();
  }
  return grpc::Status::OK;
}

grpc::Status AccountsGrpc::GetAccountSettings(grpc::ServerContext*,
                                              const pb::GetAccountSettingsRequest* req,
                                              pb::AccountSettingsResponse* resp) {
  if (auto s = CheckSid(req->sid()); !s.ok()) return s;
  auto stored = settings_.Get(req->sid());
  if (!stored.ok()) return rpc::ToGrpcStatus(stored.status());
  ToProto(*stored, req->sid(), resp);
  return grpc::Status::OK;
}

grpc::Status AccountsGrpc::UpdateAccountSettings(grpc::ServerContext*,
                                                 const pb::UpdateAccountSettingsRequest* req,
                                                 pb::AccountSettingsResponse* resp) {
  if (auto s = CheckSid(req->sid()); !s.ok()) return s;
  std::vector<std::string> reset(req->reset().begin(), req->reset().end());
  auto stored = settings_.Update(req->sid(), FromProto(req->set()), reset);
  if (!stored.ok()) return rpc::ToGrpcStatus(stored.status());
  ToProto(*stored, req->sid(), resp);
  return grpc::Status::OK;
}

}  // namespace dialtone::rest_gateway
