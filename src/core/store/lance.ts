// LanceDB and Arrow are loaded on first use, never at module load: importing the store module
// must stay cheap (extension activation, `dejafix --help`).
//
// Both are loaded with `require`, not `import()`: apache-arrow ships separate ESM and CommonJS
// builds, LanceDB's own code uses the CommonJS one, and LanceDB checks `instanceof Field`, so a
// Field made from the ESM build would not be recognised.
export type LanceModule = typeof import('@lancedb/lancedb');
export type ArrowModule = typeof import('apache-arrow');

let lance: LanceModule | undefined;
let arrow: ArrowModule | undefined;

export async function loadLance(): Promise<LanceModule> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lance ??= require('@lancedb/lancedb') as LanceModule;
  return lance;
}

export async function loadArrow(): Promise<ArrowModule> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  arrow ??= require('apache-arrow') as ArrowModule;
  return arrow;
}
