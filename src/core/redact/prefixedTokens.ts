import { B, E, type ShapeRule } from './types';

/**
 * Newer vendor tokens with a fixed prefix, matched by ONE regex (each rule of its own costs a scan
 * of the whole text, ~6 ms per 10 MB, even when its probe fails). The capture group that took part
 * names the vendor. Every alternative starts with a literal and, but for Figma's, every repetition is bounded.
 */
interface Prefixed {
  rule: string;
  source: string;
  /** Extra check on the matched token (ordinary identifiers can share a prefix). */
  accept?: (token: string) => boolean;
}

const mixed = (v: string): boolean => /\d/.test(v) && /[a-z]/i.test(v);
const cased = (v: string): boolean => {
  const body = v.slice(v.indexOf('_') + 1);
  return /\d/.test(body) && /[A-Z]/.test(body) && /[a-z]/.test(body);
};

const TOKENS: readonly Prefixed[] = [
  // Slack app-level tokens in full (the preset stops after the third part, leaving the 64-hex secret).
  { rule: 'slack', source: String.raw`xapp-\d-[A-Z0-9]{6,20}-\d{6,20}-[a-f0-9]{32,128}${E}` },
  // A secret passed right after its account/key id (`Client("AC…", "<auth token>")`,
  // `AcsClient("LTAI…", "<secret>")`, `boto3.client(…, "AKIA…", "<secret>")`): no name says it is
  // secret, so the pair is redacted together. Before the bare LTAI id (alternatives are tried in order).
  {
    rule: 'id-secret-pair',
    source: String.raw`(?:AC[0-9a-f]{32}|LTAI[A-Za-z0-9]{12,20}|A[KS]IA[A-Z2-7]{16})["'][ \t]{0,4},[ \t]{0,4}(?:\w{1,32}[ \t]?=[ \t]?)?["'][A-Za-z0-9/+=]{20,64}(?=["'])`,
    accept: (v) => mixed(v.slice(v.lastIndexOf(v.includes('"') ? '"' : "'") + 1)),
  },
  // Alibaba Cloud AccessKey ids.
  { rule: 'alibaba', source: String.raw`LTAI[A-Za-z0-9]{12,20}${E}`, accept: mixed },
  // AI and developer platforms: Replicate, Groq, Notion, Netlify, Firebase Cloud Messaging server keys.
  { rule: 'replicate', source: String.raw`r8_[A-Za-z0-9]{37,40}${E}`, accept: mixed },
  { rule: 'groq', source: String.raw`gsk_[A-Za-z0-9]{48,56}${E}`, accept: mixed },
  { rule: 'notion', source: String.raw`(?:secret_[A-Za-z0-9]{43}|ntn_\d{11}[A-Za-z0-9]{35})${E}`, accept: cased },
  { rule: 'netlify', source: String.raw`nfp_[A-Za-z0-9]{36,40}${E}`, accept: mixed },
  { rule: 'firebase', source: String.raw`AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{120,160}${E}` },
  // Package registries and more: RubyGems, crates.io, NuGet, Mapbox secret tokens (`pk.` ones are
  // public), Bitbucket app passwords.
  { rule: 'rubygems', source: String.raw`rubygems_[a-f0-9]{48}${E}` },
  {
    rule: 'crates',
    source: String.raw`cio[A-Za-z0-9]{32}${E}`,
    accept: (v) => /\d/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v.slice(3)),
  },
  { rule: 'nuget', source: String.raw`oy2[a-z0-9]{43}${E}`, accept: mixed },
  { rule: 'mapbox', source: String.raw`sk\.eyJ[A-Za-z0-9_-]{20,400}\.[A-Za-z0-9_-]{16,200}${E}` },
  { rule: 'bitbucket', source: String.raw`ATBB[A-Za-z0-9]{32,40}${E}`, accept: mixed },
  // Moved here from vendorTokens.ts (same regexes, one scan instead of one each): DigitalOcean,
  // PyPI macaroons, Heroku platform keys, Databricks, Doppler, Stripe webhook secrets, New Relic,
  // Supabase, Pulumi, Figma, Square, Atlassian API tokens.
  { rule: 'digitalocean', source: String.raw`do[por]_v1_[a-f0-9]{64}${E}` },
  { rule: 'pypi', source: String.raw`pypi-[A-Za-z0-9_-]{40,2000}` },
  { rule: 'heroku', source: String.raw`HRKU-[A-Za-z0-9_-]{20,200}` },
  { rule: 'databricks', source: String.raw`dapi[0-9a-f]{32}(?:-\d)?${E}` },
  { rule: 'doppler', source: String.raw`dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,60}${E}` },
  { rule: 'stripe', source: String.raw`whsec_[A-Za-z0-9+/=]{24,100}` },
  { rule: 'newrelic', source: String.raw`NR(?:AK|II|JS)-[A-Za-z0-9]{19,40}${E}` },
  { rule: 'supabase', source: String.raw`sbp_[0-9a-f]{40}${E}` },
  { rule: 'pulumi', source: String.raw`pul-[0-9a-f]{40}${E}` },
  { rule: 'figma', source: String.raw`figd_[A-Za-z0-9_-]{40,}` },
  { rule: 'square', source: String.raw`sq0(?:atp|csp)-[A-Za-z0-9_-]{22,60}` },
  { rule: 'atlassian', source: String.raw`AT[AC]TT3[A-Za-z0-9_=-]{60,400}` },
  // Found leaking by the third red-team pass. AI platforms: xAI, Perplexity, Cerebras, OpenRouter, NVIDIA,
  // Tavily, Jina, Firecrawl, LangSmith, Langfuse (secret keys; `pk-lf-` ones are public), ElevenLabs,
  // Amazon Bedrock API keys.
  { rule: 'xai', source: String.raw`xai-[A-Za-z0-9]{70,100}${E}`, accept: mixed },
  { rule: 'perplexity', source: String.raw`pplx-[A-Za-z0-9]{40,64}${E}`, accept: mixed },
  { rule: 'cerebras', source: String.raw`csk-[A-Za-z0-9]{40,64}${E}`, accept: mixed },
  { rule: 'openrouter', source: String.raw`sk-or-v1-[0-9a-f]{64}${E}` },
  { rule: 'nvidia', source: String.raw`nvapi-[A-Za-z0-9_-]{60,80}${E}`, accept: mixed },
  { rule: 'tavily', source: String.raw`tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}${E}`, accept: mixed },
  { rule: 'jina', source: String.raw`jina_[A-Za-z0-9_-]{50,80}${E}`, accept: mixed },
  { rule: 'firecrawl', source: String.raw`fc-[0-9a-f]{32}${E}`, accept: mixed },
  { rule: 'langsmith', source: String.raw`(?:lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}|ls__[0-9a-f]{32})${E}`, accept: mixed },
  { rule: 'langfuse', source: String.raw`sk-lf-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${E}` },
  { rule: 'elevenlabs', source: String.raw`sk_[0-9a-f]{48}${E}`, accept: mixed },
  { rule: 'aws', source: String.raw`ABSK[A-Za-z0-9+/]{60,400}={0,2}`, accept: cased },
  // Developer and SaaS platforms: Docker Hub, Tailscale, PostHog personal keys (`phc_` project keys are
  // public), Resend, Brevo, HubSpot, Dynatrace, Meta/Facebook, Yandex, JFrog, Grafana (legacy API keys),
  // CircleCI, Linear OAuth, Buildkite, Airtable, DataStax Astra, 1Password service accounts of any length,
  // Cloudflare Origin CA keys.
  { rule: 'docker', source: String.raw`dckr_(?:pat|oat)_[A-Za-z0-9_-]{24,40}${E}`, accept: mixed },
  { rule: 'tailscale', source: String.raw`tskey-[a-z]{3,8}-[A-Za-z0-9-]{20,80}${E}`, accept: mixed },
  { rule: 'posthog', source: String.raw`phx_[A-Za-z0-9]{40,50}${E}`, accept: mixed },
  { rule: 'resend', source: String.raw`re_[A-Za-z0-9]{8}_[A-Za-z0-9]{20,32}${E}`, accept: cased },
  { rule: 'brevo', source: String.raw`x(?:keysib|smtpsib)-[0-9a-f]{64}-[A-Za-z0-9]{16}${E}` },
  { rule: 'hubspot', source: String.raw`pat-(?:na|eu|ap)\d{1,2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${E}` },
  { rule: 'dynatrace', source: String.raw`dt0[a-z]\d{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64}${E}` },
  { rule: 'facebook', source: String.raw`EAA[A-Za-z0-9]{90,400}${E}`, accept: cased },
  { rule: 'yandex', source: String.raw`(?:AQVN[A-Za-z0-9_-]{35,60}|y0_[A-Za-z0-9_-]{50,80})${E}`, accept: cased },
  { rule: 'jfrog', source: String.raw`(?:AKCp\d[A-Za-z0-9]{64,80}|cmVmdGtuOjAxOj[A-Za-z0-9]{40,80})${E}`, accept: mixed },
  { rule: 'grafana', source: String.raw`eyJrIjoi[A-Za-z0-9+/]{40,400}={0,2}` },
  { rule: 'circleci', source: String.raw`CCIPAT_[A-Za-z0-9]{22}_[0-9a-f]{40}${E}` },
  { rule: 'linear', source: String.raw`lin_oauth_[0-9a-f]{64}${E}` },
  { rule: 'buildkite', source: String.raw`bkua_[0-9a-f]{40}${E}` },
  { rule: 'airtable', source: String.raw`pat[A-Za-z0-9]{14}\.[0-9a-f]{64}${E}` },
  { rule: 'astra', source: String.raw`AstraCS:[A-Za-z0-9]{24}:[0-9a-f]{64}${E}` },
  { rule: '1password', source: String.raw`ops_eyJ[A-Za-z0-9+/=_-]{100,4000}` },
  { rule: 'cloudflare', source: String.raw`v1\.0-[0-9a-f]{24}-[0-9a-f]{146}${E}` },
];

export const prefixedRule: ShapeRule = {
  rule: 'token',
  probe: '',
  re: new RegExp(`${B}(?:${TOKENS.map((t) => `(${t.source})`).join('|')})`, 'g'),
  label: (m) => {
    const i = m.findIndex((g, k) => k > 0 && g !== undefined);
    const t = TOKENS[i - 1];
    return t && (!t.accept || t.accept(m[0])) ? t.rule : undefined;
  },
};
