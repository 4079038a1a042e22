import type { Command } from 'commander';
import { exportJsonl } from '../../core/ingest';
import { json } from '../io';
import { openStore, UNSAFE_SINGLE_WRITER_HELP } from '../store';
import { checkOutPath, writeOutFile } from '../outFile';
import type { Ctx } from '../context';

interface ExportOpts {
  store?: string;
  out?: string;
  json?: boolean;
}

export function registerExport(program: Command, ctx: Ctx): void {
  program
    .command('export')
    .description(
      'Write every episode (with its attempts) and insight, and the feedback and recall log, as JSONL; `import` reads it back unchanged.',
    )
    .option('--out <file>', 'write to this file (mode 0600; replaced only when the export is complete) instead of stdout')
    .option('--store <dir>', 'store folder or s3://, gs://, az:// URI (default: the per-user store; DEJAFIX_STORE overrides)')
    .option('--unsafe-single-writer', UNSAFE_SINGLE_WRITER_HELP)
    .option('--json', 'print a JSON summary on stderr when done')
    .action(async (opts: ExportOpts) => {
      // A wrong --out is said before the store is opened or anything is read.
      if (opts.out) await checkOutPath(opts.out);
      const store = await openStore(opts, 'read', ctx.logger(false));
      try {
        const counts = opts.out
          ? await writeOutFile(opts.out, (write) => exportJsonl(store, write))
          : await exportJsonl(store, (l) => ctx.io.out(l));
        ctx.io.err(
          opts.json
            ? json(counts)
            : `Exported ${counts.episodes} episodes and ${counts.insights} insights${counts.feedback || counts.recalls ? `, ${counts.feedback} feedback rows and ${counts.recalls} recall-log rows` : ''}.\n`,
        );
      } finally {
        store.close();
      }
    });
}
