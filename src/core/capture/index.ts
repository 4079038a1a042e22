export { normaliseRemote, remoteFromGitConfig, repoIdFor } from './repoId';
export { DEFAULT_TEST_COMMANDS, testCommandMatcher, type TestCommandMatcher } from './testCommands';
export { parseIssueInput, issueNumberFromBranch, type IssueInput } from './issueRef';
export {
  startSession,
  recordAttempt,
  endSession,
  episodeIdOf,
  OUTPUT_TAIL_CHARS,
  MAX_ATTEMPTS,
  type SessionState,
  type AttemptInput,
} from './session';
export { fetchGithubIssue, apiBaseFor, GithubError, GITHUB_API, MAX_ISSUE_BODY } from './github';
export { diffAgainst, headCommit, currentBranch, MAX_DIFF_CHARS } from './gitDiff';
export { gitRemoteOf } from './gitRemote';
