// A small git checkout of github.com/acme/shop for the tests of recall in a checkout
// (workspaceCode.test.ts, workspaceEditing.test.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
}

/** A checkout of github.com/acme/shop with a few modules, committed. */
export function checkout(root: string): string {
  const repo = join(root, 'shop');
  mkdirSync(join(repo, 'shop', 'billing'), { recursive: true });
  mkdirSync(join(repo, 'shop', 'tests'), { recursive: true });
  writeFileSync(join(repo, 'shop', 'billing', 'invoice.py'), 'class Invoice:\n    def total_with_tax(self):\n        pass\n');
  writeFileSync(join(repo, 'shop', 'billing', 'refunds.py'), 'def issue_refund_credit(order):\n    pass\n');
  writeFileSync(join(repo, 'shop', 'cart.py'), 'def add_line_item(cart, item):\n    pass\n');
  writeFileSync(join(repo, 'shop', 'billing', 'ledger.py'), 'def post_reversal_entry(order):\n    pass\n');
  writeFileSync(join(repo, 'shop', 'tests', 'test_cart.py'), 'def test_add_line_item():\n    pass\n');
  // The rest of a code base: modules no issue here is about.
  for (let i = 0; i < 40; i++)
    writeFileSync(join(repo, 'shop', `module${i}.py`), `def helper_${i}_compute(x):\n    pass\nclass Widget${i}:\n    pass\n`);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'dev@example.com');
  git(repo, 'config', 'user.name', 'Dev');
  git(repo, 'remote', 'add', 'origin', 'git@github.com:acme/shop.git');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'base');
  return repo;
}
