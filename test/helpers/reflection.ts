// What reflection tests share: the contrast episode (two failing attempts, then the passing patch, in one repository),
// and per test a real store in the test's temp folder with the real Anthropic SDK client against the local Messages
// API server answering as a reflecting model.
import { join } from 'node:path';
import { AnthropicProvider } from '../../src/core/llm';
import type { Episode } from '../../src/core/model';
import { ExperienceStore } from '../../src/core/store';
import { reflectingModel } from '../fixtures/reflect/fakeModel';
import { startAnthropicServer, type AnthropicServer } from './anthropicServer';
import { makeAttempt, makeEpisode } from './records';

export const REPO = 'github.com/acme/invoices';

export function contrastEpisode(id = 'ep-r1', over: Partial<Episode> = {}): Episode {
  const e = makeEpisode({
    id,
    repo: REPO,
    issue: { title: 'Total is NaN when the amount column is empty', body: 'Exporting a CSV with an empty amount gives NaN.' },
    errorSignature: 'ValueError: could not convert',
    files: ['app/totals.py'],
    ...over,
  });
  e.attempts = over.attempts ?? [
    makeAttempt(id, {
      patch: 'diff --git a/app/totals.py b/app/totals.py\n-    return sum(a)\n+    return sum(a) or 0\n',
      outputTail: 'FAILED tests/test_totals.py::test_empty - AssertionError: nan != 0',
      at: '2024-01-01T00:05:00.000Z',
    }),
    makeAttempt(id, {
      patch: 'diff --git a/app/totals.py b/app/totals.py\n-    return sum(a)\n+    return sum(x for x in a if x is not None)\n',
      exitCode: 0,
      outcome: 'passed',
      outputTail: '1 passed',
      at: '2024-01-01T00:09:00.000Z',
    }),
  ];
  return e;
}

export interface Reflection {
  store: ExperienceStore;
  server: AnthropicServer;
  provider: AnthropicProvider;
}

/** Hooks: before each test a fresh store, server and provider handed to `set`; after it, closed. */
export function useReflection(tmp: { readonly path: string }, set: (r: Reflection) => void): void {
  let r: Reflection | undefined;
  beforeEach(async () => {
    const store = await ExperienceStore.open(join(tmp.path, 'store'));
    const server = await startAnthropicServer();
    server.answer = reflectingModel;
    const provider = new AnthropicProvider({ apiKey: server.apiKey, baseURL: server.baseURL, maxRetries: 0, timeoutMs: 5000 });
    r = { store, server, provider };
    set(r);
  });
  afterEach(async () => {
    r?.store.close();
    await r?.server.close();
    r = undefined;
  });
}
