// Usage: node resources_e2e.js API_BASE ACCOUNT_SID AUTH_TOKEN OTHER_SID OTHER_TOKEN APP_URL
//          REDIRECT_CALLEE HANGUP_CALLEE RING_CALLEE
// Drives Applications, IncomingPhoneNumbers, Calls and Recordings through the official twilio
// library and prints one JSON line per check: {"check": "...", "ok": true|false, "detail": ...}.
// APP_URL is the stack's demo app (/voice: Pause 1, Hangup); the callees are SIP URIs of SIPp
// callees the caller started: two that answer, one that rings until CANCEL.
'use strict';
const twilio = require('twilio');
const { dialtoneClient } = require('./twilio_client');

const [apiBase, sid, token, otherSid, otherToken, appUrl, redirectCallee, hangupCallee,
  ringCallee] = process.argv.slice(2);
const client = dialtoneClient(sid, token, apiBase);
const account = client.api.v2010.accounts(sid);
const other = dialtoneClient(otherSid, otherToken, apiBase).api.v2010.accounts(otherSid);

function report(check, ok, detail) {
  console.log(JSON.stringify({ check, ok: !!ok, detail }));
}

// code undefined: any Twilio code, as long as the HTTP status matches.
async function expectError(check, promise, status, code) {
  try {
    await promise;
    report(check, false, 'no error');
  } catch (e) {
    report(check, e.status === status && (code === undefined || e.code === code),
      { status: e.status, code: e.code, message: e.message });
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Fetches the call until its status is one of `want` or `seconds` pass; returns the last fetch.
async function settle(callSid, want, seconds = 15) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const call = await account.calls(callSid).fetch();
    if (want.includes(call.status) || Date.now() > deadline) return call;
    await sleep(200);
  }
}

// TwiML built with the library's own VoiceResponse, as an application would.
function pauseTwiml(seconds) {
  const response = new twilio.twiml.VoiceResponse();
  response.pause({ length: seconds });
  return response;
}

const isDate = (d) => d instanceof Date && !Number.isNaN(d.getTime());
const CALL_SID = /^CA[0-9a-f]{32}$/;

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
    phoneNumber: '+15005550007', voiceApplicationSid: app.sid,
  });
  report('number created', number.sid.startsWith('PN') && number.voiceApplicationSid === app.sid
    && number.capabilities.voice === true, number.sid);
  const found = await account.incomingPhoneNumbers.list({ phoneNumber: '5550007' });
  report('number found by PhoneNumber', found.length === 1 && found[0].sid === number.sid);
  const renamed = await account.incomingPhoneNumbers(number.sid).update({ friendlyName: 'Main line' });
  report('number updated', renamed.friendlyName === 'Main line' && renamed.phoneNumber === '+15005550007');
  await expectError('bad PhoneNumber is 400/21421',
    account.incomingPhoneNumbers.create({ phoneNumber: '12345' }), 400, 21421);
  await expectError('a number already taken is 400/21422',
    other.incomingPhoneNumbers.create({ phoneNumber: '+15005550007' }), 400, 21422);
  await account.incomingPhoneNumbers(number.sid).remove();
  await expectError('a removed number is gone', account.incomingPhoneNumbers(number.sid).fetch(), 404, 20404);

  // Calls and recordings (none yet: calls arrive with the SIP stack)
  const calls = await account.calls.list();
  report('calls list is empty', Array.isArray(calls) && calls.length === 0);
  const recordings = await account.recordings.list();
  report('recordings list is empty', Array.isArray(recordings) && recordings.length === 0);
  await expectError('unknown call is 404/20404',
    account.calls('CA00000000000000000000000000000000').fetch(), 404, 20404);
  await callChecks();

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

// Calls: create, fetch, list with filters, update (redirect by Url and by Twiml, hang up, cancel)
// and delete, against SIPp callees; statuses are polled until they settle.
async function callChecks() {
  // A: answered, redirected with Twiml (stays up), then with Url (Pause 1, Hangup: ends).
  const a = await account.calls.create({
    to: redirectCallee, from: '+15557650000', twiml: pauseTwiml(30), timeout: 20,
  });
  report('call created: queued, outbound-api, To and From as given', CALL_SID.test(a.sid)
    && a.accountSid === sid && ['queued', 'ringing'].includes(a.status) && a.direction === 'outbound-api'
    && a.to === redirectCallee && a.from === '+15557650000' && isDate(a.dateCreated)
    && isDate(a.dateUpdated) && a.startTime === null && a.endTime === null && a.duration === null
    && a.apiVersion === '2010-04-01' && a.uri === `/2010-04-01/Accounts/${sid}/Calls/${a.sid}.json`,
  { sid: a.sid, status: a.status, startTime: a.startTime, duration: a.duration });
  const answered = await settle(a.sid, ['in-progress']);
  report('answered call fetches in-progress with a start time', answered.status === 'in-progress'
    && answered.sid === a.sid && isDate(answered.startTime)
    && answered.startTime.getTime() >= a.dateCreated.getTime() - 1000 && answered.endTime === null,
  { status: answered.status, startTime: answered.startTime });
  await expectError('a live call cannot be deleted (400)', account.calls(a.sid).remove(), 400);

  const byTwiml = await account.calls(a.sid).update({ twiml: pauseTwiml(30) });
  await sleep(1500);
  const stillUp = await account.calls(a.sid).fetch();
  report('redirect with Twiml answers the live call and keeps it up', byTwiml.sid === a.sid
    && byTwiml.status === 'in-progress' && stillUp.status === 'in-progress',
  { updated: byTwiml.status, later: stillUp.status });

  const byUrl = await account.calls(a.sid).update({ url: `${appUrl}/voice`, method: 'GET' });
  const ended = await settle(a.sid, ['completed', 'failed', 'canceled', 'busy', 'no-answer']);
  const seconds = ended.endTime && ended.startTime ? (ended.endTime - ended.startTime) / 1000 : NaN;
  report('redirect with Url runs the new document and the call ends completed',
    byUrl.status === 'in-progress' && ended.status === 'completed' && isDate(ended.endTime)
    && ended.endTime >= ended.startTime && /^[0-9]+$/.test(ended.duration || '')
    && Math.abs(Number(ended.duration) - seconds) <= 1 && Number(ended.duration) >= 2,
  { updated: byUrl.status, status: ended.status, duration: ended.duration, seconds });
  await expectError('redirecting an ended call is 400/21220',
    account.calls(a.sid).update({ url: `${appUrl}/voice` }), 400, 21220);

  // B: answered, hung up with Status=completed; From is a plain SIP user name.
  const b = await account.calls.create({ to: hangupCallee, from: 'dialtone', twiml: pauseTwiml(30) });
  const bLive = await settle(b.sid, ['in-progress']);
  const hungUp = await account.calls(b.sid).update({ status: 'completed' });
  report('Status=completed hangs up a live call at once', bLive.status === 'in-progress'
    && hungUp.status === 'completed' && isDate(hungUp.endTime) && hungUp.duration !== null
    && b.from === 'dialtone', { live: bLive.status, status: hungUp.status, duration: hungUp.duration });

  // C: never answered, canceled with Status=canceled while ringing.
  const c = await account.calls.create({
    to: ringCallee, from: '+15557650002', url: `${appUrl}/voice`, method: 'GET',
  });
  const ringing = await settle(c.sid, ['ringing']);
  const canceled = await account.calls(c.sid).update({ status: 'canceled' });
  const canceledLater = await settle(c.sid, ['canceled'], 2);
  report('Status=canceled cancels a ringing call', ringing.status === 'ringing'
    && canceled.status === 'canceled' && canceledLater.status === 'canceled',
  { ringing: ringing.status, status: canceled.status });

  // List with filters (only these three calls exist in the account).
  const sids = (list) => list.map((x) => x.sid).sort();
  const byTo = await account.calls.list({ to: redirectCallee });
  report('calls list filtered by To', byTo.length === 1 && byTo[0].sid === a.sid
    && byTo[0].status === 'completed', sids(byTo));
  const byFrom = await account.calls.list({ from: 'dialtone' });
  report('calls list filtered by From', byFrom.length === 1 && byFrom[0].sid === b.sid, sids(byFrom));
  const completed = await account.calls.list({ status: 'completed', pageSize: 1 });
  report('calls list filtered by Status pages through every match',
    JSON.stringify(sids(completed)) === JSON.stringify([a.sid, b.sid].sort()), sids(completed));
  const page = await account.calls.page({ status: 'completed', pageSize: 1 });
  report('calls page of one has a next page', page.instances.length === 1 && !!page.nextPageUrl);
  const none = await account.calls.list({ to: redirectCallee, status: 'canceled' });
  const both = await account.calls.list({ to: ringCallee, status: 'canceled' });
  report('calls list with To and Status together', none.length === 0 && both.length === 1
    && both[0].sid === c.sid, { none: sids(none), both: sids(both) });
  const all = await account.calls.list();
  report('calls list holds every call', JSON.stringify(sids(all))
    === JSON.stringify([a.sid, b.sid, c.sid].sort()) && all.every((x) => x.direction === 'outbound-api'),
  sids(all));

  // Another account sees none of them.
  await expectError('another account cannot fetch my call (404/20404)', other.calls(a.sid).fetch(), 404, 20404);
  await expectError('another account cannot update my call (404/20404)',
    other.calls(b.sid).update({ status: 'completed' }), 404, 20404);
  await expectError('another account cannot delete my call (404/20404)', other.calls(c.sid).remove(), 404, 20404);
  report('another account lists no calls', (await other.calls.list()).length === 0);

  // Errors of Calls create.
  await expectError('a call without To is 400/21201',
    account.calls.create({ to: '', from: '+15557650000', url: `${appUrl}/voice` }), 400, 21201);
  await expectError('a call to an invalid To is 400/21211',
    account.calls.create({ to: '12345', from: '+15557650000', url: `${appUrl}/voice` }), 400, 21211);
  await expectError('a call with an invalid Url is 400/21205',
    account.calls.create({ to: ringCallee, from: '+15557650000', url: 'not a url' }), 400, 21205);

  // Delete: an ended call goes away.
  const removed = await account.calls(c.sid).remove();
  report('an ended call is deleted', removed === true);
  await expectError('a deleted call is gone (404/20404)', account.calls(c.sid).fetch(), 404, 20404);
}

main().catch((e) => { report('no unexpected exception', false, String(e && e.stack || e)); process.exit(1); });
