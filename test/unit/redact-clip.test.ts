// Clipping after redaction (issue 13): an output tail or a command clipped at its limit must not
// keep part of a secret that straddled the cut, whatever the secret's position around the limit.
import assert from 'node:assert/strict';
import { outputWithNote } from '../../src/core/agent/attemptText';
import { recordAttempt, startSession } from '../../src/core/capture/session';
import { OUTPUT_TAIL_CHARS } from '../../src/core/model/attempt';
import { redactHead, redactTail } from '../../src/core/redact/clip';
import { generateCorpus } from '../fixtures/redact/generateCorpus';

const corpus = generateCorpus(4242);
// One-line secrets whose shape alone identifies them (a cut-off half could not be found again).
const samples = corpus.secrets.filter((s) => s.carrier === 'command' && !s.text.includes('\n') && s.secret.length >= 16).slice(0, 12);

/** Every suffix of the secret longer than 6 characters: what a cut at the start would keep. */
function parts(secret: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < secret.length - 6; i += 3) out.push(secret.slice(i));
  return out;
}

describe('redaction before clipping', () => {
  it('has secrets to place at the cut', () => assert.ok(samples.length >= 8, `${samples.length} samples`));

  it('redactTail keeps no part of a secret that straddles the start of the kept tail', async () => {
    const max = 2_000;
    for (const s of samples) {
      const afterSecret = s.text.length + 1 - s.text.indexOf(s.secret) - s.secret.length;
      // Sweep the cut of a plain tail (at `max` or `max - 40` from the end) across the whole secret.
      const lo = max - 45 - afterSecret - s.secret.length;
      for (let pad = lo; pad <= max - afterSecret + 5; pad += 4) {
        const after = `${'x'.repeat(pad - 1)}\n`;
        const text = `${'log line\n'.repeat(500)}${s.text}\n${after}`;
        const out = await redactTail(text, max);
        assert.ok(out.length <= max, `${s.id}: ${out.length} chars`);
        const leaked = [s.secret, ...parts(s.secret)].filter((p) => out.includes(p));
        assert.deepEqual(leaked, [], `${s.id} with ${pad} characters after it`);
        assert.match(out, /^\[… \d+ characters omitted\]\n/);
        assert.ok(out.endsWith(after.slice(-(max - 40))), 'the tail itself is kept');
      }
    }
  });

  it('redactHead keeps no part of a secret that straddles the end of the kept head', async () => {
    for (const s of samples) {
      const at = s.text.indexOf(s.secret);
      const max = 300;
      for (const cut of [4, 9, s.secret.length - 3]) {
        const text = `${'y'.repeat(max - at - cut - 1)} ${s.text} tail`;
        const out = await redactHead(text, max);
        assert.ok(out.length <= max);
        const leaked = [s.secret, s.secret.slice(0, cut)].filter((p) => p.length > 6 && out.includes(p));
        assert.deepEqual(leaked, [], `${s.id} cut ${cut}`);
      }
    }
  });

  it('an agent note stays whole and the recorded output fits the limit', async () => {
    const s = samples[0];
    const output = `${s.text}\n${'z'.repeat(OUTPUT_TAIL_CHARS - 20)}\nFAILED test_a`;
    const withNote = await outputWithNote(output, 'tried a cache reset');
    assert.ok(withNote.startsWith('note: tried a cache reset\n[… '));
    const session = startSession({ repo: 'r', issue: { title: 't', body: '' }, now: '2026-01-01T00:00:00Z' });
    const { attempt } = await recordAttempt(session, {
      command: 'pytest',
      exitCode: 1,
      outputTail: withNote,
      patch: '',
      by: 'agent:x',
      at: '2026-01-01T00:00:01Z',
    });
    assert.ok(attempt.outputTail.startsWith('note: tried a cache reset\n'), 'the note was not cut');
    assert.ok(attempt.outputTail.length <= OUTPUT_TAIL_CHARS);
    assert.ok(attempt.outputTail.endsWith('FAILED test_a'));
    for (const p of [s.secret, ...parts(s.secret)]) assert.ok(!attempt.outputTail.includes(p), p);
  });
});
