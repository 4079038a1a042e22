export { ExperienceStore, type Counts, type OpenOptions, type WriteResult } from './store';
export { StoreError, isPermissionError, type StoreErrorCode } from './errors';
export { defaultStoreDir } from './paths';
export { SCHEMA_VERSION } from './schema';
export { LIMITS, stripBinaryPatches } from './sanitize';
export {
  insightsFor,
  countEpisodes,
  countAttempts,
  countInsights,
  episodesPerRepo,
  findRecords,
  existingEpisodeIds,
  type InsightQuery,
  type RecordSummary,
} from './queries';
export { asStoreError, damageOf } from './damage';
export { parseStoreLocation, isRemoteStore, describeLocation, type StoreLocation, type RemoteKind } from './location';
export { remoteOptionsFromEnv, type RemoteOptions } from './remote/config';
export { UNSAFE_HINT } from './remote/guard';
export * from './teamQueries';
export { copyVectorRows, indexVectorTables } from './vectorCopy';
