// A Media Streams app for the end-to-end tests (issue 18): a WebSocket server on 127.0.0.1 that
// logs what the call router sends and, by the path of the stream URL, answers as a voice app would.
//
//   node stream_server.js --token AUTH_TOKEN --log FILE.jsonl [--port-file FILE]
//                         [--tls-cert CERT.pem --tls-key KEY.pem]   (wss:// instead of ws://)
//
// Prints "PORT <n>" once listening on a free port of 127.0.0.1 (and writes it to --port-file).
// Every line of the log is one JSON object with "t" (Unix seconds, sub-millisecond, the host's
// clock as Python's time.time() reads it), "conn" (1, 2, ... per connection), "path" (the request
// path with its query) and "type":
//   upgrade  the handshake: url (ws://Host + path), headers, signature (valid | invalid | missing:
//            twilio.validateRequest(token, X-Twilio-Signature, url, {}))
//   recv     a message received: msg (parsed JSON) or raw (text that was not JSON) or binary (size)
//   sent     what the server sent: event (media | mark | clear), chunks/bytes for media, name
//   mark     a mark came back: name, ms (since the server sent that mark)
//   ping     a ping from the router;  stall  the server stopped reading;  close  code, reason, by
// Paths:
//   /record           listen only
//   /tone-mark        after start: 1 s of a 1 kHz mu-law tone (50 media of 20 ms), then mark
//                     "tone-done"
//   /clear            after start: 3 s of the tone, mark "long", and 500 ms later a clear
//   /stall            accepts, then pauses the socket: it never reads again
//   /close-after?ms=N closes the WebSocket (code 1000) N ms after the handshake
//   /echo             sends each inbound media payload straight back
'use strict';
const fs = require('fs');
const { performance } = require('perf_hooks');
const twilio = require('twilio');
const { WebSocketServer } = require('ws');

function Args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  if (!out.log) {
    console.error('usage: stream_server.js --token AUTH_TOKEN --log FILE [--port-file FILE]');
    process.exit(2);
  }
  return out;
}

const args = Args(process.argv.slice(2));
const Now = () => (performance.timeOrigin + performance.now()) / 1000;
function Log(record) {
  fs.appendFileSync(args.log, JSON.stringify({ t: Now(), ...record }) + '\n');
}

// G.711 mu-law of a 16-bit sample (the same table-free encoder as tests/e2e/voice_caller.py).
function Ulaw(sample) {
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; exponent > 0 && !(s & mask); mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

// SECONDS of a 1 kHz tone, 8 kHz mu-law, as base64 payloads of 160 bytes (20 ms) each.
function ToneChunks(seconds) {
  const chunks = [];
  for (let c = 0; c < seconds * 50; c++) {
    const b = Buffer.alloc(160);
    for (let i = 0; i < 160; i++) {
      b[i] = Ulaw(Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (c * 160 + i)) / 8000)));
    }
    chunks.push(b.toString('base64'));
  }
  return chunks;
}

// One connection: logs everything and runs the behaviour its path names.
function Serve(ws, req, conn) {
  const path = req.url;
  const url = new URL(path, 'ws://placeholder');
  const route = url.pathname;
  const log = (record) => Log({ conn, path, ...record });
  let streamSid = '';
  const marksSent = new Map();  // name -> time sent
  const send = (message, record) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(message));
    if (record) log({ type: 'sent', ...record });
  };
  const sendTone = (seconds) => {
    const chunks = ToneChunks(seconds);
    for (const payload of chunks) send({ event: 'media', streamSid, media: { payload } });
    log({ type: 'sent', event: 'media', chunks: chunks.length, bytes: chunks.length * 160 });
  };
  const sendMark = (name) => {
    marksSent.set(name, Now());
    send({ event: 'mark', streamSid, mark: { name } }, { event: 'mark', name });
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) return log({ type: 'recv', binary: data.length });
    let msg;
    try {
      msg = JSON.parse(data.toString('utf8'));
    } catch (e) {
      return log({ type: 'recv', raw: data.toString('utf8') });
    }
    log({ type: 'recv', msg });
    if (msg.event === 'start') {
      streamSid = msg.streamSid || (msg.start && msg.start.streamSid) || '';
      if (route === '/tone-mark') {
        sendTone(1);
        sendMark('tone-done');
      } else if (route === '/clear') {
        sendTone(3);
        sendMark('long');
        setTimeout(() => send({ event: 'clear', streamSid }, { event: 'clear' }), 500);
      }
    } else if (msg.event === 'mark' && msg.mark) {
      const sent = marksSent.get(msg.mark.name);
      log({ type: 'mark', name: msg.mark.name, ms: sent ? (Now() - sent) * 1000 : null });
    } else if (msg.event === 'media' && route === '/echo' && msg.media && msg.media.track !== 'outbound') {
      send({ event: 'media', streamSid, media: { payload: msg.media.payload } });
    }
  });
  ws.on('ping', () => log({ type: 'ping' }));
  ws.on('close', (code, reason) => log({ type: 'close', code, reason: reason.toString(), by: ws.closedByServer ? 'server' : 'peer' }));
  ws.on('error', (err) => log({ type: 'error', message: err.message }));

  if (route === '/stall') {
    req.socket.pause();  // the router's frames pile up in the kernel's buffers
    log({ type: 'stall' });
  } else if (route === '/close-after') {
    const ms = Number(url.searchParams.get('ms') || 1000);
    setTimeout(() => {
      ws.closedByServer = true;
      ws.close(1000, 'close-after');
    }, ms);
  }
}

const tls = Boolean(args['tls-cert']);
let server;
let listener;  // what listens: the WebSocket server itself, or the HTTPS server it rides on
if (tls) {
  const https = require('https');
  listener = https.createServer({
    cert: fs.readFileSync(args['tls-cert']),
    key: fs.readFileSync(args['tls-key']),
  });
  server = new WebSocketServer({ server: listener });
  listener.listen(0, '127.0.0.1');
} else {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  listener = server;
}
let connections = 0;
server.on('connection', (ws, req) => {
  const conn = ++connections;
  const url = `${tls ? 'wss' : 'ws'}://${req.headers.host}${req.url}`;
  const header = req.headers['x-twilio-signature'];
  let signature = 'missing';
  if (header !== undefined) {
    signature = twilio.validateRequest(args.token || '', header, url, {}) ? 'valid' : 'invalid';
  }
  Log({ conn, path: req.url, type: 'upgrade', url, headers: req.headers, signature });
  Serve(ws, req, conn);
});
listener.on('listening', () => {
  const port = listener.address().port;
  if (args['port-file']) {
    fs.writeFileSync(args['port-file'] + '.tmp', `${port}\n`);
    fs.renameSync(args['port-file'] + '.tmp', args['port-file']);
  }
  console.log(`PORT ${port}`);
});
process.on('SIGTERM', () => process.exit(0));
