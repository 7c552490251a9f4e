// Real shells for the completion tests. A missing shell skips its tests
// locally, with the reason in the test name, and fails the run in CI
// (CI=true or TCPDIAG_REQUIRE_NETNS=1), where .ci/run installs every one.
import { spawnSync } from 'node:child_process';

export type Shell = 'bash' | 'zsh' | 'fish';

/** Why the shell's tests cannot run here, or null when they can. */
export function shellSkipReason(shell: Shell): string | null {
  const ok = spawnSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' }).status === 0;
  if (ok) return null;
  const reason = `${shell} is not installed (or does not run)`;
  if (process.env.CI === 'true' || process.env.TCPDIAG_REQUIRE_NETNS === '1') throw new Error(`${reason}, and CI must run its completion tests (.ci/run installs it)`);
  return reason;
}

/** The describe title, naming the skip reason when there is one. */
export const shellTitle = (title: string, reason: string | null) => (reason ? `${title} (skipped: ${reason})` : title);
