export { sharerIdentity } from './identity';
export { TeamError, teamLocation } from './teamUri';
export {
  applyShare,
  planShare,
  renderPlan,
  stableJson,
  type ShareItem,
  type ShareTarget,
  type SharePlan,
  type ShareSelection,
  type Sharer,
} from './share';
export { SYNC_OVERLAP_MS, forgetFromTeam, syncFromTeam, watermarkKey, type SyncResult } from './sync';
export { REPO_FOLDER, issueText, readRepoFolder, writeRepoRecords, type FolderContents, type FolderIssue } from './repoFolder';
export { applyRepoShare, planRepoShare, renderFolderIssues, type RepoSharePlan } from './repoShare';
export { syncFromRepo, type RepoSyncResult } from './repoSync';
export { RepoFolderSync, repoSyncSummary, repoSyncWarning, type RepoFolderSyncOptions } from './repoFolderSync';
export { repoRootOf } from './repoRoot';
export { scrubPaths, scrubPathsInText } from './localPaths';
export { mergeCounts, shareCounts } from './counters';
export { applyFeedbackShare, planFeedbackShare, syncFeedback, type FeedbackShare } from './feedbackSync';
