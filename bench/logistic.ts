// Logistic regression for the benchmarks that fit relevance (calibrate.ts, editing.ts).

/** Logistic regression by Newton's method with an L2 penalty (not on the bias) pulling each weight towards `prior` (0 by default). */
export function fit(rows: readonly { x: number[]; y: number }[], l2: number, prior?: number[]): number[] {
  const d = rows[0].x.length;
  const mean = prior ?? new Array<number>(d).fill(0);
  let w = [...mean];
  for (let it = 0; it < 50; it++) {
    const g = new Array<number>(d).fill(0);
    const H = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const r of rows) {
      const p = 1 / (1 + Math.exp(-r.x.reduce((s, v, i) => s + v * w[i], 0)));
      for (let i = 0; i < d; i++) {
        g[i] += (p - r.y) * r.x[i];
        for (let j = 0; j < d; j++) H[i][j] += p * (1 - p) * r.x[i] * r.x[j];
      }
    }
    for (let i = 1; i < d; i++) {
      g[i] += l2 * (w[i] - mean[i]);
      H[i][i] += l2;
    }
    const step = solve(H, g);
    w = w.map((v, i) => v - step[i]);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return w;
}

function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c || M[c][c] === 0) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => (row[i] === 0 ? 0 : row[n] / row[i]));
}
