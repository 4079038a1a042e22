// No import cycles anywhere: bundles each entry point with esbuild (packages external, nothing
// written), reads the import graph from its metafile and reports every cycle among our own files.
// Type-only imports are erased before bundling, so a second pass reads every file under src/ with
// them included: a type-only cycle still ties two files together (a view never names the concrete
// App, even as a type, but the narrow PanelContext). Run by `npm run lint`.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ENTRY_POINTS = ['src/vscode/extension.ts', 'src/cli/main.ts', 'src/mcp/stdio.ts', 'src/webview/main.ts'];
/** Folders where type-only imports count as well: all of src. */
export const TYPE_STRICT_DIRS = ['src'];

/** Every import cycle (as a list of files) reachable from `entryPoints`, relative to `cwd`. */
export async function findCycles(entryPoints, cwd = process.cwd()) {
  const graph = new Map();
  for (const entry of entryPoints) {
    const r = await esbuild.build({
      entryPoints: [entry],
      absWorkingDir: cwd,
      bundle: true,
      write: false,
      metafile: true,
      packages: 'external',
      external: ['vscode'],
      platform: entry.includes('webview') ? 'browser' : 'node',
      logLevel: 'silent',
      outdir: 'out-cycles',
    });
    for (const [file, info] of Object.entries(r.metafile.inputs)) {
      if (file.includes('node_modules')) continue;
      const deps = graph.get(file) ?? new Set();
      for (const i of info.imports) if (!i.external && !i.path.includes('node_modules')) deps.add(i.path);
      graph.set(file, deps);
    }
  }
  return stronglyConnected(graph).filter((c) => c.length > 1 || graph.get(c[0])?.has(c[0]));
}

/** Every import cycle among the .ts files under `dirs`, type-only imports included, relative to `cwd`. */
export function findSourceCycles(dirs, cwd = process.cwd()) {
  const files = dirs.flatMap((d) => tsFiles(resolve(cwd, d)));
  const graph = new Map();
  for (const file of files) {
    const deps = new Set();
    for (const i of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!i.fileName.startsWith('.')) continue;
      const base = resolve(dirname(file), i.fileName.replace(/\.js$/, ''));
      const target = [`${base}.ts`, join(base, 'index.ts')].find((c) => existsSync(c));
      if (target) deps.add(relative(cwd, target));
    }
    graph.set(relative(cwd, file), deps);
  }
  return stronglyConnected(graph).filter((c) => c.length > 1 || graph.get(c[0])?.has(c[0]));
}

function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return tsFiles(p);
      return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
    });
}

/** Tarjan's algorithm, iterative over the sorted graph so the output is stable. */
function stronglyConnected(graph) {
  let index = 0;
  const idx = new Map(),
    low = new Map(),
    onStack = new Set(),
    stack = [],
    out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      out.push(c.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const all = [...(await findCycles(ENTRY_POINTS)), ...findSourceCycles(TYPE_STRICT_DIRS)];
  const cycles = [...new Map(all.map((c) => [c.join(' '), c])).values()];
  for (const c of cycles) console.error(`import cycle: ${c.join(' → ')}`);
  if (cycles.length) {
    console.error(`${cycles.length} import cycle(s): break them (a narrow interface in its own file, or move the shared part down).`);
    process.exit(1);
  }
}
