// Updates one call through the official twilio library: node update_call.js ACCOUNT_SID TOKEN
// API_BASE CALL_SID name=value... (the library's own parameter names: url, method, twiml,
// status). Prints the updated call's sid and status as JSON; exits 1 with the error otherwise.
'use strict';
const { dialtoneClient } = require('./twilio_client');

const [accountSid, token, apiBase, callSid, ...pairs] = process.argv.slice(2);
const params = {};
for (const pair of pairs) {
  const at = pair.indexOf('=');
  params[pair.slice(0, at)] = pair.slice(at + 1);
}
dialtoneClient(accountSid, token, apiBase)
  .calls(callSid)
  .update(params)
  .then((call) => console.log(JSON.stringify({ sid: call.sid, status: call.status })))
  .catch((err) => {
    console.error(`update failed: ${err.status} ${err.code} ${err.message}`);
    process.exit(1);
  });
