// Usage: node resources_e2e.js API_BASE ACCOUNT_SID AUTH_TOKEN OTHER_SID OTHER_TOKEN
// Drives Applications, IncomingPhoneNumbers, Calls and Recordings through the official twilio
// library and prints one JSON line per check: {"check": "...", "ok": true|false, "detail": ...}.
'use strict';
const { dialtoneClient } = require('./twilio_client');

const [apiBase, sid, token, otherSid, otherToken] = process.argv.slice(2);
const client = dialtoneClient(sid, token, apiBase);
const account = client.api.v2010.accounts(sid);
const other = dialtoneClient(otherSid, otherToken, apiBase).api.v2010.accounts(otherSid);

function report(check, ok, detail) {
  console.log(JSON.stringify({ check, ok: !!ok, detail }));
}

async function expectError(check, promise, status, code) {
  try {
    await promise;
    report(check, false, 'no error');
  } catch (e) {
    report(check, e.status === status && e.code === code, { status: e.status, code: e.code });
  }
}

async function main() {
  // Applications
  const app = await account.applications.create({
    friendlyName: 'IVR', voiceUrl: 'https://app.example/voice', voiceMethod: 'GET',
  });
  report('application created', app.sid.startsWith('AP') && app.voiceMethod === 'GET'
    && app.dateCreated instanceof Date, app.sid);
  const fetched = await account.applications(app.sid).fetch();
  report('application fetched', fetched.friendlyName === 'IVR' && fetched.voiceUrl === 'https://app.example/voice');
  const updated = await account.applications(app.sid).update({ friendlyName: 'Menu' });
  report('application updated, other fields kept', updated.friendlyName === 'Menu'
    && updated.voiceUrl === 'https://app.example/voice');
  for (let i = 0; i < 3; i++) await account.applications.create({ friendlyName: `extra${i}` });
  const all = await account.applications.list({ pageSize: 2 });
  report('application list pages through every row', all.length === 4, all.map((a) => a.friendlyName));
  const page = await account.applications.page({ pageSize: 2 });
  report('application page has next page', page.instances.length === 2 && !!page.nextPageUrl);
  await expectError('bad VoiceUrl is 400/21205',
    account.applications.create({ voiceUrl: 'not a url' }), 400, 21205);
  await expectError('another account cannot fetch it (404/20404)',
    other.applications(app.sid).fetch(), 404, 20404);
  await expectError('another account cannot use my account path (404/20404)',
    dialtoneClient(otherSid, otherToken, apiBase).api.v2010.accounts(sid).applications.list(), 404, 20404);

  // Incoming phone numbers
  const number = await account.incomingPhoneNumbers.create({
    phoneNumber: '+15005550006', voiceApplicationSid: app.sid,
  });
  report('number created', number.sid.startsWith('PN') && number.voiceApplicationSid === app.sid
    && number.capabilities.voice === true, number.sid);
  const found = await account.incomingPhoneNumbers.list({ phoneNumber: '5550006' });
  report('number found by PhoneNumber', found.length === 1 && found[0].sid === number.sid);
  const renamed = await account.incomingPhoneNumbers(number.sid).update({ friendlyName: 'Main line' });
  report('number updated', renamed.friendlyName === 'Main line' && renamed.phoneNumber === '+15005550006');
  await expectError('bad PhoneNumber is 400/21421',
    account.incomingPhoneNumbers.create({ phoneNumber: '12345' }), 400, 21421);
  await expectError('a number already taken is 400/21422',
    other.incomingPhoneNumbers.create({ phoneNumber: '+15005550006' }), 400, 21422);
  await account.incomingPhoneNumbers(number.sid).remove();
  await expectError('a removed number is gone', account.incomingPhoneNumbers(number.sid).fetch(), 404, 20404);

  // Calls and recordings (none yet: calls arrive with the SIP stack)
  const calls = await account.calls.list();
  report('calls list is empty', Array.isArray(calls) && calls.length === 0);
  const recordings = await account.recordings.list();
  report('recordings list is empty', Array.isArray(recordings) && recordings.length === 0);
  await expectError('unknown call is 404/20404',
    account.calls('CA00000000000000000000000000000000').fetch(), 404, 20404);

  // Usage: every authenticated API request above counted as api-requests.
  let apiRecords = [];
  for (let i = 0; i < 50 && apiRecords.length === 0; i++) {
    apiRecords = (await account.usage.records.list({ category: 'api-requests' }))
      .filter((r) => Number(r.count) > 10);
    if (apiRecords.length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  report('usage records count the API requests', apiRecords.length === 1
    && apiRecords[0].countUnit === 'requests', apiRecords.map((r) => r.count));
  const today = new Date().toISOString().slice(0, 10);
  const daily = await account.usage.records.daily.list({ category: 'api-requests' });
  const day = (d) => new Date(d).toISOString().slice(0, 10);
  report('daily usage counts today', daily.some((r) => day(r.startDate) === today && Number(r.count) > 0),
    daily.filter((r) => Number(r.count) > 0).map((r) => day(r.startDate)));
  const thisMonth = await account.usage.records.thisMonth.list({ category: 'api-requests' });
  report('this month usage matches all time', thisMonth.length === 1
    && Number(thisMonth[0].count) >= Number(apiRecords[0].count));

  // Usage triggers
  const trigger = await account.usage.triggers.create({
    callbackUrl: 'https://app.example/usage', triggerValue: '1000', usageCategory: 'api-requests',
    recurring: 'daily', triggerBy: 'count', friendlyName: 'API guard',
  });
  report('usage trigger created', trigger.sid.startsWith('UT') && trigger.recurring === 'daily'
    && trigger.triggerBy === 'count' && trigger.callbackMethod === 'POST', trigger.sid);
  const renamedTrigger = await account.usage.triggers(trigger.sid).update({ friendlyName: 'Renamed' });
  report('usage trigger updated', renamedTrigger.friendlyName === 'Renamed'
    && renamedTrigger.triggerValue === trigger.triggerValue);
  const triggers = await account.usage.triggers.list({ recurring: 'daily' });
  report('usage trigger listed', triggers.length === 1 && triggers[0].sid === trigger.sid);
  await expectError('another account cannot see the trigger',
    other.usage.triggers(trigger.sid).fetch(), 404, 20404);
  await account.usage.triggers(trigger.sid).remove();
  await expectError('a removed trigger is gone', account.usage.triggers(trigger.sid).fetch(), 404, 20404);

  await account.applications(app.sid).remove();
  await expectError('a removed application is gone', account.applications(app.sid).fetch(), 404, 20404);
}

main().catch((e) => { report('no unexpected exception', false, String(e && e.stack || e)); process.exit(1); });
