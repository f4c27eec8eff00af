// ConnectionImpl: the connect sequence, the read loop, the writer, and which status each way of
// ending reports (the table in client.h).
#include "connection_impl.h"

#include <openssl/ssl.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "absl/strings/str_cat.h"
#include "stream_settings.h"

namespace dialtone::ws {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

ConnectionImpl::ConnectionImpl(std::shared_ptr<asio::io_context> io,
                               std::shared_ptr<ssl::context> tls, const ClientOptions& options,
                               WsUrl url, Headers headers, std::shared_ptr<Handler> handler)
    : io_(std::move(io)),
      tls_(std::move(tls)),
      options_(options),
      url_(std::move(url)),
      headers_(std::move(headers)),
      handler_(std::move(handler)),
      resolver_(io_->get_executor()),
      connect_timer_(io_->get_executor()) {
  if (url_.tls) {
    tls_ws_ = std::make_unique<TlsWs>(io_->get_executor(), *tls_);
  } else {
    plain_ws_ = std::make_unique<PlainWs>(io_->get_executor());
  }
}

std::string ConnectionImpl::Where() const {
  return absl::StrCat(url_.tls ? "wss://" : "ws://", url_.host_header);
}

void ConnectionImpl::Start() {
  if (finished_) return;
  auto self = shared_from_this();
  // One deadline for DNS, TCP, TLS and the upgrade; the steps below never set their own.
  if (options_.connect_timeout == absl::InfiniteDuration()) return Resolve();
  connect_timer_.expires_after(absl::ToChronoNanoseconds(options_.connect_timeout));
  connect_timer_.async_wait([self](error_code ec) {
    if (ec || self->finished_ || self->open_) return;
    self->Finish(absl::DeadlineExceededError(
        absl::StrCat("WebSocket ", self->Where(), ": not connected within ",
                     absl::FormatDuration(self->options_.connect_timeout))));
  });
  Resolve();
}

void ConnectionImpl::Resolve() {
  resolver_.async_resolve(
      url_.host, url_.port,
      [self = shared_from_this()](error_code ec, const tcp::resolver::results_type& results) {
        self->OnResolved(ec, results);
      });
}

void ConnectionImpl::OnResolved(error_code ec, const tcp::resolver::results_type& results) {
  if (finished_) return;
  if (ec) {
    return Finish(absl::UnavailableError(
        absl::StrCat("WebSocket ", Where(), ": cannot resolve ", url_.host, ": ", ec.message())));
  }
  // Every address is judged, and only the allowed ones are tried: a name that resolves both
  // outside and inside never reaches inside.
  std::vector<tcp::endpoint> allowed;
  std::string refusal;
  for (const auto& entry : results) {
    tcp::endpoint endpoint = entry.endpoint();
    if (options_.policy != nullptr) {
      std::string why = options_.policy->Refusal(endpoint.data());
      if (!why.empty()) {
        if (refusal.empty()) refusal = std::move(why);
        continue;
      }
    }
    allowed.push_back(endpoint);
  }
  if (allowed.empty()) {
    return Finish(refusal.empty()
                      ? absl::UnavailableError(absl::StrCat("WebSocket ", Where(), ": no address"))
                      : absl::PermissionDeniedError(absl::StrCat(
                            "WebSocket ", Where(), " refused by the fetch policy: ", refusal)));
  }
  auto self = shared_from_this();
  WithStream([&](auto& ws) {
    beast::get_lowest_layer(ws).async_connect(
        allowed, [self](error_code ec, const tcp::endpoint&) { self->OnConnected(ec); });
  });
}

void ConnectionImpl::OnConnected(error_code ec) {
  if (finished_) return;
  if (ec) {
    return Finish(absl::UnavailableError(
        absl::StrCat("WebSocket ", Where(), ": cannot connect: ", ec.message())));
  }
  // Small frames every 20 ms: Nagle would hold each one for the peer's delayed ACK (the
  // handshake's last flight and `start` waited ~40 ms in the Media Streams bench).
  WithStream([](auto& ws) {
    error_code ignored;
    beast::get_lowest_layer(ws).socket().set_option(tcp::no_delay(true), ignored);
  });
  if (!tls_ws_) return Upgrade();
  auto& tls_stream = tls_ws_->next_layer();
  error_code not_ip;
  asio::ip::make_address(url_.host, not_ip);
  if (not_ip) {  // SNI carries names only (RFC 6066)
    SSL_set_tlsext_host_name(tls_stream.native_handle(), url_.host.c_str());
  }
  tls_stream.set_verify_mode(ssl::verify_peer);
  tls_stream.set_verify_callback(ssl::host_name_verification(url_.host));
  tls_stream.async_handshake(ssl::stream_base::client, [self = shared_from_this()](error_code ec) {
    if (self->finished_) return;
    if (ec) {
      return self->Finish(absl::UnavailableError(
          absl::StrCat("WebSocket ", self->Where(), ": TLS handshake failed: ", ec.message())));
    }
    self->Upgrade();
  });
}

void ConnectionImpl::Upgrade() {
  auto self = shared_from_this();
  WithStream([&](auto& ws) {
    PrepareUpgrade(ws, options_.user_agent, headers_);
    ws.async_handshake(upgrade_response_, url_.host_header, url_.target,
                       [self](error_code ec) { self->OnUpgraded(ec); });
  });
}

void ConnectionImpl::OnUpgraded(error_code ec) {
  if (finished_) return;
  if (ec == websocket::error::upgrade_declined) {
    return Finish(absl::UnavailableError(absl::StrCat(
        "WebSocket ", Where(), url_.target, ": the server answered HTTP ",
        upgrade_response_.result_int(), " ", std::string(upgrade_response_.reason()),
        " instead of 101 Switching Protocols")));
  }
  if (ec) {
    return Finish(absl::UnavailableError(
        absl::StrCat("WebSocket ", Where(), ": upgrade failed: ", ec.message())));
  }
  connect_timer_.cancel();
  WithStream([&](auto& ws) { ws.set_option(OpenTimeouts(options_.ping_interval)); });
  bool write = false;
  {
    std::lock_guard lock(mu_);
    open_ = true;
    if (!writer_active_ && (!queue_.empty() || close_requested_)) write = writer_active_ = true;
  }
  handler_->OnOpen();
  if (finished_) return;
  Read();
  if (write) WriteNext();
}

void ConnectionImpl::Read() {
  WithStream([&](auto& ws) {
    ws.async_read(read_buffer_,
                  [self = shared_from_this()](error_code ec, size_t) { self->OnRead(ec); });
  });
}

void ConnectionImpl::OnRead(error_code ec) {
  if (finished_) return;
  if (ec) return Finish(EndStatus(ec));
  bool text = false;
  WithStream([&](auto& ws) { text = ws.got_text(); });
  if (text) {
    std::string message = beast::buffers_to_string(read_buffer_.data());
    read_buffer_.consume(read_buffer_.size());
    handler_->OnText(std::move(message));
    if (finished_) return;
  } else {
    read_buffer_.consume(read_buffer_.size());  // binary frames are not part of the protocol
  }
  Read();
}

void ConnectionImpl::WriteNext(size_t written) {
  bool close = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    queued_bytes_ -= written;
    if (queue_.empty()) {
      if (!close_requested_) {
        writer_active_ = false;
        return;
      }
      close = true;  // writer_active_ stays set: nothing is written after the close frame
    } else {
      writing_ = std::move(queue_.front());
      queue_.pop_front();
    }
  }
  auto self = shared_from_this();
  if (close) {
    close_sent_ = true;
    WithStream([&](auto& ws) {
      ws.async_close(websocket::close_code::normal, [self](error_code ec) {
        if (!self->finished_) self->Finish(self->EndStatus(ec));
      });
    });
    return;
  }
  WithStream([&](auto& ws) {
    ws.async_write(asio::buffer(writing_), [self](error_code ec, size_t) { self->OnWritten(ec); });
  });
}

void ConnectionImpl::OnWritten(error_code ec) {
  if (finished_) return;
  if (ec) return Finish(EndStatus(ec));
  size_t written = writing_.size();
  writing_.clear();
  WriteNext(written);
}

absl::Status ConnectionImpl::EndStatus(error_code ec) const {
  if (!ec || ec == websocket::error::closed) return absl::OkStatus();
  // After our close frame, a server that drops the connection instead of answering, or does
  // not answer in 2 s, still ends a clean close.
  if (close_sent_ && (ec == beast::error::timeout || ec == asio::error::eof ||
                      ec == ssl::error::stream_truncated)) {
    return absl::OkStatus();
  }
  if (ec == beast::error::timeout) {
    return absl::DeadlineExceededError(
        absl::StrCat("WebSocket ", Where(), ": nothing received (not even a pong) for ",
                     absl::FormatDuration(options_.ping_interval * 2)));
  }
  if (ec == websocket::error::message_too_big) {
    return absl::InvalidArgumentError(absl::StrCat(
        "WebSocket ", Where(), ": the server sent a message over ", kMaxIncomingMessageBytes,
        " bytes"));
  }
  return absl::UnavailableError(
      absl::StrCat("WebSocket ", Where(), ": connection lost: ", ec.message()));
}

void ConnectionImpl::Finish(absl::Status status) {
  if (finished_) return;
  finished_ = true;
  {
    std::lock_guard lock(mu_);
    closed_ = refusing_ = true;
    queue_.clear();
    queued_bytes_ = 0;
  }
  connect_timer_.cancel();
  resolver_.cancel();
  // Pending operations complete with errors that the finished_ checks ignore.
  WithStream([](auto& ws) {
    ws.set_option(NoTimeouts());
    beast::get_lowest_layer(ws).close();
  });
  std::shared_ptr<Handler> handler = std::move(handler_);
  handler->OnClose(std::move(status));
}

void ConnectionImpl::Abort(absl::Status status) { Finish(std::move(status)); }

bool ConnectionImpl::SendText(std::string message) {
  // Posting under mu_: once Finish has set closed_, nothing more reaches the io_context, so a
  // stopped Client leaves no handler (holding this connection) behind in it.
  std::lock_guard lock(mu_);
  if (refusing_) return false;
  if (queued_bytes_ + message.size() > options_.max_queued_bytes) {
    refusing_ = true;
    asio::post(*io_, [self = shared_from_this()] {
      self->Finish(absl::ResourceExhaustedError(absl::StrCat(
          "WebSocket ", self->Where(), ": more than ", self->options_.max_queued_bytes,
          " bytes waiting to be sent (the server reads too slowly)")));
    });
    return false;
  }
  queued_bytes_ += message.size();
  queue_.push_back(std::move(message));
  if (open_ && !writer_active_) {
    writer_active_ = true;
    asio::post(*io_, [self = shared_from_this()] { self->WriteNext(); });
  }
  return true;
}

void ConnectionImpl::Close() {
  std::lock_guard lock(mu_);
  if (refusing_) return;
  refusing_ = close_requested_ = true;
  if (open_ && !writer_active_) {
    writer_active_ = true;
    asio::post(*io_, [self = shared_from_this()] { self->WriteNext(); });
  }
}

size_t ConnectionImpl::queued_bytes() const {
  std::lock_guard lock(mu_);
  return queued_bytes_;
}

}  // namespace dialtone::ws
