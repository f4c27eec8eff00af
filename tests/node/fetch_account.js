// Usage: node fetch_account.js API_BASE ACCOUNT_SID AUTH_TOKEN
// Fetches and renames the account through the official library; prints what it got as JSON.
'use strict';
const { dialtoneClient } = require('./twilio_client');

async function main() {
  const [apiBase, sid, token] = process.argv.slice(2);
  const client = dialtoneClient(sid, token, apiBase);
  const fetched = await client.api.v2010.accounts(sid).fetch();
  const renamed = await client.api.v2010.accounts(sid).update({ friendlyName: 'Renamed by twilio-node' });
  let wrongToken = null;
  try {
    await dialtoneClient(sid, 'ffffffffffffffffffffffffffffffff', apiBase).api.v2010.accounts(sid).fetch();
  } catch (e) {
    wrongToken = { status: e.status, code: e.code };
  }
  console.log(JSON.stringify({
    sid: fetched.sid,
    status: fetched.status,
    type: fetched.type,
    dateCreatedIsDate: fetched.dateCreated instanceof Date && !isNaN(fetched.dateCreated),
    renamed: renamed.friendlyName,
    wrongToken,
  }));
}

main().catch((e) => { console.error(e); process.exit(1); });
