// The one error and log convention: DejafixError's code and user message, errorDetail's cause
// chain, lineLogger's error(err, msg) and childLogger's topics, and every error class of the core
// being a DejafixError with its own code.
import assert from 'node:assert/strict';
import { AgentToolError } from '../../src/core/agent/errors';
import { ComposeError } from '../../src/core/compose/compose';
import { EmbedError } from '../../src/core/embed/errors';
import { InputFileError } from '../../src/core/ingest/importer';
import { LlmError } from '../../src/core/llm/errors';
import { InsightError } from '../../src/core/reflect/maintain';
import { StoreError } from '../../src/core/store/errors';
import { DejafixError, errorCode, errorDetail, errorText, userMessageOf } from '../../src/core/util/errors';
import { childLogger, lineLogger, type LogLevel } from '../../src/core/util/logger';
import { CliError } from '../../src/cli/exit';

function recorder() {
  const lines: [LogLevel, string][] = [];
  return { lines, log: lineLogger((level, line) => lines.push([level, line])) };
}

describe('errors and logs', () => {
  it('DejafixError carries a code and a user message that default sensibly', () => {
    const plain = new DejafixError('store locked');
    assert.equal(plain.code, 'error');
    assert.equal(plain.userMessage, 'store locked');
    const rich = new DejafixError('EACCES on /x/episodes.lance', { code: 'read-only', userMessage: 'The store is read-only.' });
    assert.equal(errorCode(rich), 'read-only');
    assert.equal(userMessageOf(rich), 'The store is read-only.');
    assert.equal(errorText(rich), 'EACCES on /x/episodes.lance');
    assert.equal(userMessageOf(new Error('plain')), 'plain');
    assert.equal(errorText('a string'), 'a string');
    assert.equal(errorText(undefined), 'undefined');
    assert.equal(errorCode(Object.assign(new Error('x'), { code: 'ENOENT' })), 'ENOENT');
    assert.equal(errorCode(null), undefined);
  });

  it('every error class of the core and the CLI is a DejafixError with its own code', () => {
    const cases: [DejafixError, string][] = [
      [new StoreError('read-only', 'm'), 'read-only'],
      [new LlmError('rate-limited', 'm'), 'rate-limited'],
      [new EmbedError('disposed', 'm'), 'disposed'],
      [new InsightError('not-found', 'm'), 'not-found'],
      [new AgentToolError('m'), 'agent-tool'],
      [new ComposeError('m'), 'compose'],
      [new InputFileError('m'), 'bad-input-file'],
      [new CliError('m'), 'cli'],
    ];
    for (const [e, code] of cases) {
      assert.ok(e instanceof DejafixError && e instanceof Error, e.name);
      assert.equal(e.code, code, e.name);
      assert.equal(e.userMessage, 'm');
    }
  });

  it('errorDetail follows the cause chain, and stops on a cycle', () => {
    const root = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const mid = new StoreError('read-only', 'could not write the episode', { cause: root });
    const top = new DejafixError('saving the session failed', { cause: mid });
    const d = errorDetail(top);
    assert.match(d, /^DejafixError: saving the session failed\n\s+at /);
    assert.match(d, /\ncaused by: StoreError: could not write the episode\ncaused by: Error: EACCES: permission denied$/);
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    assert.equal(errorDetail(a).match(/caused by/g)?.length, 1);
    assert.equal(
      errorDetail(new Error('x', { cause: 'a string cause' }))
        .split('\n')
        .at(-1),
      'caused by: a string cause',
    );
    assert.equal(errorDetail(42), '42');
  });

  it('log.error(err, msg) logs the message with the causes; log.error(text) logs the text', () => {
    const { lines, log } = recorder();
    log.error('plain text');
    log.error(new Error('outer', { cause: new Error('inner') }), 'recall failed');
    assert.deepEqual(lines[0], ['error', 'plain text']);
    assert.equal(lines[1][0], 'error');
    assert.match(lines[1][1], /^recall failed: Error: outer\n[^]*caused by: Error: inner$/);
  });

  it('child loggers put their topic in front, nested ones too, at every level', () => {
    const { lines, log } = recorder();
    const store = childLogger(log, 'store');
    store.info('opened');
    store.warn('slow');
    store.debug('rows 3');
    childLogger(store, 'fts').error(new Error('index gone'), 'rebuild');
    assert.deepEqual(lines.slice(0, 3), [
      ['info', 'store: opened'],
      ['warn', 'store: slow'],
      ['debug', 'store: rows 3'],
    ]);
    assert.match(lines[3][1], /^store: fts: rebuild: Error: index gone/);
  });
});
