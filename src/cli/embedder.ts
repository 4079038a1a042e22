import type { Command } from 'commander';
import { createEmbedder, embedProviders, type Embedder, type EmbedProvider } from '../core/embed';
import type { Logger } from '../core/util/logger';
import { CliError } from './exit';
import { errorText } from '../core/util/errors';

export interface EmbedOpts {
  embedder: string;
  embedUrl?: string;
  embedModel?: string;
}

/** The embedding options shared by import and recall; the API key comes from DEJAFIX_EMBED_API_KEY. */
export function addEmbedOptions(cmd: Command): Command {
  return cmd
    .option('--embedder <provider>', `embedding model: ${embedProviders.join(', ')} (none: lexical recall only)`, 'builtin')
    .option('--embed-url <url>', 'for openai-compatible: the base URL, e.g. http://127.0.0.1:11434/v1')
    .option('--embed-model <name>', 'for openai-compatible: the model name');
}

export function embedderFrom(opts: EmbedOpts, log: Logger): Embedder | undefined {
  try {
    return createEmbedder(
      {
        provider: opts.embedder as EmbedProvider,
        baseUrl: opts.embedUrl,
        model: opts.embedModel,
        apiKey: process.env.DEJAFIX_EMBED_API_KEY,
      },
      log,
    );
  } catch (e) {
    throw new CliError(errorText(e));
  }
}
