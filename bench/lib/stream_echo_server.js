// A Media Streams app for bench/media_streams_bench.sh: a WebSocket server (npm `ws`) that sends
// every inbound `media` payload straight back as an outbound `media` message on the same stream,
// as a voice agent's reply would come back. Listens on 127.0.0.1:PORT (0: any), prints
// {"port": P} once listening, and on SIGTERM prints what it saw (connections, messages by event,
// media echoed, bad messages, the first event of each connection, its own event-loop delays and
// GC pauses) as one JSON line on stderr before exiting. With TRACE_FILE, it also
// writes there, on SIGTERM, one line per media message it received: the frame's call and number
// (from stream_callers.py's payload, "DT" + 4 + 8 hex digits) and the wall-clock time it arrived
// in ns, which splits a round trip into the way to the app and the way back.
//   NODE_PATH=tests/node/node_modules node bench/lib/stream_echo_server.js [PORT [TRACE_FILE]]
'use strict';
const fs = require('fs');
const { monitorEventLoopDelay, performance, PerformanceObserver } = require('perf_hooks');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 0);
const traceFile = process.argv[3] || '';
// The trace in typed arrays: strings for 200,000 frames would give the GC work of its own.
let traced = 0;
let trace = { call: new Int32Array(1 << 18), seq: new Int32Array(1 << 18), at: new Float64Array(1 << 18) };
function Trace(call, seq, at) {
  if (traced === trace.call.length) {
    const grown = {};
    for (const k of Object.keys(trace)) {
      grown[k] = new trace[k].constructor(traced * 2);
      grown[k].set(trace[k]);
    }
    trace = grown;
  }
  trace.call[traced] = call;
  trace.seq[traced] = seq;
  trace.at[traced] = at;
  traced += 1;
}
const seen = { connections: 0, closed: 0, echoed: 0, bad: 0, events: {}, first_event: {} };
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
// When the event loop itself was held up (a timer due every 5 ms that fired 25 ms or more late):
// wall-clock ms and by how much, to tell the app's stalls from the router's.
const stalls = [];
let tickDue = performance.now() + 5;
setInterval(() => {
  const now = performance.now();
  if (now - tickDue >= 25 && stalls.length < 500) {
    stalls.push([Math.round(performance.timeOrigin + now), Math.round(now - tickDue)]);
  }
  tickDue = now + 5;
}, 5);
const gc = { count: 0, total_ms: 0, max_ms: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count += 1;
    gc.total_ms += entry.duration;
    gc.max_ms = Math.max(gc.max_ms, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });

server.on('listening', () => console.log(JSON.stringify({ port: server.address().port })));
server.on('connection', (socket, request) => {
  seen.connections += 1;
  if (request.url !== '/echo') {
    socket.close(1008, 'only /echo here');
    return;
  }
  let first = true;
  socket.on('message', (data, isBinary) => {
    let message;
    try {
      message = JSON.parse(isBinary ? '' : data.toString());
    } catch (e) {
      seen.bad += 1;
      return;
    }
    seen.events[message.event] = (seen.events[message.event] || 0) + 1;
    if (first) {  // Twilio sends `connected`, then `start`, before any media
      seen.first_event[message.event] = (seen.first_event[message.event] || 0) + 1;
      first = false;
    }
    if (message.event !== 'media' || !message.media || message.media.track !== 'inbound') return;
    if (traceFile) {
      const at = performance.timeOrigin + performance.now();  // ms, wall clock
      const tag = Buffer.from(message.media.payload.slice(0, 20), 'base64').toString('latin1');
      if (tag.startsWith('DT')) Trace(parseInt(tag.slice(2, 6), 16), parseInt(tag.slice(6, 14), 16), at);
    }
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
  seen.event_loop_delay_ms = {
    p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6,
  };
  seen.stalls = stalls;
  seen.gc = { count: gc.count, total_ms: Math.round(gc.total_ms), max_ms: Math.round(gc.max_ms * 10) / 10 };
  console.error(JSON.stringify(seen));
  if (traceFile) {
    const lines = [];
    for (let i = 0; i < traced; i += 1) {
      lines.push(`${trace.call[i]} ${trace.seq[i]} ${Math.round(trace.at[i] * 1e6)}`);
    }
    fs.writeFileSync(traceFile, lines.join('\n') + '\n');
  }
  process.exit(0);
});
