// A real S3-compatible server for tests: @20minutes/s3rver (pinned in package-lock.json), which
// checks AWS Signature V4 (a wrong secret gets 403 SignatureDoesNotMatch). Path-style only.
//
// usage: node s3_server.js DATA_DIR PORT BUCKET [ACCESS_KEY SECRET_KEY]
// Listens on 127.0.0.1:PORT with BUCKET created; prints "S3 listening on PORT" when ready. Keys
// default to s3rver's built-in pair S3RVER / S3RVER.
'use strict';

const S3rver = require('@20minutes/s3rver');
const AWSAccount = require('@20minutes/s3rver/lib/models/account');

const [dir, port, bucket, accessKey, secretKey] = process.argv.slice(2);
if (!dir || !port || !bucket) {
  console.error('usage: node s3_server.js DATA_DIR PORT BUCKET [ACCESS_KEY SECRET_KEY]');
  process.exit(2);
}
if (accessKey && secretKey) AWSAccount.DUMMY_ACCOUNT.createKeyPair(accessKey, secretKey);

new S3rver({
  directory: dir,
  address: '127.0.0.1',
  port: Number(port),
  silent: true,
  vhostBuckets: false,
  configureBuckets: [{ name: bucket, configs: [] }],
})
  .run()
  .then(({ port: bound }) => console.log(`S3 listening on ${bound}`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
