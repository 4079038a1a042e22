// Embedding settings: validation and what createEmbedder makes of them.
import assert from 'node:assert/strict';
import { BuiltinEmbedder, EmbedError, OpenAiCompatibleEmbedder, createEmbedder, parseEmbedConfig } from '../../src/core/embed';
import type { Logger } from '../../src/core/util/logger';

function configError(...patterns: RegExp[]): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof EmbedError, `an EmbedError, got ${String(e)}`);
    assert.equal(e.code, 'config');
    assert.match(e.message, /^Invalid embedding settings: /);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };
}

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

describe('embed: settings and createEmbedder', () => {
  it('defaults to the builtin provider', async () => {
    assert.equal(parseEmbedConfig(undefined).provider, 'builtin');
    const e = createEmbedder(undefined);
    assert.ok(e instanceof BuiltinEmbedder);
    await e.dispose();
  });

  it('gives undefined for provider none: recall is lexical only', () => {
    const log = recordingLog();
    assert.equal(createEmbedder({ provider: 'none' }, log), undefined);
    assert.ok(log.lines.some((l) => /lexical only/.test(l)));
  });

  it('needs a base URL and a model for openai-compatible', () => {
    assert.throws(() => createEmbedder({ provider: 'openai-compatible' }), configError(/baseUrl is required/, /model is required/));
  });

  it('treats blank and null values as not set', () => {
    const c = parseEmbedConfig({
      provider: 'openai-compatible',
      baseUrl: ' http://127.0.0.1:11434/v1 ',
      model: 'nomic-embed-text',
      apiKey: '',
      timeoutMs: null,
    });
    assert.equal(c.baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(c.apiKey, undefined);
    assert.equal(c.timeoutMs, undefined);
    assert.throws(() => parseEmbedConfig({ provider: 'openai-compatible', baseUrl: '  ', model: 'm' }), configError(/baseUrl is required/));
  });

  it('rejects base URLs that are not http(s)', () => {
    for (const baseUrl of ['localhost:11434/v1', 'ftp://example.com/v1', 'not a url']) {
      assert.throws(
        () => parseEmbedConfig({ provider: 'openai-compatible', baseUrl, model: 'm' }),
        configError(/baseUrl must be an http\(s\) URL/),
      );
    }
  });

  it('names the providers when the provider is unknown', () => {
    assert.throws(
      () => parseEmbedConfig({ provider: 'ollama' }),
      configError(/provider must be one of "builtin", "openai-compatible", "none"/),
    );
  });

  it('rejects bad numbers', () => {
    assert.throws(() => parseEmbedConfig({ timeoutMs: 0 }), configError(/timeoutMs must be at least 100/));
    assert.throws(() => parseEmbedConfig({ batchSize: 0 }), configError(/batchSize/));
    assert.throws(() => parseEmbedConfig({ batchSize: 2.5 }), configError(/batchSize/));
    assert.throws(() => parseEmbedConfig({ batchSize: '32' }), configError(/batchSize/));
    assert.throws(() => parseEmbedConfig({ provider: 'builtin', batchSize: 1000 }), configError(/batchSize must be at most 256/));
    assert.equal(
      parseEmbedConfig({
        provider: 'openai-compatible',
        baseUrl: 'https://api.openai.com/v1',
        model: 'text-embedding-3-small',
        batchSize: 1000,
      }).batchSize,
      1000,
    );
  });

  it('warns about server settings the builtin provider ignores, without the key', async () => {
    const log = recordingLog();
    const e = createEmbedder({ provider: 'builtin', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'sk-secret-value' }, log);
    assert.ok(e instanceof BuiltinEmbedder);
    await e.dispose();
    const warning = log.lines.find((l) => l.startsWith('warn'));
    assert.match(warning ?? '', /baseUrl, apiKey are ignored/);
    assert.ok(!log.lines.join('\n').includes('sk-secret-value'));
  });

  it('creates the remote embedder without contacting it', () => {
    const log = recordingLog();
    const e = createEmbedder(
      { provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'nomic-embed-text', apiKey: 'sk-secret-value' },
      log,
    );
    assert.ok(e instanceof OpenAiCompatibleEmbedder);
    assert.equal(e.id, 'openai:nomic-embed-text:?');
    assert.ok(!log.lines.join('\n').includes('sk-secret-value'));
  });
});
