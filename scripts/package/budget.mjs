// The per-VSIX budget (issues 9 and 14) and its check on a written VSIX: the bytes of the file and
// the files it holds (the zip's entries, as an installer or an antivirus scanner sees them).
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Megabytes (10^6 bytes) per VSIX: LanceDB's library ships brotli-compressed, the model as float16. */
export const DEFAULT_BUDGET_MB = 60;
/** Files per VSIX: thousands of small files make installs, antivirus scans and cold activation slow. */
export const MAX_FILES = 400;

/** The file entries (not folders) of a zip, read with yauzl, @vscode/vsce's own reader. */
export async function zipFileCount(path) {
  const yauzl = createRequire(createRequire(import.meta.url).resolve('@vscode/vsce'))('yauzl');
  const zip = await new Promise((ok, fail) => yauzl.open(path, { lazyEntries: true, autoClose: true }, (e, z) => (e ? fail(e) : ok(z))));
  return new Promise((ok, fail) => {
    let files = 0;
    zip.on('error', fail);
    zip.on('entry', (entry) => {
      if (!entry.fileName.endsWith('/')) files++;
      zip.readEntry();
    });
    zip.on('end', () => ok(files));
    zip.readEntry();
  });
}

/** Size and file count of a written VSIX, and what is over the budget (empty when within). */
export async function checkBudget(vsixPath, { budgetMb = DEFAULT_BUDGET_MB, maxFiles = MAX_FILES } = {}) {
  const bytes = statSync(vsixPath).size;
  const files = await zipFileCount(vsixPath);
  const problems = [];
  if (bytes > budgetMb * 1e6) problems.push(`${(bytes / 1e6).toFixed(1)} MB, over the ${budgetMb} MB budget`);
  if (files > maxFiles) problems.push(`${files} files, over the ${maxFiles}-file budget`);
  return { bytes, files, problems };
}
