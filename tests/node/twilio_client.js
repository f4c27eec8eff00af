// The official twilio helper library pointed at a Dialtone REST gateway, changed in nothing
// but the base URL (TOOLING.md: a RequestClient whose request() rewrites the URI).
'use strict';
const twilio = require('twilio');

class DialtoneRequestClient extends twilio.RequestClient {
  constructor(apiBase) {
    super();
    this.apiBase = apiBase.replace(/\/+$/, '');
  }
  request(opts) {
    opts.uri = opts.uri.replace(/^https:\/\/api\.twilio\.com/, this.apiBase);
    return super.request(opts);
  }
}

// apiBase: e.g. http://127.0.0.1:8080 (without /2010-04-01).
function dialtoneClient(accountSid, authToken, apiBase) {
  return twilio(accountSid, authToken, { httpClient: new DialtoneRequestClient(apiBase) });
}

module.exports = { dialtoneClient };
