// `dejafix hook claude-code`: the one command Claude Code runs for every hook event (see
// core/capture/hooks and cli/hook/runHook). `dejafix connect` points agents at dist/hook.js, the
// small bundle doing the same without loading the whole CLI; this command stays for hand-written
// settings. It never breaks the agent: it always exits 0 and prints nothing but valid hook JSON.
import type { Command } from 'commander';
import { AGENT, DEFAULT_HOOK_BUDGET } from '../../core/capture/hooks/claudeCode';
import { runHook, type HookOptions } from '../hook/runHook';
import { cliHookStoreSide } from '../hook/storeSide';
import type { Ctx } from '../context';

export function registerHook(program: Command, ctx: Ctx): void {
  program
    .command('hook')
    .description("Handle one agent hook event from stdin (Claude Code's hook JSON); always exits 0.")
    .argument('<agent>', `${AGENT} | codex`)
    .option('--budget <tokens>', 'tokens the injected memory may take', String(DEFAULT_HOOK_BUDGET))
    .option('--min-relevance <p>', 'inject only past repairs at least this relevant (0–1; default: the recall threshold)')
    .option('--store <dir>', 'store folder (default: the per-user store; DEJAFIX_STORE overrides)')
    .action(async (agent: string, opts: HookOptions) => {
      ctx.exitCode = 0;
      const out = await runHook(agent, opts, cliHookStoreSide);
      if (out) ctx.io.out(`${out}\n`);
    });
}
