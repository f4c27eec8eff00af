// The platform's WebSocket client (issue 18, Media Streams): one connection per media stream to a
// tenant's ws:// or wss:// server, JSON text frames out every 20 ms per track and the app's text
// frames in. Beast and Asio stay behind this header; one I/O thread per Client runs every
// connection, and the senders (the call router's RTP thread) never wait for it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dialtone/http/fetch_policy.h"

namespace dialtone::ws {

struct ClientOptions {
  // Checked on every resolved address before connecting (tenant URLs must not reach inside:
  // loopback, private ranges...). Null: no check. A refused address fails the connect with
  // PermissionDenied carrying the policy's reason.
  std::shared_ptr<const http::FetchPolicy> policy;
  // PEM file trusted besides the system store for wss (tests); "" none. When it cannot be
  // loaded, Connect refuses wss:// URLs with FailedPrecondition naming the file.
  std::string extra_ca_file;
  absl::Duration connect_timeout = absl::Seconds(5);  // DNS + TCP + TLS + upgrade
  // A ping when nothing was received for one interval; no pong nor any frame in 2 intervals:
  // the connection fails (DeadlineExceeded). Zero, less or infinite: no pings, no idle limit.
  absl::Duration ping_interval = absl::Seconds(10);
  size_t max_queued_bytes = 2 << 20;  // send queue bound; beyond it the connection fails (ResourceExhausted)
  std::string user_agent = "Dialtone-MediaStreams/1.0";
};

// The largest message the server may send; a bigger one fails the connection (close code 1009
// to the server, InvalidArgument to the handler).
inline constexpr size_t kMaxIncomingMessageBytes = 1 << 20;

// What a connection reports, called on the client's I/O thread, in order; OnClose exactly once
// (also when the connect fails, without OnOpen before it). A handler may call SendText/Close
// from these callbacks, but must not destroy the Client there.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void OnOpen() = 0;
  virtual void OnText(std::string message) = 0;  // binary frames are ignored
  // OK: closed cleanly (by us or by the server with a close frame). Else why:
  //   Unavailable         connect/handshake failures (DNS, TCP, TLS incl. an untrusted
  //                       certificate, a non-101 answer with its HTTP status in the message),
  //                       and a connection lost without a close frame (reset, EOF)
  //   PermissionDenied    every resolved address refused by the fetch policy (its reason)
  //   ResourceExhausted   the send queue would have passed max_queued_bytes
  //   DeadlineExceeded    the connect timeout, or a dead peer (no pong nor frame in 2 pings)
  //   InvalidArgument     the server sent a message over kMaxIncomingMessageBytes
  //   Cancelled           the Client was destroyed while the connection was live
  virtual void OnClose(absl::Status status) = 0;
};

// One WebSocket. Thread-safe: SendText/Close from any thread. SendText never blocks on the
// network nor waits for the I/O thread (a short mutex; one post only when the writer is idle).
class Connection {
 public:
  virtual ~Connection() = default;
  // Queues a text frame (frames queued before the handshake completes are sent after it).
  // False when the connection is closing/closed or the queue would pass max_queued_bytes (then
  // the connection fails: OnClose(ResourceExhausted)).
  virtual bool SendText(std::string message) = 0;
  // Sends what is queued, then a close frame (1000), then OnClose(OK) once the server answers
  // (or after 2 s without answer). Idempotent.
  virtual void Close() = 0;
  // Bytes queued or being written, not yet handed to the socket.
  virtual size_t queued_bytes() const = 0;
};

// Owns an io_context and its one thread. Thread-safe.
//   ws::Client client({.policy = policy});
//   auto c = client.Connect("wss://app.example/media", {{"X-Twilio-Signature", sig}}, handler);
class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();  // closes every connection abruptly (OnClose(Cancelled)) and joins the thread
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // InvalidArgument for a URL that is not ws:// or wss:// with a host. Otherwise connects in the
  // background and reports to `handler` (held until OnClose has run). `headers` go on the
  // upgrade request as given (e.g. X-Twilio-Signature).
  absl::StatusOr<std::shared_ptr<Connection>> Connect(
      const std::string& url, std::vector<std::pair<std::string, std::string>> headers,
      std::shared_ptr<Handler> handler);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace dialtone::ws
