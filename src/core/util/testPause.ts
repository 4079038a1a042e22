// A crash point for tests: with DEJAFIX_TEST_HOOKS=1 and DEJAFIX_TEST_PAUSE_AFTER=<point> (or
// <point>#<n>: the n-th time the point is passed), the process says `dejafix-test: paused after
// <point>` on stderr and waits forever, so a test can SIGKILL it between two writes. Both variables
// are needed; without them (or with any other DEJAFIX_TEST_HOOKS value) this returns at once.
const passes = new Map<string, number>();

export async function testPause(point: string): Promise<void> {
  if (process.env.DEJAFIX_TEST_HOOKS !== '1') return;
  const m = /^([a-z]+)(?:#(\d+))?$/.exec(process.env.DEJAFIX_TEST_PAUSE_AFTER ?? '');
  if (!m || m[1] !== point) return;
  const n = (passes.get(point) ?? 0) + 1;
  passes.set(point, n);
  if (n !== Number(m[2] ?? 1)) return;
  process.stderr.write(`dejafix-test: paused after ${point} (pass ${n})\n`);
  await new Promise(() => setInterval(() => undefined, 60_000));
}
