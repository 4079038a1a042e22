import { z } from 'zod';
import { EmbedError } from './errors';

export const embedProviders = ['builtin', 'openai-compatible', 'none'] as const;
export type EmbedProvider = (typeof embedProviders)[number];

/** The largest batch the built-in model takes in one worker request. */
export const BUILTIN_MAX_BATCH_SIZE = 256;

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * Embedding settings. `provider` defaults to `builtin`; `openai-compatible` needs `baseUrl` and
 * `model`. `dimensions` (optional) is the expected vector length of a remote model.
 */
export const embedConfigSchema = z
  .object({
    provider: z.enum(embedProviders, { message: `must be one of ${embedProviders.map((p) => `"${p}"`).join(', ')}` }).default('builtin'),
    baseUrl: z
      .string()
      .trim()
      .refine(isHttpUrl, {
        message:
          'must be an http(s) URL without user name or password, such as http://127.0.0.1:11434/v1 (Ollama) or https://api.openai.com/v1',
      })
      .optional(),
    model: z.string().trim().min(1).optional(),
    apiKey: z.string().trim().min(1).optional(),
    timeoutMs: z
      .number()
      .int()
      .min(100, { message: 'must be at least 100 (milliseconds)' })
      .max(600_000, { message: 'must be at most 600000 (10 minutes)' })
      .optional(),
    batchSize: z.number().int().min(1).max(2048).optional(),
    dimensions: z.number().int().min(1).max(65_536).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.provider === 'openai-compatible') {
      if (!c.baseUrl)
        ctx.addIssue({
          code: 'custom',
          path: ['baseUrl'],
          message: 'is required for the openai-compatible provider (e.g. http://127.0.0.1:11434/v1 for Ollama)',
        });
      if (!c.model)
        ctx.addIssue({
          code: 'custom',
          path: ['model'],
          message: 'is required for the openai-compatible provider (e.g. nomic-embed-text)',
        });
    }
    if (c.provider === 'builtin' && c.batchSize !== undefined && c.batchSize > BUILTIN_MAX_BATCH_SIZE) {
      ctx.addIssue({ code: 'custom', path: ['batchSize'], message: `must be at most ${BUILTIN_MAX_BATCH_SIZE} for the builtin provider` });
    }
  });

export type EmbedConfigInput = z.input<typeof embedConfigSchema>;
export type EmbedConfig = z.output<typeof embedConfigSchema>;

/**
 * Validates embedding settings. Unset-looking values (`null`, empty or blank strings, as editors'
 * settings often hold) count as not set. Throws `EmbedError` (code `config`) naming every bad key.
 */
export function parseEmbedConfig(value: unknown): EmbedConfig {
  const r = embedConfigSchema.safeParse(withoutUnset(value ?? {}));
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'settings'} ${i.message}`);
  throw new EmbedError('config', `Invalid embedding settings: ${issues.join('; ')}.`);
}

function withoutUnset(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '')),
  );
}
