import { type Hit, rank } from './types';

/**
 * Adapter for the maintained secretlint rule set (`@secretlint/core` + the recommend preset).
 * Both packages are ESM and heavy (~150 ms to load), so they are imported on first use only.
 *
 * What the preset reliably catches on free text: GitHub tokens (ghp_/gho_/ghu_/ghs_/ghr_,
 * github_pat_), Slack xoxb/xoxp/xoxa/xoxo/xoxr/xapp tokens and /services/ webhooks, AWS access
 * key ids and `aws_secret_access_key = …`, npm tokens, SendGrid, Shopify, Linear, 1Password
 * service-account tokens, well-formed PEM private keys, OpenAI keys carrying the `T3BlbkFJ`
 * marker, `sk-ant-api0N-…AA` Anthropic keys, http(s)/ftp basic auth and mongodb/mysql/postgres
 * URIs. Gaps are filled by patterns.ts, privateKey.ts and assignments.ts.
 */
type LintSource = (typeof import('@secretlint/core'))['lintSource'];
type LintOptions = Parameters<LintSource>[0];
type LintMessage = Awaited<ReturnType<LintSource>>['messages'][number];

/** The preset rules TRIGGER was written against. A test fails when an upgrade changes the set. */
export const PRESET_RULE_IDS = [
  'aws',
  'gcp',
  'privatekey',
  'npm',
  'basicauth',
  'slack',
  'sendgrid',
  'shopify',
  'github',
  'openai',
  'anthropic',
  'linear',
  '1password',
  'database-connection-string',
  'filter-comments',
].map((id) => `@secretlint/secretlint-rule-${id}`);

/**
 * The smallest shape each preset rule needs before it can report (with the options below),
 * loosened (case-insensitive, no boundaries) so it is a superset. When nothing matches,
 * `lintSource` cannot report and is skipped: that keeps the common, secret-free episode cheap.
 * A test checks the superset property on both corpora.
 */
const TRIGGER = new RegExp(
  [
    '(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}', // aws: access key id
    'secret_?access_?key', // aws: secret access key (only after this name)
    '-----BEGIN[ A-Z]{0,12}PRIVATE KEY', // privatekey
    'npm_[A-Za-z0-9_]{36}', // npm: access token (the .npmrc/package.json checks depend on filePath)
    String.raw`:\/\/[-\w]{1,256}:[-\w]{1,256}@`, // basicauth
    String.raw`xox[bpaor]-|xapp-|hooks\.slack\.com`, // slack
    String.raw`SG\.\w{1,128}\.`, // sendgrid
    'shp(?:pa|ca|at|ss)_[a-zA-Z0-9]{32}', // shopify
    'gh[pousr]_[A-Za-z0-9_]{36}|github_pat_[A-Za-z0-9_]{82}', // github
    'T3BlbkFJ', // openai
    String.raw`sk-ant-api0\d-[A-Za-z0-9_-]{90}`, // anthropic
    'lin_api_[a-zA-Z0-9_]{32}', // linear
    'ops_ey[A-Za-z0-9+/=]{100}', // 1password
    String.raw`(?:mongodb|mysql|postgres)[a-z+]{0,4}:\/\/[^:/\s]{1,100}:[^@/\s]{1,200}@`, // database-connection-string
    // gcp: only inspects whole `.json`/`.p12` files; we always lint as `.txt`, so it never fires.
  ].join('|'),
  'i',
);

export function couldSecretlintMatch(text: string): boolean {
  return TRIGGER.test(text);
}

interface Engine {
  lintSource: LintSource;
  config: LintOptions['options']['config'];
  ruleIds: string[];
}

let engine: Promise<Engine> | undefined;
const AWS = '@secretlint/secretlint-rule-aws';
const FILTER_COMMENTS = '@secretlint/secretlint-rule-filter-comments';

/**
 * `lintSource` always calls `@secretlint/profiler`, whose global PerformanceObserver keeps every
 * `performance.mark` (~60 per call) forever and scans them all on each new one: memory grows
 * without bound and calls get slower quadratically (43 ms/call after 3,000 calls). We never read
 * the profile, so the singleton's `mark` becomes a no-op. If the profiler cannot be loaded here,
 * linting still works; the marks test in redact.test.ts catches that.
 */
async function silenceProfiler(): Promise<void> {
  try {
    const { secretLintProfiler } = await import('@secretlint/profiler');
    secretLintProfiler.mark = () => undefined;
  } catch {
    // Keep redacting; only the profiling overhead remains.
  }
}

function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    const [core, preset] = await Promise.all([
      import('@secretlint/core'),
      import('@secretlint/secretlint-rule-preset-recommend'),
      silenceProfiler(),
    ]);
    // The preset's rules are registered one by one instead of through the preset: secretlint
    // 11 ignores `disabled` for rules configured inside a preset, and the comment filter must
    // go (a `secretlint-disable` comment inside untrusted text must not switch redaction off).
    const rules = preset.rules
      .filter((rule) => rule.meta.id !== FILTER_COMMENTS)
      .map((rule) =>
        rule.meta.id === AWS
          ? // Also report bare access key ids (off by default). Account ids are not secrets.
            { id: AWS, rule, options: { enableIDScanRule: true }, allowMessageIds: ['AWSAccountID'] }
          : { id: rule.meta.id, rule },
      );
    const config: Engine['config'] = { rules };
    return { lintSource: core.lintSource, config, ruleIds: preset.rules.map((r) => r.meta.id) };
  })();
  // A failed load is not cached: the next call retries (and fails loudly again if still broken).
  engine.catch(() => (engine = undefined));
  return engine;
}

/** Rule ids of the installed preset (for the upgrade guard test). */
export async function presetRuleIds(): Promise<string[]> {
  return (await loadEngine()).ruleIds;
}

const SHORT: Record<string, string> = {
  privatekey: 'private-key',
  basicauth: 'url-credentials',
  'database-connection-string': 'url-credentials',
};
const URL_MESSAGES = new Set(['BasicAuth', 'MongoDBConnection', 'MySQLConnection', 'PostgreSQLConnection']);
/** Detections that only rest on a variable name; our `env` label is preferred for those. */
const NAME_BASED = new Set(['AWSSecretAccessKey']);

function shortId(ruleId: string): string {
  const s = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  return SHORT[s] ?? s;
}

/**
 * Turns a reported range into the span to redact:
 * - URL credentials: only the `user:password` part, so scheme, host and path stay readable.
 * - Others: the reported secret value. Where the range does not hold that value (the AWS
 *   secret-key rule reports the value's length from the start of the NAME) it is located.
 */
function spanOf(text: string, msg: LintMessage, offset: number): [number, number] {
  const s = msg.range[0] + offset;
  const e = msg.range[1] + offset;
  if (URL_MESSAGES.has(msg.messageId)) {
    const part = text.slice(s, e);
    const a = part.indexOf('://');
    const b = a < 0 ? -1 : part.indexOf('@', a + 3);
    return b > a ? [s + a + 3, s + b] : [s, e];
  }
  const data = (msg.data ?? {}) as Record<string, unknown>;
  const value = [data.KEY, data.TOKEN, data.ID, data.URL].find((v): v is string => typeof v === 'string');
  if (value && text.slice(s, e) !== value) {
    const at = text.indexOf(value, s);
    if (at >= 0 && at - s <= 256) return [at, at + value.length];
  }
  return [s, e];
}

/** Runs the preset over `text` unconditionally (tests use it to check TRIGGER is a superset). */
export async function lintWithSecretlint(text: string): Promise<Hit[]> {
  const { lintSource, config } = await loadEngine();
  const result = await lintSource({
    source: { content: text, filePath: 'dejafix-redact.txt', ext: '.txt', contentType: 'text' },
    options: { config, noPhysicFilePath: true },
  });
  // secretlint strips a leading BOM and reports offsets into the stripped text.
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return result.messages.map((msg) => {
    const [start, end] = spanOf(text, msg, offset);
    const r = NAME_BASED.has(msg.messageId) ? rank.weakName : rank.shape;
    return { rule: shortId(msg.ruleId), start, end, rank: r };
  });
}

/** Runs the preset over `text`, skipped when TRIGGER rules out every preset rule. */
export async function findWithSecretlint(text: string): Promise<Hit[]> {
  return couldSecretlintMatch(text) ? lintWithSecretlint(text) : [];
}
