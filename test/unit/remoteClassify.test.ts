// classify() decides which one-line message an object-storage failure gets. The digits 401 and 403 mean
// "access denied" only as an HTTP status; in durations, ports, byte ranges, versions and object names they
// must not turn a server that went away into "check the credentials".
import assert from 'node:assert/strict';
import { classify, explainMidCommand } from '../../src/core/store/remote/errors';

const GONE = [
  'Generic S3 error: Error after 2 retries in 403.118ms, max_retries:10, retry_timeout:1s, source:error sending request for url (http://127.0.0.1:34933/team/x/_versions/3.manifest)',
  'Generic S3 error: Error after 1 retries in 1.403s, max_retries:10, retry_timeout:1s, source:error sending request for url (http://127.0.0.1:40313/team/a)',
  'Generic MicrosoftAzure error: Error after 3 retries in 401.9ms, max_retries:10, retry_timeout:1s, source:error sending request for url (http://127.0.0.1:10000/devstoreaccount1/team/data/403.lance)',
  'Generic S3 error: error sending request for url (http://127.0.0.1:403/team/b): Connection refused (os error 111)',
  'Generic S3 error: range 0-403 of data/401-403-aa.lance: error sending request: connection reset by peer (ECONNRESET)',
  'Generic S3 error: Error after 0 retries in 403µs: socket hang up',
];

const DENIED = [
  'Generic S3 error: Client error with status 403 Forbidden: <?xml version="1.0"?><Error><Code>AccessDenied</Code></Error>',
  'Generic S3 error: Error performing PUT http://127.0.0.1:9000/team/x: status 403',
  'Generic MicrosoftAzure error: Client error with status 401 Unauthorized: no body',
  'HTTP/1.1 403',
  'Generic S3 error: response error "code: 401", after 0 retries',
  'Generic S3 error: <Code>SignatureDoesNotMatch</Code>',
  'Generic MicrosoftAzure error: <Code>AuthenticationFailed</Code>',
];

describe('object-storage error classification: status digits only as a status', () => {
  for (const text of GONE) {
    it(`not "denied": ${text.slice(0, 90)}`, () => {
      assert.notEqual(classify(text), 'denied');
      assert.doesNotMatch(explainMidCommand(text, {}), /refused access|Check the credentials/);
    });
  }
  for (const text of DENIED) {
    it(`"denied": ${text.slice(0, 90)}`, () => {
      assert.equal(classify(text), 'denied');
      assert.match(explainMidCommand(text, {}), /refused access part-way \(403\)/);
    });
  }
  it('a network failure whose elapsed time contains 403 says the server went away', () => {
    assert.match(explainMidCommand(GONE[0], {}, false), /went away part-way/);
  });
});

describe('object-storage error classification: the retry budget is not a timeout', () => {
  const variants = [
    'Generic S3 error: Error after 10 retries in 1.2s, max_retries:10, retry_timeout:1s, source:error sending request for url (http://127.0.0.1:9/x)',
    'Generic MicrosoftAzure error: Error after 2 retries in 980ms, max_retries:10, retry_timeout:180s, source:Connection reset by peer',
    'Generic GCS error: Error after 1 retries in 5s, max_retries:10, retry_timeout:5.5s, source:socket hang up',
  ];
  for (const text of variants) {
    it(`network failure, not timeout: ${text.slice(0, 70)}`, () => assert.equal(classify(text), 'unreachable'));
  }
  it('a real timeout is still one', () => {
    assert.equal(classify('Generic S3 error: Error after 0 retries in 30s, retry_timeout:180s, source:operation timed out'), 'timeout');
    assert.equal(classify('Generic S3 error: request deadline has elapsed'), 'timeout');
  });
});
