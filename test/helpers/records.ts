import type { Attempt, Episode, Insight } from '../../src/core/model';

let n = 0;

export function makeEpisode(over: Partial<Episode> & { id?: string } = {}): Episode {
  const id = over.id ?? `ep-${++n}`;
  return {
    id,
    repo: 'github.com/acme/invoices',
    issue: { title: `Issue ${id}`, body: 'Something breaks.' },
    errorSignature: '',
    attempts: [],
    finalPatch: 'diff --git a/app/x.py b/app/x.py\n--- a/app/x.py\n+++ b/app/x.py\n@@ -1,1 +1,1 @@ def f(\n-a\n+b\n',
    reproTest: '',
    files: ['app/x.py'],
    symbols: ['f'],
    outcome: 'resolved',
    source: 'editor',
    createdAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}

export function makeAttempt(episodeId: string, over: Partial<Attempt> = {}): Attempt {
  return {
    id: `${episodeId}-a${++n}`,
    episodeId,
    patch: 'diff --git a/app/x.py b/app/x.py\n',
    command: 'pytest -x',
    exitCode: 1,
    outputTail: 'FAILED tests/test_x.py::test_f - AssertionError',
    at: '2024-01-01T00:05:00.000Z',
    by: 'human',
    outcome: 'failed',
    ...over,
  };
}

export function makeInsight(over: Partial<Insight> = {}): Insight {
  return {
    id: `in-${++n}`,
    text: 'Check for None before arithmetic on optional columns.',
    role: 'fix',
    scope: 'github.com/acme/invoices',
    importance: 2,
    evidence: { episodes: [], files: [] },
    status: 'active',
    createdAt: '2024-01-02T00:00:00.000Z',
    updatedAt: '2024-01-02T00:00:00.000Z',
    ...over,
  };
}
