// No import cycles anywhere: bundles each entry point with esbuild (packages external, nothing
// written), reads the import graph from its metafile and reports every cycle among our own files.
// Type-only imports are erased before bundling, so they never count. Run by `npm run lint`.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';

export const ENTRY_POINTS = ['src/vscode/extension.ts', 'src/cli/main.ts', 'src/mcp/stdio.ts', 'src/webview/main.ts'];

/** Every import cycle (as a list of files) reachable from `entryPoints`, relative to `cwd`. */
export async function findCycles(entryPoints, cwd = process.cwd()) {
  const graph = new Map();
  for (const entry of entryPoints) {
    const r = await esbuild.build({ entryPoints: [entry], absWorkingDir: cwd, bundle: true, write: false, metafile: true, packages: 'external', external: ['vscode'], platform: entry.includes('webview') ? 'browser' : 'node', logLevel: 'silent', outdir: 'out-cycles' });
    for (const [file, info] of Object.entries(r.metafile.inputs)) {
      if (file.includes('node_modules')) continue;
      const deps = graph.get(file) ?? new Set();
      for (const i of info.imports) if (!i.external && !i.path.includes('node_modules')) deps.add(i.path);
      graph.set(file, deps);
    }
  }
  return stronglyConnected(graph).filter((c) => c.length > 1 || graph.get(c[0])?.has(c[0]));
}

/** Tarjan's algorithm, iterative over the sorted graph so the output is stable. */
function stronglyConnected(graph) {
  let index = 0;
  const idx = new Map(), low = new Map(), onStack = new Set(), stack = [], out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); onStack.add(v);
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      let w;
      do { w = stack.pop(); onStack.delete(w); c.push(w); } while (w !== v);
      out.push(c.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cycles = await findCycles(ENTRY_POINTS);
  for (const c of cycles) console.error(`import cycle: ${c.join(' → ')}`);
  if (cycles.length) {
    console.error(`${cycles.length} import cycle(s): break them (a narrow interface in its own file, or move the shared part down).`);
    process.exit(1);
  }
}
