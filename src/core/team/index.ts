export { sharerIdentity } from './identity';
export { TeamError, teamLocation } from './teamUri';
export { applyShare, planShare, renderPlan, stableJson, type ShareItem, type SharePlan, type ShareSelection, type Sharer } from './share';
export { SYNC_OVERLAP_MS, forgetFromTeam, syncFromTeam, watermarkKey, type SyncResult } from './sync';
