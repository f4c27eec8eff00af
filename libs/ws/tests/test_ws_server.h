// Helpers of the ws::Client tests: an in-test WebSocket server (plain or TLS, or a plain HTTP
// server that declines the upgrade) on 127.0.0.1 port 0, run by its own thread with Asio
// coroutines and recording what it saw; a throwaway self-signed certificate; a Handler that
// records what a connection reports. Tests only.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "dialtone/ws/client.h"

namespace dialtone::ws::testing {

using std::chrono::milliseconds;
using Headers = std::vector<std::pair<std::string, std::string>>;

// A self-signed certificate for "localhost" and 127.0.0.1, made with the openssl CLI in a fresh
// temporary directory that goes away with the object. Throws when openssl fails.
class SelfSignedCert {
 public:
  SelfSignedCert();
  ~SelfSignedCert();
  std::string cert_file() const { return dir_ + "/cert.pem"; }
  std::string key_file() const { return dir_ + "/key.pem"; }

 private:
  std::string dir_;
};

class TestWsServer {
 public:
  enum class Mode {
    kEcho,         // echoes each message
    kCloseAtOnce,  // sends a close frame (1000) right after the upgrade
    kStall,        // upgrades, then never reads again (with a small receive buffer)
    kNotFound,     // plain HTTP: answers the upgrade request with 404
    kSilent,       // listens but never accepts: TCP connects, the upgrade is never answered
  };
  // TLS when `cert` is set.
  explicit TestWsServer(Mode mode, const SelfSignedCert* cert = nullptr);
  ~TestWsServer();

  int port() const { return port_; }
  // ws://127.0.0.1:port<path>, or wss://localhost:port<path> with TLS.
  std::string Url(const std::string& path) const;
  int connections() const;  // TCP connections accepted
  // Of the last upgrade request: a header ("" when absent) and the request target.
  std::string RequestHeader(const std::string& name) const;
  std::string RequestTarget() const;
  std::vector<std::string> Received() const;
  // The close code the client sent, waiting up to `timeout`; nullopt when none came.
  std::optional<int> WaitCloseCode(milliseconds timeout);

 private:
  boost::asio::awaitable<void> Accept();
  boost::asio::awaitable<void> Session(boost::asio::ip::tcp::socket socket);
  template <class Ws>
  boost::asio::awaitable<void> Serve(Ws& ws);

  const Mode mode_;
  const bool tls_;
  boost::asio::ssl::context ssl_;  // before io_: outlives the sessions io_ destroys
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::thread thread_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  int connections_ = 0;
  std::map<std::string, std::string> headers_;  // names lowercased
  std::string target_;
  std::vector<std::string> received_;
  std::optional<int> close_code_;
};

// Records what a connection reports, for the test thread to wait on.
class Recorder : public Handler {
 public:
  void OnOpen() override;
  void OnText(std::string message) override;
  void OnClose(absl::Status status) override;

  bool WaitOpen(milliseconds timeout = milliseconds(5000));
  bool WaitTexts(size_t count, milliseconds timeout = milliseconds(10000));
  std::optional<absl::Status> WaitClose(milliseconds timeout = milliseconds(5000));

  bool opened() const;
  int closes() const;
  std::vector<std::string> texts() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool opened_ = false;
  int closes_ = 0;
  std::vector<std::string> texts_;
  std::optional<absl::Status> status_;
};

}  // namespace dialtone::ws::testing
