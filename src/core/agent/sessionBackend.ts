// Where an agent's attempts and outcomes go. The editor's back end records on the window's repair
// session; the store back end (MCP, no editor) keeps sessions in the store's `open_sessions` table.
import type { Attempt } from '../model/attempt';
import type { Episode } from '../model/episode';
import type { SessionScope } from '../store/openSessions';
import type { RecordAttemptInput, RecordOutcomeInput } from './schemas';

export interface AttemptReport {
  sessionId: string;
  issueTitle: string;
  /** The call opened the session. */
  opened: boolean;
  attempt: Attempt;
  /** Attempts recorded in the session so far, this one included. */
  attempts: number;
  /** First pass after a failure: time to record the outcome. */
  looksFixed: boolean;
}

export interface OutcomeReport {
  /** The saved episode; absent when an empty session was closed without saving. */
  episode?: Episode;
  sessionId: string;
  note?: string;
}

export interface SessionBackend {
  /** `by` is the caller as `agent:<name>`; `scope` the sessions it may see and end (MCP: its connection's). */
  recordAttempt(input: RecordAttemptInput, by: string, scope?: SessionScope): Promise<AttemptReport>;
  recordOutcome(input: RecordOutcomeInput, by: string, scope?: SessionScope): Promise<OutcomeReport>;
}
