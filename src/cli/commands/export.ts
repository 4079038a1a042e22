import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Command } from 'commander';
import { exportJsonl } from '../../core/ingest';
import { json } from '../io';
import { openStore } from '../store';
import type { Ctx } from '../context';

interface ExportOpts {
  store?: string;
  out?: string;
  json?: boolean;
}

export function registerExport(program: Command, ctx: Ctx): void {
  program
    .command('export')
    .description('Write every episode (with its attempts) and insight as JSONL; `import` reads it back unchanged.')
    .option('--out <file>', 'write to this file (replaced only when the export is complete) instead of stdout')
    .option('--store <dir>', 'store folder (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--json', 'print a JSON summary on stderr when done')
    .action(async (opts: ExportOpts) => {
      const store = await openStore(opts, 'read', ctx.logger(false));
      try {
        const counts = opts.out ? await toFile(store, opts.out) : await exportJsonl(store, (l) => ctx.io.out(l));
        ctx.io.err(opts.json ? json(counts) : `Exported ${counts.episodes} episodes and ${counts.insights} insights.\n`);
      } finally {
        store.close();
      }
    });
}

async function toFile(store: Parameters<typeof exportJsonl>[0], out: string) {
  const tmp = `${out}.partial-${process.pid}`;
  const stream = createWriteStream(tmp);
  try {
    const counts = await exportJsonl(store, async (line) => {
      if (!stream.write(line)) await once(stream, 'drain');
    });
    stream.end();
    await once(stream, 'finish');
    await rename(tmp, out);
    return counts;
  } catch (e) {
    stream.destroy();
    await rm(tmp, { force: true });
    throw e;
  }
}
