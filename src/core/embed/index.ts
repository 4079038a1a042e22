export type { Embedder } from './embedder';
export { EmbedError, type EmbedErrorCode } from './errors';
export { createEmbedder } from './factory';
export {
  embedConfigSchema,
  embedProviders,
  parseEmbedConfig,
  BUILTIN_MAX_BATCH_SIZE,
  type EmbedConfig,
  type EmbedConfigInput,
  type EmbedProvider,
} from './config';
export { BuiltinEmbedder, BUILTIN_DIMENSIONS, BUILTIN_EMBEDDER_ID, type BuiltinEmbedderOptions } from './builtin';
export { OpenAiCompatibleEmbedder, type OpenAiCompatibleOptions } from './openaiCompatible';
export { BUILTIN_MAX_CHARS, BUILTIN_MAX_TOKENS, REMOTE_MAX_CHARS } from './text';
export { dot, normalized } from './vectors';
