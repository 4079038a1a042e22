import { silentLogger, type Logger } from '../util/logger';
import { BuiltinEmbedder } from './builtin';
import { parseEmbedConfig, type EmbedConfigInput } from './config';
import type { Embedder } from './embedder';
import { OpenAiCompatibleEmbedder } from './openaiCompatible';

/**
 * The embedder the settings ask for, or `undefined` for provider `none`: recall then skips
 * vectors and ranks lexically only. Nothing is loaded or contacted here; that waits for the
 * first `embed`. Throws `EmbedError` (code `config`) for invalid settings.
 */
export function createEmbedder(config: EmbedConfigInput | undefined, log: Logger = silentLogger): Embedder | undefined {
  const c = parseEmbedConfig(config);
  switch (c.provider) {
    case 'none':
      log.info('Embeddings are off (provider "none"): recall is lexical only');
      return undefined;
    case 'builtin': {
      const ignored = (['baseUrl', 'model', 'apiKey', 'timeoutMs', 'dimensions'] as const).filter((k) => c[k] !== undefined);
      if (ignored.length > 0) {
        log.warn(
          `Embedding settings ${ignored.join(', ')} are ignored by the builtin provider; set the provider to "openai-compatible" to use a server`,
        );
      }
      return new BuiltinEmbedder({ batchSize: c.batchSize, log });
    }
    case 'openai-compatible':
      log.info(`Embeddings from model "${c.model}" at ${c.baseUrl}${c.apiKey ? ' (with an API key)' : ''}`);
      return new OpenAiCompatibleEmbedder({
        baseUrl: c.baseUrl as string,
        model: c.model as string,
        apiKey: c.apiKey,
        timeoutMs: c.timeoutMs,
        batchSize: c.batchSize,
        dimensions: c.dimensions,
        log,
      });
  }
}
