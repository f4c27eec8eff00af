// gRPC Accounts handler: the account CRUD and credential check behind the REST gateway.
#pragma once

#include "adapters/account_repository.h"
#include "adapters/account_settings_repository.h"
#include "dialtone/accounts/v1/accounts.grpc.pb.h"

namespace dialtone::rest_gateway {

// Runs on gRPC's server threads; all state is in the repository.
class AccountsGrpc final : public dialtone::accounts::v1::Accounts::Service {
 public:
  AccountsGrpc(AccountRepository& repo, AccountSettingsRepository& settings)
      : repo_(repo), settings_(settings) {}

  grpc::Status CreateAccount(grpc::ServerContext*, const accounts::v1::CreateAccountRequest*,
                             accounts::v1::Account*) override;
  grpc::Status GetAccount(grpc::ServerContext*, const accounts::v1::GetAccountRequest*,
                          accounts::v1::Account*) override;
  grpc::Status ListAccounts(grpc::ServerContext*, const accounts::v1::ListAccountsRequest*,
                            accounts::v1::ListAccountsResponse*) override;
  grpc::Status UpdateAccount(grpc::ServerContext*, const accounts::v1::UpdateAccountRequest*,
                             accounts::v1::Account*) override;
  grpc::Status RotateAuthToken(grpc::ServerContext*, const accounts::v1::RotateAuthTokenRequest*,
                               accounts::v1::Account*) override;
  grpc::Status Authenticate(grpc::ServerContext*, const accounts::v1::AuthenticateRequest*,
                            accounts::v1::AuthenticateResponse*) override;
  grpc::Status GetAccountSettings(grpc::ServerContext*,
                                  const accounts::v1::GetAccountSettingsRequest*,
                                  accounts::v1::AccountSettingsResponse*) override;
  grpc::Status UpdateAccountSettings(grpc::ServerContext*,
                                     const accounts::v1::UpdateAccountSettingsRequest*,
                                     accounts::v1::AccountSettingsResponse*) override;

 private:
  AccountRepository& repo_;
  AccountSettingsRepository& settings_;
};

}  // namespace dialtone::rest_gateway
