// HTTP/1.1 server on Boost.Beast: keep-alive, bounded request size, idle timeout, many
// connections on a few threads. Each complete request goes to the handler on an I/O thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dialtone::web {

// Runs `threads` I/O threads; the handler runs on them and must be thread-safe. A peer that
// sends garbage, too large a request or nothing at all gets 400/413 or is dropped; it never
// affects other connections.
//
//   auto server = HttpServer::Start({.address = "127.0.0.1:8080"}, [](const auto& req) { ... });
class HttpServer {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;
  using Handler = std::function<Response(const Request&)>;

  struct Options {
    std::string address;  // host:port; port 0 picks a free one
    int threads = 2;
    size_t body_limit = 1024 * 1024;
    absl::Duration idle_timeout = absl::Seconds(30);
  };

  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(Options options, Handler handler);
  ~HttpServer();  // Stop()
  void Stop();
  int port() const { return port_; }

 private:
  HttpServer(Options options, Handler handler);
  void Accept();

  Options options_;
  Handler handler_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  int port_ = 0;
};

}  // namespace dialtone::web
