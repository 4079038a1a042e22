// `--workspace <dir>` / `--no-workspace` of the commands that recall: the checkout whose code
// relevance is judged against (core/workspace), by default the current folder's; none with
// --no-workspace or DEJAFIX_NO_WORKSPACE=1, or outside a git checkout.
import type { WorkspaceCode } from '../core/workspace/workspaceCode';
import type { Logger } from '../core/util/logger';
import { CliError } from './exit';

export async function workspaceCodeFor(option: string | false | undefined, log: Logger): Promise<WorkspaceCode | undefined> {
  const { NO_WORKSPACE_ENV } = await import('../core/workspace/workspaceCode');
  if (option === false || process.env[NO_WORKSPACE_ENV] === '1') return undefined;
  const { workspaceCodeOf } = await import('../core/workspace/workspaceCode');
  const code = await workspaceCodeOf(typeof option === 'string' ? option : process.cwd(), { log });
  // Asked for by name, a folder that is not a checkout is a mistake to report, not to skip.
  if (typeof option === 'string' && !code)
    throw new CliError(
      `--workspace ${JSON.stringify(option.slice(0, 300))} is not a folder inside a git checkout (or --no-workspace to go without)`,
    );
  return code;
}
