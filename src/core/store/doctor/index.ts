// `dejafix doctor`: check every table of a store and repair what can be repaired (no vscode here).
import { silentLogger } from '../../util/logger';
import { StoreError } from '../errors';
import { loadArrow, loadLance } from '../lance';
import type { RemoteOptions } from '../remote/config';
import { isRemoteStore } from '../location';
import { prepareTarget } from '../target';
import { checkStore, type TableReport } from './check';
import { repairStore, type RepairResult } from './repair';

export type { TableReport, RepairResult };

export interface DoctorReport {
  store: string;
  tables: TableReport[];
  repairs: RepairResult[];
  /** Tables still not ok after the run. */
  damaged: string[];
}

/**
 * Checks the store in `dir` (a folder, or an s3://, gs://, az:// URI: checked the same way, with
 * `remote`'s credentials); with `repair`, repairs it and checks again (folders only: a repair sets
 * damaged manifests aside on the file system).
 */
export async function runDoctor(dir: string, opts: { repair?: boolean; remote?: RemoteOptions } = {}): Promise<DoctorReport> {
  const [lance, arrow] = await Promise.all([loadLance(), loadArrow()]);
  let db;
  if (isRemoteStore(dir)) {
    if (opts.repair) throw new StoreError('remote', `dejafix doctor --repair works on store folders only; ${dir} can be checked, not repaired.`);
    db = await (await prepareTarget(dir, 'read', opts.remote, silentLogger)).connect(lance);
  } else db = await lance.connect(dir, { readConsistencyInterval: 0 });
  try {
    let tables = await checkStore(db);
    let repairs: RepairResult[] = [];
    if (opts.repair && tables.some((t) => t.state !== 'ok')) {
      repairs = await repairStore({ db, lance, arrow, log: silentLogger }, dir, tables);
      tables = await checkStore(db);
    }
    return { store: dir, tables, repairs, damaged: tables.filter((t) => t.state !== 'ok').map((t) => t.table) };
  } finally {
    db.close();
  }
}
