// `dejafix doctor`: check every table of a store and repair what can be repaired (no vscode here).
import { silentLogger } from '../../util/logger';
import { loadArrow, loadLance } from '../lance';
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

/** Checks the store in `dir`; with `repair`, repairs it and checks again. */
export async function runDoctor(dir: string, opts: { repair?: boolean } = {}): Promise<DoctorReport> {
  const [lance, arrow] = await Promise.all([loadLance(), loadArrow()]);
  const db = await lance.connect(dir, { readConsistencyInterval: 0 });
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
