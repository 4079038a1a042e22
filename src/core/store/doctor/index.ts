// `dejafix doctor`: check every table of a store and repair what can be repaired (no vscode here).
import { silentLogger } from '../../util/logger';
import { StoreError } from '../errors';
import { loadArrow, loadLance } from '../lance';
import type { RemoteOptions } from '../remote/config';
import { isRemoteStore } from '../location';
import { prepareTarget } from '../target';
import { TABLES } from '../schema';
import { recordChecksums, verifyChecksums } from '../checksums';
import { checkStore, markChanged, type TableReport } from './check';
import { findOrphans, removeOrphans, type OrphanReport } from './orphans';
import { repairStore, type RepairResult } from './repair';
import { keepPrivate, looseModes, makePrivate, type LooseModes } from '../privateModes';

export type { TableReport, RepairResult, OrphanReport };

export interface DoctorReport {
  store: string;
  tables: TableReport[];
  repairs: RepairResult[];
  /** Tables still not ok after the run. */
  damaged: string[];
  /** Attempts whose episode was never saved (checked when both tables read). */
  orphans: OrphanReport;
  /** Orphan attempts removed by this run's repair. */
  removedOrphans: number;
  /** Folders and files of a store folder that other users may read (after this run's repair, if any). */
  modes?: LooseModes;
  /** Folders and files this run's repair made private (0700/0600). */
  madePrivate: number;
}

const NO_ORPHANS: OrphanReport = { attempts: 0, episodeIds: [] };

/** Whether the report asks for a repair: a damaged table, orphan attempts, or a store open to other users. */
export function needsRepair(r: DoctorReport): boolean {
  return r.damaged.length > 0 || r.orphans.attempts > 0 || r.modes !== undefined;
}

export interface DoctorOptions {
  repair?: boolean;
  remote?: RemoteOptions;
  /**
   * With `repair`: the orphan attempts it may remove, as the episode ids of an earlier check the
   * person confirmed (default: those this run finds).
   */
  orphansOf?: readonly string[];
}

/**
 * Checks the store in `dir` (a folder, or an s3://, gs://, az:// URI: checked the same way, with
 * `remote`'s credentials); with `repair`, repairs it and checks again (folders only: a repair sets
 * damaged manifests aside on the file system).
 */
export async function runDoctor(dir: string, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const [lance, arrow] = await Promise.all([loadLance(), loadArrow()]);
  let db;
  if (isRemoteStore(dir)) {
    if (opts.repair)
      throw new StoreError('remote', `dejafix doctor --repair works on store folders only; ${dir} can be checked, not repaired.`);
    db = await (await prepareTarget(dir, 'read', opts.remote, silentLogger)).connect(lance);
  } else db = await lance.connect(dir, { readConsistencyInterval: 0 });
  // Lance keeps no checksums; Dejafix records its own for store folders (../checksums.ts).
  const changedFiles = () => (isRemoteStore(dir) ? Promise.resolve([]) : verifyChecksums(dir, { full: true }));
  try {
    let tables = markChanged(await checkStore(db), await changedFiles());
    let repairs: RepairResult[] = [];
    if (opts.repair && tables.some((t) => t.state !== 'ok')) {
      repairs = await repairStore({ db, lance, arrow, log: silentLogger }, dir, tables);
      const changed = await changedFiles();
      if (changed.length) {
        // Lance keeps no older copy of a data file: the person confirmed accepting its current bytes.
        await recordChecksums(dir, changed);
        const restored = new Set(repairs.filter((r) => r.saved).map((r) => r.table));
        for (const table of new Set(changed.filter((m) => !m.file.startsWith('_indices/') && !restored.has(m.table)).map((m) => m.table))) {
          const files = changed.filter((m) => m.table === table && !m.file.startsWith('_indices/')).map((m) => m.file);
          repairs.push({
            table,
            action: `cannot be restored: ${files.join(', ')} changed after it was written and Lance keeps no older copy; its current bytes are accepted, so its rows are read as they are now — check them (dejafix export) or re-import them from a backup`,
            saved: false,
          });
        }
      }
      tables = markChanged(await checkStore(db), await changedFiles());
    }
    const readable = (name: string) => tables.find((t) => t.table === name)?.state === 'ok';
    const both = readable(TABLES.episodes) && readable(TABLES.attempts);
    let removedOrphans = 0;
    if (opts.repair && both) removedOrphans = await removeOrphans(db, new Set(opts.orphansOf ?? (await findOrphans(db)).episodeIds));
    const orphans = both ? await findOrphans(db) : NO_ORPHANS;
    const local = !isRemoteStore(dir);
    // In a private folder, what this run wrote is private too, like any write (../privateModes.ts).
    if (local) await keepPrivate(dir);
    const madePrivate = opts.repair && local ? await makePrivate(dir) : 0;
    const modes = local ? await looseModes(dir) : undefined;
    const damaged = tables.filter((t) => t.state !== 'ok').map((t) => t.table);
    return { store: dir, tables, repairs, damaged, orphans, removedOrphans, ...(modes ? { modes } : {}), madePrivate };
  } finally {
    db.close();
  }
}
