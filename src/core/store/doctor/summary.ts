// What the doctor found and did, in the sentences the editor shows (the CLI prints its own lines).
import type { DoctorReport } from './index';

/** `attempts (a data file is missing), insights (an index file is missing)`. */
export function damagedTables(report: DoctorReport): string {
  return report.tables
    .filter((t) => t.state !== 'ok')
    .map((t) => `${t.table} (${t.problem ?? t.state})`)
    .join(', ');
}

/** One sentence after a check (no repair): healthy, or what is damaged. */
export function checkSentence(report: DoctorReport): string {
  const open = report.modes ? ' The memory folder is open to other users on this machine; a repair makes it private.' : '';
  return checkTables(report) + open;
}

function checkTables(report: DoctorReport): string {
  const orphans = report.orphans.attempts ? ` ${orphanSentence(report.orphans.attempts)}` : '';
  if (report.damaged.length === 0)
    return orphans
      ? `every table of the memory reads in full, but${orphans}`
      : `the memory is healthy: ${report.tables.length} tables checked, every row readable.`;
  return `the memory at ${report.store} is damaged: ${damagedTables(report)}.${orphans}`;
}

/** `3 attempts belong to no saved episode (…).` */
export function orphanSentence(n: number): string {
  return `${n} attempt${n === 1 ? '' : 's'} belong${n === 1 ? 's' : ''} to no stored episode (a save cut off by a crash, or an episode lost to damage); a repair removes ${n === 1 ? 'it' : 'them'}.`;
}

/** One sentence after a repair: what was repaired and what could not be saved. */
export function repairSentence(report: DoctorReport): { ok: boolean; text: string } {
  const done = report.repairs.filter((r) => r.saved).map((r) => `${r.table}: ${r.action}`);
  const lost = report.repairs.filter((r) => !r.saved).map((r) => `${r.table}: ${r.action}`);
  const parts = done.length ? [`repaired ${done.join('; ')}`] : [];
  if (report.madePrivate) parts.push('made the memory folder private');
  if (report.removedOrphans) parts.push(`removed ${report.removedOrphans} orphan attempt${report.removedOrphans === 1 ? '' : 's'}`);
  if (!parts.length) parts.push('nothing could be repaired');
  if (lost.length) parts.push(`not saved: ${lost.join('; ')}`);
  if (report.damaged.length) parts.push(`still damaged: ${report.damaged.join(', ')}`);
  if (report.orphans.attempts) parts.push(`still ${report.orphans.attempts} orphan attempt(s)`);
  if (report.modes) parts.push('the memory folder is still open to other users');
  return { ok: report.damaged.length === 0 && report.orphans.attempts === 0 && !report.modes, text: `${parts.join('. ')}.` };
}
