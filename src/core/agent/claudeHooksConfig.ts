// Adding Dejafix's hook to a Claude Code settings file (`.claude/settings.json`, `~/.claude/settings.json`)
// or a Codex hooks file (`.codex/hooks.json`, `~/.codex/hooks.json`: the same event → matcher group →
// command shape, with fewer events) and taking it out again, keeping everything else in the file as it was: other hooks, other
// matchers, other settings. Dejafix's entries are the `command` hooks whose command runs
// `… hook claude-code` or `… hook.js claude-code` (or `codex`, also behind `sh …/hook.sh`); connecting again replaces an
// older such command in place; disconnect removes exactly those (and the groups and events they leave empty).
import { DejafixError, errorText } from '../util/errors';

/** The events Dejafix listens to, and the tool matcher for each (undefined: no matcher). */
export const CLAUDE_HOOK_EVENTS: [event: string, matcher: string | undefined][] = [
  ['UserPromptSubmit', undefined],
  // Dejafix's own MCP recording tools too, so a session the agent also reports over MCP is not saved twice.
  ['PostToolUse', 'Bash|Edit|Write|MultiEdit|mcp__.*__dejafix_record_.*'],
  ['PostToolUseFailure', 'Bash'],
  ['Stop', undefined],
  ['SessionEnd', undefined],
];

/** Codex's events (its hooks reference: PostToolUse sees Bash; there is no SessionEnd, so Stop commits a fixed repair). */
export const CODEX_HOOK_EVENTS: [event: string, matcher: string | undefined][] = [
  ['UserPromptSubmit', undefined],
  ['PostToolUse', 'Bash'],
  ['Stop', undefined],
];

export class SettingsFileError extends DejafixError {
  constructor(message: string) {
    super(message, { code: 'settings-file' });
    this.name = 'SettingsFileError';
  }
}

type Json = Record<string, unknown>;
interface HookGroup {
  matcher?: string;
  hooks?: { type?: string; command?: string; timeout?: number }[];
}

export function isDejafixHookCommand(command: unknown): boolean {
  return typeof command === 'string' && /\bhook(?:\.js["']?)?\s+(?:claude-code|codex)\b/.test(command);
}

function parse(text: string | undefined, file: string): Json {
  if (text === undefined || !text.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new SettingsFileError(`${file} is not valid JSON (${errorText(e)}); fix it first — Dejafix does not overwrite it.`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new SettingsFileError(`${file} does not hold a JSON object; fix it first — Dejafix does not overwrite it.`);
  const hooks = (v as Json).hooks;
  if (hooks !== undefined && (!hooks || typeof hooks !== 'object' || Array.isArray(hooks)))
    throw new SettingsFileError(`"hooks" in ${file} is not an object; fix it first.`);
  return v as Json;
}

/** The settings text with Dejafix's hooks added (unchanged when they are already there). */
export function connectClaudeHooks(
  text: string | undefined,
  command: string,
  file = 'settings.json',
  events = CLAUDE_HOOK_EVENTS,
): { text: string; changed: boolean } {
  const settings = parse(text, file);
  const hooks = (settings.hooks ?? {}) as Record<string, unknown>;
  let changed = false;
  for (const [event, matcher] of events) {
    const list = hooks[event];
    if (list !== undefined && !Array.isArray(list)) throw new SettingsFileError(`"hooks.${event}" in ${file} is not a list; fix it first.`);
    const groups = (list ?? []) as HookGroup[];
    const ours = (g: HookGroup) => g && Array.isArray(g.hooks) && g.hooks.some((h) => isDejafixHookCommand(h?.command));
    if (groups.some(ours)) {
      // Connected before: an older command (e.g. the Node one, before the sh fast path) is replaced in place.
      const stale = (h: { command?: unknown }) => isDejafixHookCommand(h?.command) && h.command !== command;
      if (!groups.some((g) => ours(g) && g.hooks!.some(stale))) continue;
      hooks[event] = groups.map((g) => (ours(g) ? { ...g, hooks: g.hooks!.map((h) => (stale(h) ? { ...h, command } : h)) } : g));
      changed = true;
      continue;
    }
    hooks[event] = [
      ...groups,
      {
        ...(matcher ? { matcher } : {}),
        hooks: [{ type: 'command', command, timeout: event === 'SessionEnd' || event === 'Stop' ? 60 : 15 }],
      },
    ];
    changed = true;
  }
  if (!changed) return { text: text ?? '', changed: false };
  return { text: `${JSON.stringify({ ...settings, hooks }, null, 2)}\n`, changed };
}

/** The settings text without Dejafix's hooks (unchanged when there are none). */
export function disconnectClaudeHooks(text: string | undefined, file = 'settings.json'): { text: string; changed: boolean } {
  const settings = parse(text, file);
  const hooks = settings.hooks as Record<string, unknown> | undefined;
  if (!hooks) return { text: text ?? '', changed: false };
  let changed = false;
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) continue;
    const kept: unknown[] = [];
    for (const g of list as HookGroup[]) {
      if (!g || !Array.isArray(g.hooks) || !g.hooks.some((h) => isDejafixHookCommand(h?.command))) {
        kept.push(g);
        continue;
      }
      changed = true;
      const others = g.hooks.filter((h) => !isDejafixHookCommand(h?.command));
      if (others.length) kept.push({ ...g, hooks: others });
    }
    if (kept.length) hooks[event] = kept;
    else delete hooks[event];
  }
  if (!changed) return { text: text ?? '', changed: false };
  const { hooks: _h, ...rest } = settings;
  const out = Object.keys(hooks).length ? { ...settings, hooks } : rest;
  return { text: `${JSON.stringify(out, null, 2)}\n`, changed };
}
