// The public face of reflection, for the CLI and the editor.
export {
  reflectOnEpisode,
  reflectOnEpisodes,
  drainQueue,
  queueReflection,
  episodesToReflect,
  currentInsights,
  episodeHash,
  summarize,
  type ReflectOptions,
  type ReflectionResult,
  type BatchOptions,
} from './reflect';
export {
  approveInsight,
  retireInsight,
  editInsight,
  applyFeedback,
  checkStaleness,
  InsightError,
  type InsightErrorCode,
  type StalenessOptions,
  type StalenessResult,
} from './maintain';
export {
  COUNTER,
  DEFAULT_CAP,
  MAX_NEGATIVE_OPS,
  MAX_OPS,
  INSIGHT_TEXT,
  opSchema,
  reflectionSchema,
  reflectionTool,
  type InsightOp,
  type ReflectionOutput,
} from './ops';
export { planOperations, type OpOutcome, type OpResult, type Plan, type PlanContext } from './apply';
export { buildReflectionPrompt, DEFAULT_PROMPT_BUDGET, type Contrast, type ReflectionPrompt } from './prompt';
export { lexicalSimilarity, MERGE_THRESHOLD } from './similarity';
export { ReflectionQueue, REFLECT_QUEUE_TABLE, type QueueEntry } from '../store/reflectQueue';
