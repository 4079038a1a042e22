import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { StoreError } from '../../src/core/store';
import { describeLocation, isRemoteStore, parseStoreLocation } from '../../src/core/store/location';
import { remoteOptionsFromEnv, resolveRemote, parseConnectionString, AZURITE_KEY } from '../../src/core/store/remote/config';
import type { RemoteLocation } from '../../src/core/store/location';

function badLocation(s: string): string {
  try {
    parseStoreLocation(s);
  } catch (e) {
    assert.ok(e instanceof StoreError, String(e));
    assert.equal(e.code, 'bad-location');
    return e.message;
  }
  assert.fail(`${JSON.stringify(s)} was accepted`);
}

describe('store locations: folders and object-storage URIs', () => {
  it('keeps plain paths, relative paths, Windows drive paths and file:// URLs local', () => {
    assert.deepEqual(parseStoreLocation('/tmp/store'), { kind: 'local', dir: '/tmp/store' });
    assert.deepEqual(parseStoreLocation('rel/store', '/base'), { kind: 'local', dir: resolve('/base', 'rel/store') });
    assert.equal(parseStoreLocation('C:/x/store', '/base').kind, 'local');
    assert.deepEqual(parseStoreLocation('file:///var/lib/dejafix'), { kind: 'local', dir: '/var/lib/dejafix' });
    assert.equal(isRemoteStore('/tmp/s3://x'), false);
  });

  for (const [input, kind, bucket, prefix] of [
    ['s3://team-bucket/dejafix/memory', 's3', 'team-bucket', 'dejafix/memory'],
    ['S3://my.bucket.name', 's3', 'my.bucket.name', ''],
    ['s3://bkt//a///b/', 's3', 'bkt', 'a/b'],
    ['gs://team_bucket/mem', 'gs', 'team_bucket', 'mem'],
    ['gcs://abc/x', 'gs', 'abc', 'x'],
    ['az://container-1/prefix/deep', 'az', 'container-1', 'prefix/deep'],
    ['azure://c12/p', 'az', 'c12', 'p'],
    ['  az://abc/p  ', 'az', 'abc', 'p'],
  ] as const) {
    it(`parses ${input.trim()}`, () => {
      const loc = parseStoreLocation(input) as RemoteLocation;
      assert.equal(loc.kind, kind);
      assert.equal(loc.bucket, bucket);
      assert.equal(loc.prefix, prefix);
      assert.equal(loc.uri, `${kind}://${bucket}${prefix ? `/${prefix}` : ''}`);
      assert.equal(describeLocation(loc), loc.uri);
      assert.ok(isRemoteStore(input));
    });
  }

  for (const [input, says] of [
    ['', /empty/],
    ['s3://', /names no bucket/],
    ['az:///prefix', /names no container/],
    ['s3://UpperCase/p', /not a valid S3 bucket name/],
    ['s3://ab/p', /not a valid S3 bucket name/],
    ['s3://-bad/p', /not a valid S3 bucket name/],
    ['az://double--hyphen/p', /not a valid Azure container name/],
    ['az://has.dot/p', /not a valid Azure container name/],
    [`gs://${'a'.repeat(223)}/p`, /not a valid Cloud Storage bucket name/],
    ['s3://bucket/../escape', /"\." or "\.\." segments/],
    ['s3://bucket/a/./b', /"\." or "\.\." segments/],
    ['s3://bucket/p?versionId=1', /query/],
    ['s3://bucket/p#frag', /fragment/],
    ['s3://bucket/a\\b', /backslash/],
    ['s3://bucket/a\u0001b', /control/],
    ['s3://bucket/a\nb', /control character/],
    [`s3://bucket/${'p/'.repeat(400)}`, /too long/],
    ['http://example.com/store', /Unsupported store location scheme "http:\/\/"/],
    ['s3a://bucket/p', /Unsupported/],
    ['file://%zz', /file:\/\//],
  ] as const) {
    it(`refuses ${JSON.stringify(input.slice(0, 40))} with a clear message`, () => {
      assert.match(badLocation(input), says);
    });
  }

  it('never repeats credentials embedded in a URI', () => {
    const msg = badLocation('s3://AKIAEXAMPLE:wJalrXUtnFEMIsecretKEY@bucket/prefix');
    assert.match(msg, /must not contain credentials/);
    assert.doesNotMatch(msg, /wJalrXUtnFEMIsecretKEY|AKIAEXAMPLE/);
  });
});

describe('object-storage options from the standard environment', () => {
  const s3 = parseStoreLocation('s3://bkt/p') as RemoteLocation;
  const az = parseStoreLocation('az://ctr/p') as RemoteLocation;

  it('maps the AWS variables, endpoint and plain HTTP, and lists the secrets', () => {
    const r = resolveRemote(s3, {
      env: {
        AWS_ACCESS_KEY_ID: 'AKIA1',
        AWS_SECRET_ACCESS_KEY: 'sekret-value',
        AWS_SESSION_TOKEN: 'tok-value',
        AWS_REGION: 'eu-west-3',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9000/',
        AWS_ALLOW_HTTP: 'true',
      },
    });
    assert.equal(r.storageOptions.aws_access_key_id, 'AKIA1');
    assert.equal(r.storageOptions.aws_region, 'eu-west-3');
    assert.equal(r.storageOptions.aws_endpoint, 'http://127.0.0.1:9000/');
    assert.equal(r.storageOptions.allow_http, 'true');
    assert.equal(r.endpoint, 'http://127.0.0.1:9000');
    assert.match(r.identity, /AKIA1/);
    assert.deepEqual(r.secrets.sort(), ['sekret-value', 'tok-value']);
  });

  it('uses AWS_ENDPOINT too, and explicit options win over the environment', () => {
    const r = resolveRemote(s3, {
      env: { AWS_ENDPOINT: 'http://h:1', AWS_ACCESS_KEY_ID: 'A' },
      storageOptions: { aws_access_key_id: 'B' },
    });
    assert.equal(r.storageOptions.aws_endpoint, 'http://h:1');
    assert.equal(r.storageOptions.aws_access_key_id, 'B');
  });

  it('reads AWS_PROFILE from the shared credentials and config files', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const d = mkdtempSync(join(tmpdir(), 'dejafix-aws-'));
    writeFileSync(
      join(d, 'credentials'),
      '[default]\naws_access_key_id = DEF\n\n[team]\naws_access_key_id = TEAMKEY\naws_secret_access_key = team-secret\n',
    );
    writeFileSync(join(d, 'config'), '[profile team]\nregion = ap-south-1\n');
    const r = resolveRemote(s3, {
      env: { AWS_PROFILE: 'team', AWS_SHARED_CREDENTIALS_FILE: join(d, 'credentials'), AWS_CONFIG_FILE: join(d, 'config') },
    });
    assert.equal(r.storageOptions.aws_access_key_id, 'TEAMKEY');
    assert.equal(r.storageOptions.aws_region, 'ap-south-1');
    assert.deepEqual(r.secrets, ['team-secret']);
  });

  it('maps Azure account variables, connection strings and the emulator', () => {
    const a = resolveRemote(az, { env: { AZURE_STORAGE_ACCOUNT_NAME: 'acct', AZURE_STORAGE_ACCOUNT_KEY: 'a2V5LWtleS1rZXk=' } });
    assert.equal(a.endpoint, 'https://acct.blob.core.windows.net');
    assert.deepEqual(a.secrets, ['a2V5LWtleS1rZXk=']);
    const cs =
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=abc==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';
    assert.deepEqual(parseConnectionString(cs).AccountKey, 'abc==');
    const b = resolveRemote(az, { env: { AZURE_STORAGE_CONNECTION_STRING: cs } });
    assert.equal(b.storageOptions.azure_storage_endpoint, 'http://127.0.0.1:10000/devstoreaccount1');
    assert.equal(b.storageOptions.allow_http, 'true');
    assert.ok(b.secrets.includes('abc=='));
    const c = resolveRemote(az, { env: { AZURE_STORAGE_USE_EMULATOR: 'true', AZURITE_BLOB_STORAGE_URL: 'http://127.0.0.1:12345' } });
    assert.equal(c.storageOptions.azure_storage_account_key, AZURITE_KEY);
    assert.equal(c.endpoint, 'http://127.0.0.1:12345/devstoreaccount1');
  });

  it('takes the single-writer override from DEJAFIX_UNSAFE_SINGLE_WRITER', () => {
    assert.equal(remoteOptionsFromEnv({ DEJAFIX_UNSAFE_SINGLE_WRITER: '1' }).unsafeSingleWriter, true);
    assert.equal(remoteOptionsFromEnv({ DEJAFIX_UNSAFE_SINGLE_WRITER: 'no' }).unsafeSingleWriter, false);
    assert.equal(remoteOptionsFromEnv({}).unsafeSingleWriter, false);
  });
});
