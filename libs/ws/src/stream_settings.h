// The Beast settings of a client WebSocket stream: the upgrade request (headers, no compression,
// the incoming size limit, text frames) and the timers Beast runs for us once it is open. Used
// by ConnectionImpl on the I/O thread.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "absl/time/time.h"
#include "dialtone/ws/client.h"

namespace dialtone::ws {

// Before the upgrade: the caller's headers and User-Agent on the request (Beast sets the
// Sec-WebSocket-* ones), permessage-deflate off, kMaxIncomingMessageBytes, text frames out.
template <class Ws>
void PrepareUpgrade(Ws& ws, std::string user_agent,
                    std::vector<std::pair<std::string, std::string>> headers) {
  namespace websocket = boost::beast::websocket;
  ws.set_option(websocket::stream_base::decorator(
      [user_agent = std::move(user_agent), headers = std::move(headers)](
          websocket::request_type& req) {
        req.set(boost::beast::http::field::user_agent, user_agent);
        for (const auto& [name, value] : headers) req.set(name, value);
      }));
  websocket::permessage_deflate no_deflate;
  no_deflate.client_enable = false;
  ws.set_option(no_deflate);
  ws.read_message_max(kMaxIncomingMessageBytes);
  ws.text(true);
}

// Once open: the closing handshake gets 2 s; when nothing has been received for a ping interval
// Beast pings, and after a second silent interval it fails the pending read (error::timeout).
inline boost::beast::websocket::stream_base::timeout OpenTimeouts(absl::Duration ping_interval) {
  namespace websocket = boost::beast::websocket;
  websocket::stream_base::timeout timeouts;
  timeouts.handshake_timeout = std::chrono::seconds(2);
  timeouts.idle_timeout = websocket::stream_base::none();
  timeouts.keep_alive_pings = false;
  if (ping_interval > absl::ZeroDuration() && ping_interval < absl::InfiniteDuration()) {
    timeouts.idle_timeout = absl::ToChronoNanoseconds(ping_interval * 2);
    timeouts.keep_alive_pings = true;
  }
  return timeouts;
}

// When the connection ends: setting no timeouts is what cancels Beast's timer; left armed, it
// would hold the io_context (and a Client's destructor) for up to a ping interval.
inline boost::beast::websocket::stream_base::timeout NoTimeouts() {
  namespace websocket = boost::beast::websocket;
  websocket::stream_base::timeout none;
  none.handshake_timeout = none.idle_timeout = websocket::stream_base::none();
  none.keep_alive_pings = false;
  return none;
}

}  // namespace dialtone::ws
