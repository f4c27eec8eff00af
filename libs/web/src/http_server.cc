// HttpServer: acceptor loop and one Session per connection (read -> handle -> write); HEAD
// answers keep the Content-Length of the body they leave out.
#include "dialtone/web/http_server.h"

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace dialtone::web {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServer::Handler& handler, size_t body_limit,
          absl::Duration idle)
      : stream_(std::move(socket)), handler_(handler), body_limit_(body_limit), idle_(idle) {}

  void Run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(body_limit_);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(absl::ToChronoMilliseconds(idle_));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::eof) {
      return Close();
    }
    if (ec) {
      int status = ec == http::error::body_limit ? 413 : 400;
      HttpServer::Response res{static_cast<http::status>(status), 11};
      res.set(http::field::content_type, "text/plain");
      res.body() = status == 413 ? "request too large\n" : "bad request\n";
      res.keep_alive(false);
      return Write(std::move(res), false);
    }
    HttpServer::Request req = parser_->release();
    HttpServer::Response res;
    try {
      res = handler_(req);
    } catch (const std::exception&) {
      // The handler maps its errors itself; anything escaping is a bug, not the peer's fault.
      res = HttpServer::Response{http::status::internal_server_error, req.version()};
      res.set(http::field::content_type, "text/plain");
      res.body() = "internal error\n";
    }
    res.version(req.version());
    res.keep_alive(req.keep_alive() && res.keep_alive());
    Write(std::move(res), req.method() == http::verb::head);
  }

  // A HEAD answer keeps the Content-Length its handler set for the body it does not send.
  void Write(HttpServer::Response res, bool head) {
    if (!head || !res.has_content_length()) res.prepare_payload();
    auto sp = std::make_shared<HttpServer::Response>(std::move(res));
    http::async_write(stream_, *sp, [self = shared_from_this(), sp](beast::error_code ec, size_t) {
      if (ec || !sp->keep_alive()) return self->Close();
      self->Read();
    });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const HttpServer::Handler& handler_;
  size_t body_limit_;
  absl::Duration idle_;
};

}  // namespace

HttpServer::HttpServer(Options options, Handler handler)
    : options_(std::move(options)), handler_(std::move(handler)), acceptor_(io_) {}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(Options options, Handler handler) {
  std::unique_ptr<HttpServer> server(new HttpServer(std::move(options), std::move(handler)));
  const std::string& addr = server->options_.address;
  auto colon = addr.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(addr.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(absl::StrCat("bad HTTP address ", addr));
  }
  std::string host = addr.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  beast::error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("bad HTTP host ", host));
  tcp::endpoint endpoint(ip, static_cast<uint16_t>(port));
  server->acceptor_.open(endpoint.protocol(), ec);
  if (!ec) server->acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) server->acceptor_.bind(endpoint, ec);
  if (!ec) server->acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot serve HTTP on ", addr, ": ", ec.message()));
  }
  server->port_ = server->acceptor_.local_endpoint().port();
  server->Accept();
  for (int i = 0; i < std::max(1, server->options_.threads); ++i) {
    server->threads_.emplace_back([s = server.get()] { s->io_.run(); });
  }
  return server;
}

void HttpServer::Accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      std::make_shared<Session>(std::move(socket), handler_, options_.body_limit,
                                options_.idle_timeout)
          ->Run();
    }
    Accept();
  });
}

void HttpServer::Stop() {
  if (threads_.empty()) return;
  asio::post(io_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  io_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

HttpServer::~HttpServer() { Stop(); }

}  // namespace dialtone::web
