import { B, E, type ShapeRule, rank } from './types';
import { looksRandom } from './values';

/**
 * Vendor token formats with a recognisable prefix or shape that neither the secretlint preset nor
 * patterns.ts knows: Vault, Mailgun, age, Discord, Sentry, Azure SAS, Twilio, Terraform Cloud,
 * Grafana, Google OAuth, AWS session tokens and more. Those with one plain literal prefix
 * (DigitalOcean, PyPI, Heroku, Doppler, …) are in prefixedTokens.ts, in one regex. Each regex
 * starts with a literal (or a bounded class behind a look-behind) and every repetition is bounded,
 * so hostile input stays linear.
 */

/** A Discord bot token's first part is a base64-encoded numeric user id. */
function discordId(value: string): boolean {
  const first = value.slice(0, value.indexOf('.'));
  const decoded = Buffer.from(first.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  return /^\d{15,21}$/.test(decoded);
}

const mixed = (v: string): boolean => /\d/.test(v) && /[a-z]/i.test(v);

export const vendorRules: readonly ShapeRule[] = [
  // HashiCorp Vault service/batch/recovery tokens (`hvs.`, `hvb.`, `hvr.`).
  { rule: 'vault', probe: /hv[sbr]\./, re: new RegExp(`${B}hv[sbr]\\.[A-Za-z0-9_-]{20,400}${E}`, 'g'), accept: mixed },
  // Mailgun private API keys (`key-` + 32 hex) and the newer `<32 hex>-<8 hex>-<8 hex>` keys.
  {
    rule: 'mailgun',
    probe: /key-|[0-9a-f]{32}-[0-9a-f]{8}-/,
    re: new RegExp(`${B}(?:key-[0-9a-zA-Z]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})${E}`, 'g'),
    anchors: [
      { literal: 'key-', offset: 0 },
      { literal: '-', offset: 32 },
    ],
    accept: mixed,
  },
  // age secret keys and plugin identities (the public `age1…` recipients are not secret).
  {
    rule: 'age',
    probe: /AGE-(?:SECRET-KEY|PLUGIN)-/i,
    // `-AGE-SECRET-KEY-1…` is a removed line in a diff.
    re: /(?<![A-Za-z0-9]|[A-Za-z0-9-]-)AGE-(?:SECRET-KEY|PLUGIN-[A-Z0-9]{1,40})-1[0-9A-Z]{40,200}/gi,
  },
  // Discord bot tokens: base64(user id) . timestamp . HMAC.
  {
    rule: 'discord',
    probe: /[MNO][A-Za-z0-9_-]{22,27}\./,
    re: new RegExp(`${B}[MNO][A-Za-z0-9_-]{22,27}\\.[A-Za-z0-9_-]{6,7}\\.[A-Za-z0-9_-]{27,40}${E}`, 'g'),
    accept: discordId,
  },
  // Sentry DSN public keys (`https://<32 hex>@o1.ingest.sentry.io/2`) and auth tokens.
  { rule: 'sentry', probe: '://', re: /:\/\/([0-9a-f]{32})(?::[0-9a-f]{32})?@/dg, group: 1 },
  { rule: 'sentry', probe: /sntry[su]_/, re: new RegExp(`${B}sntry[su]_[A-Za-z0-9_=+/-]{40,400}`, 'g') },
  // Azure shared access signatures: the `sig=` of a SAS URL or connection string.
  { rule: 'azure-sas', probe: /sig=/i, re: /[?&;]sig=([A-Za-z0-9%+/=_-]{16,512})/dgi, group: 1 },
  // Twilio API key SIDs (secret companions of their key secret).
  { rule: 'twilio', probe: 'SK', re: new RegExp(`${B}SK[0-9a-f]{32}${E}`, 'g') },
  // Terraform Cloud / Enterprise tokens (`<14>.atlasv1.<60+>`).
  {
    rule: 'terraform',
    probe: '.atlasv1.',
    re: /(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{40,200}/g,
    anchors: [{ literal: '.atlasv1.', offset: 14 }],
  },
  // Grafana cloud / service-account tokens.
  {
    rule: 'grafana',
    probe: /gl(?:c|sa)_/,
    re: new RegExp(`${B}(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[0-9a-f]{8})`, 'g'),
  },
  // Google OAuth client secrets, refresh tokens and access tokens.
  {
    rule: 'google-oauth',
    probe: /GOCSPX-|1\/\/0|ya29\./,
    re: new RegExp(`${B}(?:GOCSPX-[A-Za-z0-9_-]{24,40}|1//0[A-Za-z0-9_-]{40,300}|ya29\\.[A-Za-z0-9_-]{30,2000})`, 'g'),
  },
  // AWS temporary session tokens (`FwoGZXIvYXdz…`, `IQoJb3JpZ2lu…`).
  { rule: 'aws', probe: /FwoGZXIvYXdz|IQoJb3JpZ2lu/, re: /(?:FwoGZXIvYXdz|IQoJb3JpZ2lu)[A-Za-z0-9+/]{40,4000}={0,2}/g },
  // Azure AD (Entra) client secrets carry `Q~` at position 4.
  { rule: 'azure', probe: 'Q~', re: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g },
  // Postman, PlanetScale, Fly.io keys.
  { rule: 'postman', probe: 'PMAK-', re: new RegExp(`${B}PMAK-[0-9a-f]{24}-[0-9a-f]{34}${E}`, 'gi') },
  { rule: 'planetscale', probe: 'pscale_', re: new RegExp(`${B}pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}`, 'g') },
  {
    rule: 'flyio',
    probe: /fo1_|fm[12][ar]?_/,
    re: new RegExp(`${B}(?:fo1_[A-Za-z0-9_-]{40,}|fm[12][ar]?_[A-Za-z0-9+/=_-]{40,4000})`, 'g'),
  },
  // GitHub tokens the preset misses when shortened or quoted in part (it needs exactly 36 characters).
  { rule: 'github', probe: /gh[pousr]_/, re: new RegExp(`${B}gh[pousr]_[A-Za-z0-9]{20,255}${E}`, 'g'), accept: mixed },
  // npm tokens of any length.
  { rule: 'npm', probe: 'npm_', re: new RegExp(`${B}npm_[A-Za-z0-9]{30,64}${E}`, 'g'), accept: mixed },
  // Telegram bot tokens (`<bot id>:AA…`), also in the Bot API's URLs (`api.telegram.org/bot<token>/sendMessage`; a
  // rule of its own that starts with a literal: a look-behind alternation before the digits tried every position).
  { rule: 'telegram', probe: ':AA', re: /(?<![\w:])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![\w-])/g },
  { rule: 'telegram', probe: '/bot', re: /\/bot(\d{8,10}:AA[A-Za-z0-9_-]{33})(?![\w-])/dg, group: 1 },
  // Slack incoming webhooks with shortened or unusual ids (the preset wants exact lengths).
  { rule: 'slack', probe: 'hooks.slack.com/services/', re: /hooks\.slack\.com\/services\/([A-Za-z0-9_/-]{20,200})/dg, group: 1 },
  // Discord webhooks.
  {
    rule: 'discord',
    probe: /discord(?:app)?\.com\/api\/webhooks\//,
    re: /discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/([A-Za-z0-9_-]{20,200})/dg,
    group: 1,
  },
  // Microsoft Teams incoming webhooks (Office 365 connectors): the ids and the key in the path.
  {
    rule: 'teams',
    probe: 'office',
    re: /(?:\.webhook\.office\.com\/webhookb2|outlook\.office(?:365)?\.com\/webhook)\/([A-Za-z0-9@/_-]{40,400})/dg,
    group: 1,
  },
  // Webhooks whose id is the only secret (Mattermost, Rocket.Chat, Gitea, self-hosted chat): a random id after `/hooks/`.
  {
    rule: 'webhook',
    probe: '/hooks/',
    re: /:\/\/[^\s/?#]{1,253}\/hooks\/([A-Za-z0-9_-]{20,100})(?![A-Za-z0-9_-])/dg,
    group: 1,
    accept: (v) => looksRandom(v) && /\d/.test(v) && /[a-z]/i.test(v),
  },
  // Mailchimp API keys (`<32 hex>-us<N>`).
  { rule: 'mailchimp', probe: '-us', re: new RegExp(`${B}[0-9a-f]{32}-us\\d{1,2}${E}`, 'g'), anchors: [{ literal: '-us', offset: 32 }] },
  // Shopify tokens of any length (the preset wants exactly 32 hex).
  { rule: 'shopify', probe: /shp(?:at|ca|pa|ss)_/, re: new RegExp(`${B}shp(?:at|ca|pa|ss)_[A-Fa-f0-9]{20,64}${E}`, 'g') },
  // OpenAI/Anthropic-style keys are in patterns.ts; Cohere/Mistral-like keys have no prefix.
  // Generic `token`-prefixed bearer values after `Bot ` (Discord `Authorization: Bot …`).
  {
    rule: 'auth-header',
    probe: 'Bot ',
    re: /\bBot[ \t]{1,4}([A-Za-z0-9._-]{30,200})/dg,
    group: 1,
    accept: (v) => looksRandom(v),
    rank: rank.name,
  },
];
