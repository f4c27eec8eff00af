// ConnectionImpl: the Connection behind ws::Client. Its connect sequence (resolve, fetch policy,
// TCP, TLS, upgrade), its read loop and its writer run on the client's I/O thread; SendText,
// Close and queued_bytes are called from any thread and only touch the queue under mu_.
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "dialtone/ws/client.h"
#include "ws_url.h"

namespace dialtone::ws {

using Headers = std::vector<std::pair<std::string, std::string>>;

class ConnectionImpl final : public Connection,
                             public std::enable_shared_from_this<ConnectionImpl> {
 public:
  // `io` and `tls` are kept alive by the connection, so a Connection the caller holds past
  // the Client never touches a destroyed io_context.
  ConnectionImpl(std::shared_ptr<boost::asio::io_context> io,
                 std::shared_ptr<boost::asio::ssl::context> tls, const ClientOptions& options,
                 WsUrl url, Headers headers, std::shared_ptr<Handler> handler);

  void Start();                      // I/O thread: begins the connect sequence
  void Abort(absl::Status status);   // I/O thread: ends the connection now, reporting `status`

  bool SendText(std::string message) override;
  void Close() override;
  size_t queued_bytes() const override;

 private:
  using PlainWs = boost::beast::websocket::stream<boost::beast::tcp_stream>;
  using TlsWs =
      boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

  // Runs `f` on whichever stream this connection has.
  template <class F>
  void WithStream(F&& f) {
    if (tls_ws_) {
      f(*tls_ws_);
    } else {
      f(*plain_ws_);
    }
  }

  // The connect sequence, each step on the I/O thread.
  void Resolve();
  void OnResolved(boost::system::error_code ec,
                  const boost::asio::ip::tcp::resolver::results_type& results);
  void OnConnected(boost::system::error_code ec);
  void Upgrade();
  void OnUpgraded(boost::system::error_code ec);
  // The read loop and the writer.
  void Read();
  void OnRead(boost::system::error_code ec);
  void WriteNext(size_t written = 0);  // `written`: the bytes of the frame just written
  void OnWritten(boost::system::error_code ec);
  // Reports `status` once: OnClose, then the handler is released.
  void Finish(absl::Status status);
  absl::Status EndStatus(boost::system::error_code ec) const;
  std::string Where() const;  // "host:port" for messages

  // Fixed at construction. io_ first: destroyed after the streams that use it.
  std::shared_ptr<boost::asio::io_context> io_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  const ClientOptions options_;
  const WsUrl url_;
  const Headers headers_;

  // I/O thread only.
  std::shared_ptr<Handler> handler_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer connect_timer_;
  std::unique_ptr<PlainWs> plain_ws_;
  std::unique_ptr<TlsWs> tls_ws_;
  boost::beast::websocket::response_type upgrade_response_;
  boost::beast::flat_buffer read_buffer_;
  std::string writing_;      // the frame being written
  bool close_sent_ = false;  // our close frame is on its way
  bool finished_ = false;    // OnClose has been called

  // Shared with the senders.
  mutable std::mutex mu_;
  std::deque<std::string> queue_;
  size_t queued_bytes_ = 0;     // queue_ plus writing_
  bool open_ = false;           // upgraded: the writer may run
  bool refusing_ = false;       // Close called or failing: SendText says false
  bool close_requested_ = false;
  bool writer_active_ = false;  // a WriteNext is posted, a write or the close is in flight
  bool closed_ = false;         // finished: nothing more is posted
};

}  // namespace dialtone::ws
