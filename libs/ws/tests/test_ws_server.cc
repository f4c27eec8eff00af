// The ws::Client tests' server, certificate and recording handler (test_ws_server.h).
#include "test_ws_server.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "absl/strings/ascii.h"

namespace dialtone::ws::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using asio::use_awaitable;

SelfSignedCert::SelfSignedCert() {
  char dir[] = "/tmp/dialtone-ws-test-XXXXXX";
  if (mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = dir;
  std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
      " -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1"
      " -keyout " + key_file() + " -out " + cert_file() + " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed");
}

SelfSignedCert::~SelfSignedCert() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

TestWsServer::TestWsServer(Mode mode, const SelfSignedCert* cert)
    : mode_(mode), tls_(cert != nullptr), ssl_(asio::ssl::context::tls_server), acceptor_(io_) {
  if (cert != nullptr) {
    ssl_.use_certificate_chain_file(cert->cert_file());
    ssl_.use_private_key_file(cert->key_file(), asio::ssl::context::pem);
  }
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  if (mode == Mode::kStall) {
    // Inherited by accepted sockets: the client's frames soon have nowhere to go.
    acceptor_.set_option(asio::socket_base::receive_buffer_size(4096));
  }
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  if (mode != Mode::kSilent) asio::co_spawn(io_, Accept(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

TestWsServer::~TestWsServer() {
  io_.stop();
  thread_.join();
}

std::string TestWsServer::Url(const std::string& path) const {
  return (tls_ ? "wss://localhost:" : "ws://127.0.0.1:") + std::to_string(port_) + path;
}

int TestWsServer::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

std::string TestWsServer::RequestHeader(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = headers_.find(absl::AsciiStrToLower(name));
  return it == headers_.end() ? "" : it->second;
}

std::string TestWsServer::RequestTarget() const {
  std::lock_guard lock(mu_);
  return target_;
}

std::vector<std::string> TestWsServer::Received() const {
  std::lock_guard lock(mu_);
  return received_;
}

std::optional<int> TestWsServer::WaitCloseCode(milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return close_code_.has_value(); });
  return close_code_;
}

asio::awaitable<void> TestWsServer::Accept() {
  for (;;) {
    tcp::socket socket = co_await acceptor_.async_accept(use_awaitable);
    {
      std::lock_guard lock(mu_);
      ++connections_;
    }
    asio::co_spawn(io_, Session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> TestWsServer::Session(tcp::socket socket) {
  try {
    if (tls_) {
      websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(std::move(socket), ssl_);
      co_await ws.next_layer().async_handshake(asio::ssl::stream_base::server, use_awaitable);
      co_await Serve(ws);
    } else {
      websocket::stream<beast::tcp_stream> ws(std::move(socket));
      co_await Serve(ws);
    }
  } catch (const std::exception&) {
    // The client went away (or failed its TLS checks): the session ends.
  }
}

template <class Ws>
asio::awaitable<void> TestWsServer::Serve(Ws& ws) {
  beast::flat_buffer buffer;
  bhttp::request<bhttp::string_body> request;
  co_await bhttp::async_read(ws.next_layer(), buffer, request, use_awaitable);
  {
    std::lock_guard lock(mu_);
    headers_.clear();
    for (const auto& field : request) {
      headers_[absl::AsciiStrToLower(std::string(field.name_string()))] =
          std::string(field.value());
    }
    target_ = std::string(request.target());
  }
  if (mode_ == Mode::kNotFound) {
    bhttp::response<bhttp::string_body> response(bhttp::status::not_found, request.version());
    response.set(bhttp::field::content_type, "text/plain");
    response.body() = "no such stream\n";
    response.prepare_payload();
    co_await bhttp::async_write(ws.next_layer(), response, use_awaitable);
    co_return;
  }
  co_await ws.async_accept(request, use_awaitable);
  if (mode_ == Mode::kCloseAtOnce) {
    co_await ws.async_close(websocket::close_code::normal, use_awaitable);
    co_return;
  }
  if (mode_ == Mode::kStall) {
    asio::steady_timer forever(io_, std::chrono::hours(1));
    co_await forever.async_wait(use_awaitable);
  }
  for (;;) {
    beast::flat_buffer message;
    auto [ec, size] = co_await ws.async_read(message, asio::as_tuple(use_awaitable));
    if (ec) {
      std::lock_guard lock(mu_);
      if (ec == websocket::error::closed) close_code_ = ws.reason().code;
      cv_.notify_all();
      co_return;
    }
    {
      std::lock_guard lock(mu_);
      received_.push_back(beast::buffers_to_string(message.data()));
    }
    ws.text(ws.got_text());
    co_await ws.async_write(message.data(), use_awaitable);
  }
}

void Recorder::OnOpen() {
  std::lock_guard lock(mu_);
  opened_ = true;
  cv_.notify_all();
}

void Recorder::OnText(std::string message) {
  std::lock_guard lock(mu_);
  texts_.push_back(std::move(message));
  cv_.notify_all();
}

void Recorder::OnClose(absl::Status status) {
  std::lock_guard lock(mu_);
  ++closes_;
  status_ = std::move(status);
  cv_.notify_all();
}

bool Recorder::WaitOpen(milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return opened_ || status_.has_value(); }) && opened_;
}

bool Recorder::WaitTexts(size_t count, milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return texts_.size() >= count; });
}

std::optional<absl::Status> Recorder::WaitClose(milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return status_.has_value(); });
  return status_;
}

bool Recorder::opened() const {
  std::lock_guard lock(mu_);
  return opened_;
}

int Recorder::closes() const {
  std::lock_guard lock(mu_);
  return closes_;
}

std::vector<std::string> Recorder::texts() const {
  std::lock_guard lock(mu_);
  return texts_;
}

}  // namespace dialtone::ws::testing
