// Media Streams on a live call through the official twilio library (Calls/{CallSid}/Streams):
//   node call_streams.js create ACCOUNT_SID TOKEN API_BASE CALL_SID name=value...
//   node call_streams.js update ACCOUNT_SID TOKEN API_BASE CALL_SID SID_OR_NAME name=value...
// with the library's own parameter names (url, name, track, statusCallback, 'parameter1.name',
// 'parameter1.value', ...; status for update). Prints the stream as JSON (sid, accountSid,
// callSid, name, status) and "t", when the answer came (Unix seconds); on an error, prints
// {"error": {status, code, message}} and exits 1.
'use strict';
const { dialtoneClient } = require('./twilio_client');

const [verb, accountSid, token, apiBase, callSid, ...rest] = process.argv.slice(2);
const streamSid = verb === 'update' ? rest.shift() : undefined;
const params = {};
for (const pair of rest) {
  const at = pair.indexOf('=');
  params[pair.slice(0, at)] = pair.slice(at + 1);
}
const call = dialtoneClient(accountSid, token, apiBase).calls(callSid);
const request = verb === 'create' ? call.streams.create(params)
  : verb === 'update' ? call.streams(streamSid).update(params)
    : Promise.reject(new Error(`unknown verb ${verb}: create or update`));
request
  .then((s) => console.log(JSON.stringify({
    sid: s.sid, accountSid: s.accountSid, callSid: s.callSid, name: s.name, status: s.status,
    t: Date.now() / 1000,
  })))
  .catch((err) => {
    console.log(JSON.stringify({ error: { status: err.status, code: err.code, message: err.message } }));
    process.exit(1);
  });
