// Client: the io_context and its thread, the TLS context shared by its wss connections, and the
// list of live connections that the destructor ends.
#include "dialtone/ws/client.h"

#include <mutex>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "absl/strings/str_cat.h"
#include "connection_impl.h"

namespace dialtone::ws {

namespace asio = boost::asio;
namespace ssl = asio::ssl;

struct Client::State {
  ClientOptions options;
  std::shared_ptr<asio::io_context> io = std::make_shared<asio::io_context>(1);
  std::shared_ptr<ssl::context> tls;
  std::string tls_error;  // why extra_ca_file could not be loaded; wss is refused then
  asio::executor_work_guard<asio::io_context::executor_type> work{io->get_executor()};
  std::thread thread;
  std::mutex mu;
  std::vector<std::weak_ptr<ConnectionImpl>> live;
};

Client::Client(ClientOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  auto tls = std::make_shared<ssl::context>(ssl::context::tls_client);
  tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  tls->set_default_verify_paths(ec);
  const std::string& extra = state_->options.extra_ca_file;
  if (!extra.empty()) {
    tls->load_verify_file(extra, ec);
    if (ec) {
      state_->tls_error =
          absl::StrCat("the extra CA file ", extra, " cannot be loaded: ", ec.message());
    }
  }
  state_->tls = std::move(tls);
  state_->thread = std::thread([io = state_->io] { io->run(); });
}

Client::~Client() {
  asio::post(*state_->io, [state = state_.get()] {
    std::vector<std::shared_ptr<ConnectionImpl>> live;
    {
      std::lock_guard lock(state->mu);
      for (const auto& weak : state->live) {
        if (auto connection = weak.lock()) live.push_back(std::move(connection));
      }
      state->live.clear();
    }
    for (const auto& connection : live) {
      connection->Abort(absl::CancelledError("the WebSocket client shut down"));
    }
  });
  // Once every connection has finished, nothing is left to run and run() returns.
  state_->work.reset();
  state_->thread.join();
}

absl::StatusOr<std::shared_ptr<Connection>> Client::Connect(
    const std::string& url, std::vector<std::pair<std::string, std::string>> headers,
    std::shared_ptr<Handler> handler) {
  absl::StatusOr<WsUrl> parsed = ParseWsUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (parsed->tls && !state_->tls_error.empty()) {
    return absl::FailedPreconditionError(state_->tls_error);
  }
  if (handler == nullptr) return absl::InvalidArgumentError("a WebSocket needs a handler");
  auto connection =
      std::make_shared<ConnectionImpl>(state_->io, state_->tls, state_->options,
                                       *std::move(parsed), std::move(headers), std::move(handler));
  {
    std::lock_guard lock(state_->mu);
    std::erase_if(state_->live, [](const auto& weak) { return weak.expired(); });
    state_->live.push_back(connection);
  }
  asio::post(*state_->io, [connection] { connection->Start(); });
  return std::shared_ptr<Connection>(std::move(connection));
}

}  // namespace dialtone::ws
