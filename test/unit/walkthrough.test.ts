// The Get Started walkthrough's manifest: featured on the Welcome page, each step with a completion
// event is checked by a real event the extension reports (an `onContext:` key it sets), its links
// run commands that exist, and its pages are in the package.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pkg from '../../package.json';
import { WALKTHROUGH_EVENTS, walkthroughKey } from '../../src/vscode/walkthroughKeys';

interface Step {
  id: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}
const ROOT = join(__dirname, '../..');
const walkthrough = (pkg.contributes as unknown as { walkthroughs: { id: string; featuredFor?: string[]; steps: Step[] }[] })
  .walkthroughs[0];
const commands = new Set(pkg.contributes.commands.map((c) => c.command));

describe('walkthrough: Get started with Dejafix', () => {
  it('is featured on the Welcome page for any workspace', () => {
    assert.deepEqual(walkthrough.featuredFor, ['**/*']);
  });

  it('has a step for each real event, completed by the context key the extension sets for it', () => {
    const byEvent = new Map(walkthrough.steps.flatMap((s) => (s.completionEvents ?? []).map((e) => [e, s.id] as const)));
    for (const event of WALKTHROUGH_EVENTS) assert.ok(byEvent.has(`onContext:${walkthroughKey(event)}`), `no step completes on ${event}`);
    const known = new Set(WALKTHROUGH_EVENTS.map((e) => `onContext:${walkthroughKey(e)}`));
    for (const [e, step] of byEvent) {
      if (e.startsWith('onContext:')) assert.ok(known.has(e), `step ${step} waits for ${e}, which nothing sets`);
      // A click on the step's own button is not the event it teaches.
      assert.ok(!['issue', 'recall', 'save', 'agent'].includes(step) || e.startsWith('onContext:'), `step ${step} completes on ${e}`);
    }
  });

  it('links only commands that exist, and its pages are files', () => {
    for (const s of walkthrough.steps) {
      for (const m of s.description.matchAll(/\(command:([\w.]+)/g)) {
        if (m[1].startsWith('dejafix.')) assert.ok(commands.has(m[1]), `step ${s.id} links ${m[1]}, which is not a command`);
      }
      if (s.media.markdown) assert.ok(existsSync(join(ROOT, s.media.markdown)), `${s.media.markdown} is missing`);
    }
    assert.ok(
      walkthrough.steps.some((s) => s.description.includes('(command:dejafix.connectAgent)')),
      'no step connects an agent',
    );
  });
});
