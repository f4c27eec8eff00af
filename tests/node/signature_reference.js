#!/usr/bin/env node
// Reference X-Twilio-Signature from Twilio's official helper library (the npm package `twilio`),
// with the same command line as `dialtonectl webhook`, so a test can run one argument list
// through both and compare:
//
//   node signature_reference.js sign --token T --url U [NAME=VALUE ...]
//     prints twilio.getExpectedTwilioSignature(T, U, params)
//   node signature_reference.js validate --token T --url U --signature S [NAME=VALUE ...]
//     prints valid|invalid and exits 0|1 with twilio.validateRequest(T, S, U, params)
//
// params is the object an Express app gets from a form body: a repeated NAME becomes an array.
// Exit 2 on a usage error, 3 when the twilio package is not installed.
'use strict';

let twilio;
try {
  twilio = require('twilio');
} catch (err) {
  process.stderr.write(
    `the twilio npm package is missing in ${__dirname}/node_modules: ` +
      '`scripts/dev setup` installs it (npm ci --prefix tests/node)\n');
  process.exit(3);
}

function usage(problem) {
  process.stderr.write(`error: ${problem}\nusage: signature_reference.js sign|validate ` +
    '--token T --url U [--signature S] [NAME=VALUE ...]\n');
  process.exit(2);
}

const options = {};
const positional = [];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (!a.startsWith('--')) {
    positional.push(a);
  } else if (a.includes('=')) {
    options[a.slice(2, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  } else if (i + 1 < argv.length) {
    options[a.slice(2)] = argv[++i];
  } else {
    usage(`option ${a} needs a value`);
  }
}

const verb = positional.shift();
if (verb !== 'sign' && verb !== 'validate') usage('the verb is sign or validate');
if (options.token === undefined || options.url === undefined) {
  usage('--token and --url are required');
}
if (verb === 'validate' && options.signature === undefined) usage('validate needs --signature');

const params = Object.create(null);  // any NAME, even "__proto__", is a plain key
for (const pair of positional) {
  const eq = pair.indexOf('=');
  if (eq < 0) usage(`parameter "${pair}" is not NAME=VALUE`);
  const name = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  if (!Object.prototype.hasOwnProperty.call(params, name)) {
    params[name] = value;
  } else if (Array.isArray(params[name])) {
    params[name].push(value);
  } else {
    params[name] = [params[name], value];
  }
}

if (verb === 'sign') {
  const signature = twilio.getExpectedTwilioSignature(options.token, options.url, params);
  process.stdout.write(signature + '\n');
} else {
  const valid = twilio.validateRequest(options.token, options.signature, options.url, params);
  process.stdout.write(valid ? 'valid\n' : 'invalid\n');
  process.exit(valid ? 0 : 1);
}
