// Every command on a store on object storage (Azurite az://, the strict S3 server s3://): schema
// creation, writes with the full-text and vector indexes (the real builtin embedding model), recall,
// stats, export, reflect (against the fake Anthropic server), insights, doctor, compose, forget
// (with optimise/cleanup after the delete), and share/sync between two local stores through it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startAnthropicServer, type AnthropicServer } from '../helpers/anthropicServer';
import { runCli } from '../helpers/cli';
import { startAzurite, startS3rver, type Azurite, type S3Server } from '../helpers/remoteBackends';
import { useTempDir } from '../helpers/tmp';
import { reflectingModel } from '../fixtures/reflect/fakeModel';

const FIXTURE = join(__dirname, '../fixtures/swebench-mini.jsonl');
const CLI_ENV = { DEJAFIX_REMOTE_RETRY_TIMEOUT: '5', AWS_EC2_METADATA_DISABLED: 'true' };

describe('every command on a store on object storage (Azurite, strict S3 on 127.0.0.1)', function () {
  this.timeout(600_000);
  const tmp = useTempDir();
  let az: Azurite;
  let s3: S3Server;
  let llm: AnthropicServer;

  before(async () => {
    [az, s3, llm] = await Promise.all([startAzurite(), startS3rver(['mem'], { strict: true }), startAnthropicServer()]);
    await az.createContainer('mem');
    llm.answer = reflectingModel;
  });
  after(async () => {
    await Promise.all([az?.stop(), s3?.stop(), llm?.close()]);
  });

  for (const backend of ['az', 's3'] as const) {
    it(`${backend}://: import (builtin model), recall, stats, export, reflect, insights, compose, doctor, forget`, async () => {
      const env = { ...CLI_ENV, ...(backend === 'az' ? az.env : s3.env), ANTHROPIC_API_KEY: llm.apiKey, ANTHROPIC_BASE_URL: llm.baseURL };
      const store = `${backend}://mem/every-command`;
      const cli = (args: string[]) => runCli([...args, '--store', store], { env });

      const imp = await cli(['import', FIXTURE, '--format', 'swebench']);
      assert.equal(imp.code, 0, imp.stderr);
      assert.match(imp.stderr + imp.stdout, /episodes 3 new/);
      // Re-import: updates, never duplicates (merge on the unenforced primary key, remotely too).
      assert.equal((await cli(['import', FIXTURE, '--format', 'swebench'])).code, 0);

      const stats = await cli(['stats']);
      assert.equal(stats.code, 0, stats.stderr);
      assert.match(stats.stdout, /Episodes: 3\b/);

      // A paraphrase with no shared rare word: found by the vector index; the exact error by full text.
      // These check recall on object storage, not the threshold (relevanceDefault.test): the closest hits.
      const byMeaning = await cli(['recall', '--min-relevance', '0', 'dividing by zero when the account is empty in the balances report']);
      assert.equal(byMeaning.code, 0, byMeaning.stderr);
      assert.match(byMeaning.stdout.split('\n')[0], /Balance report crashes/);
      const byText = await cli(['recall', '--min-relevance', '0', 'ZeroDivisionError', '--embedder', 'none']);
      assert.equal(byText.code, 0, byText.stderr);
      assert.match(byText.stdout, /Balance report crashes/);

      const exp = await cli(['export']);
      assert.equal(exp.code, 0, exp.stderr);
      const episodes = exp.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; id: string; issue?: { title: string } });
      assert.equal(episodes.filter((e) => e.kind === 'episode').length, 3);

      const reflect = await cli(['reflect', '--all', '--approve', '--embedder', 'none']);
      assert.equal(reflect.code, 0, reflect.stderr);
      assert.ok(llm.requests.length > 0, 'reflect asked the model');
      const list = await cli(['insights', 'list', '--json']);
      assert.equal(list.code, 0, list.stderr);
      const { insights } = JSON.parse(list.stdout) as { insights: { id: string; status: string; evidence: { episodes: string[] } }[] };
      assert.equal(insights.length, 3, list.stdout);
      assert.ok(insights.every((i) => i.status === 'active' && i.evidence.episodes.length === 1));

      const compose = await cli([
        'compose',
        '--stage',
        'fix',
        '--repo',
        'acme/ledger',
        'Balance report crashes on an empty account',
        '--embedder',
        'none',
      ]);
      assert.equal(compose.code, 0, compose.stderr);
      assert.match(compose.stdout, /Balance report crashes/);
      assert.match(
        compose.stdout,
        /Reproduce the failure with the smallest test first|Prefer fixing the root cause/,
        'the lessons reflect stored on the remote store are composed in',
      );

      const doctor = await cli(['doctor']);
      assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
      assert.match(doctor.stdout, /episodes: ok \(3 rows\)/);
      assert.match(doctor.stdout, /Every table reads in full/);
      const repair = await cli(['doctor', '--repair', '--yes']);
      assert.equal(repair.code, 0, repair.stderr); // nothing damaged: nothing to repair

      const victim = episodes.find((e) => e.kind === 'episode' && /Balance report/.test(e.issue?.title ?? ''))!;
      const forget = await cli(['forget', victim.id, '--yes']);
      assert.equal(forget.code, 0, forget.stderr);
      const after = await cli(['stats']);
      assert.match(after.stdout, /Episodes: 2\b/);
      const gone = await cli(['recall', '--min-relevance', '0', 'ZeroDivisionError', '--embedder', 'none']);
      assert.doesNotMatch(gone.stdout, /Balance report crashes/);
    });

    it(`${backend}://: share from one local store and sync into another through the team store`, async () => {
      const env = { ...CLI_ENV, ...(backend === 'az' ? az.env : s3.env), DEJAFIX_TEAM_NAME: 'Remote Tester' };
      const team = `${backend}://mem/team`;
      const a = join(tmp.path, 'a');
      const b = join(tmp.path, 'b');
      assert.equal((await runCli(['import', FIXTURE, '--format', 'swebench', '--store', a, '--embedder', 'none'], { env })).code, 0);
      const ids = (await runCli(['export', '--store', a], { env })).stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id);
      const share = await runCli(['share', ...ids, '--yes', '--json', '--team', team, '--store', a], { env });
      assert.equal(share.code, 0, share.stderr);
      assert.equal((JSON.parse(share.stdout) as { written: number }).written, 3);
      const sync = await runCli(['sync', '--json', '--team', team, '--store', b], { env });
      assert.equal(sync.code, 0, sync.stderr);
      assert.equal((JSON.parse(sync.stdout) as { pulled: number }).pulled, 3);
      const again = await runCli(['sync', '--json', '--team', team, '--store', b], { env });
      assert.equal(again.code, 0, again.stderr);
      assert.equal((JSON.parse(again.stdout) as { pulled: number }).pulled, 0, 'incremental: nothing new the second time');
      const recall = await runCli(['recall', '--min-relevance', '0', 'ZeroDivisionError', '--store', b, '--embedder', 'none'], { env });
      assert.match(recall.stdout, /Balance report crashes/);
    });
  }
});
