// `dejafix hook claude-code`, what it must not do: inject a memory about other code (below the relevance threshold),
// let a secret reach its journal, or record a session twice when the agent also reported it through the MCP tools.
// Driven like Claude Code drives it, on the real built CLI, a real git repository and a real LanceDB store.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import { claudeHook } from '../helpers/claudeHook';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

describe('dejafix hook claude-code: what it never does', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  const { store, repo, base, gitRepo, journalText, smallHook, mine } = claudeHook(tmp);

  it('injects nothing when the only memory is about something else (below the relevance threshold)', async () => {
    gitRepo();
    const s = await ExperienceStore.open(store(), { mode: 'write' });
    await s.upsertEpisodes([
      makeEpisode({
        id: 'ep-other',
        repo: 'billing',
        issue: { title: 'Invoice PDF renders the logo upside down', body: 'The logo in invoice.pdf is rotated by 180 degrees' },
        files: ['pdf/logo.py'],
      }),
    ]);
    s.close();
    for (const [i, prompt] of ['Fix the flaky login test', 'The cart total is wrong', 'Upgrade the linter config'].entries()) {
      const r = await smallHook({ ...base(`far-${i}`, 'UserPromptSubmit'), prompt });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '', prompt);
    }
  });

  it('redacts secrets before they reach the journal', async () => {
    gitRepo();
    const id = 'secret-1';
    const key = 'sk-ant-api03-' + 'Zx9'.repeat(30) + 'AA';
    const aws = 'AKIA' + 'Q3XZ7PLM2WQRT6YB';
    await smallHook({ ...base(id, 'UserPromptSubmit'), prompt: `Tests fail with ANTHROPIC_API_KEY=${key}` });
    writeFileSync(join(repo(), 'total.js'), `const token = "${aws}";\nmodule.exports = (xs) => xs.reduce((a, b) => a + b, 0);\n`);
    await smallHook({
      ...base(id, 'PostToolUseFailure'),
      tool_name: 'Bash',
      tool_input: { command: `API_KEY=${key} npm test` },
      error: `Exit code 1\nusing key ${key} and ${aws}`,
    });
    const text = journalText();
    assert.match(text, /"t":"run"/);
    assert.match(text, /REDACTED/);
    assert.ok(!text.includes(key), 'the API key is not in the journal');
    assert.ok(!text.includes(aws), 'the AWS key id is not in the journal');
  });

  it('does not record a session twice when the agent also reported it through the MCP tools', async () => {
    gitRepo();
    const id = 'mcp-1';
    await smallHook({ ...base(id, 'UserPromptSubmit'), prompt: 'The cart total is NaN' });
    await smallHook({
      ...base(id, 'PostToolUseFailure'),
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      error: 'Exit code 1\nNaN',
    });
    await smallHook({
      ...base(id, 'PostToolUse'),
      tool_name: 'mcp__dejafix__dejafix_record_attempt',
      tool_input: { command: 'npm test', exitCode: 1, issue: { title: 'The cart total is NaN' } },
      tool_response: [{ type: 'text', text: 'Recorded' }],
    });
    await smallHook({
      ...base(id, 'PostToolUse'),
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      tool_response: { stdout: 'ok', stderr: '' },
    });
    await smallHook({ ...base(id, 'SessionEnd'), reason: 'exit' });
    assert.deepEqual(await mine(), [], 'the MCP session is the record; the hook saved nothing of its own');
    // The same session without the MCP call is saved once.
    await smallHook({ ...base('mcp-2', 'UserPromptSubmit'), prompt: 'The cart total is NaN' });
    await smallHook({
      ...base('mcp-2', 'PostToolUseFailure'),
      tool_name: 'Bash',
      tool_input: { command: 'npm test' },
      error: 'Exit code 1\nNaN',
    });
    await smallHook({
      ...base('mcp-2', 'PostToolUse'),
      tool_name: 'mcp__dejafix__dejafix_recall',
      tool_input: { query: 'cart' },
      tool_response: [],
    });
    await smallHook({ ...base('mcp-2', 'SessionEnd'), reason: 'exit' });
    assert.equal((await mine()).length, 1, 'a recall over MCP is not a report');
  });
});
