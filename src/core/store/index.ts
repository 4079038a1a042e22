export { ExperienceStore, type Counts, type OpenOptions, type WriteResult } from './store';
export { StoreError, isPermissionError, type StoreErrorCode } from './errors';
export { defaultStoreDir } from './paths';
export { SCHEMA_VERSION } from './schema';
export { LIMITS, stripBinaryPatches } from './sanitize';
export { sqlString } from './rows';
