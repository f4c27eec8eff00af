// A Media Streams app for bench/media_streams_bench.sh: a WebSocket server (npm `ws`) that sends
// every inbound `media` payload straight back as an outbound `media` message on the same stream,
// as a voice agent's reply would come back. Listens on 127.0.0.1:PORT (0: any), prints
// {"port": P} once listening, and on SIGTERM prints what it saw (connections, messages by event,
// media echoed, bad messages) as one JSON line on stderr before exiting.
//   NODE_PATH=tests/node/node_modules node bench/lib/stream_echo_server.js [PORT]
'use strict';
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 0);
const seen = { connections: 0, closed: 0, echoed: 0, bad: 0, events: {} };
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });

server.on('listening', () => console.log(JSON.stringify({ port: server.address().port })));
server.on('connection', (socket, request) => {
  seen.connections += 1;
  if (request.url !== '/echo') {
    socket.close(1008, 'only /echo here');
    return;
  }
  socket.on('message', (data, isBinary) => {
    let message;
    try {
      message = JSON.parse(isBinary ? '' : data.toString());
    } catch (e) {
      seen.bad += 1;
      return;
    }
    seen.events[message.event] = (seen.events[message.event] || 0) + 1;
    if (message.event !== 'media' || !message.media || message.media.track !== 'inbound') return;
    socket.send(JSON.stringify({
      event: 'media',
      streamSid: message.streamSid,
      media: { payload: message.media.payload },
    }));
    seen.echoed += 1;
  });
  socket.on('close', () => { seen.closed += 1; });
});

process.on('SIGTERM', () => {
  console.error(JSON.stringify(seen));
  process.exit(0);
});
