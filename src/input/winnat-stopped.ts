// A paste where WinNAT was stopped and not started again (a user trial: the
// Korean `net stop winnat` session cut before `net start winnat` answered
// "nothing keeps a server from port 8000", exit 0). With WinNAT stopped its
// excluded ranges are gone, so the excluded list captured then is that of a
// host in a passing state: WinNAT reserves ranges again when it starts (net
// start winnat, a reboot, Docker or WSL starting it), and they need not be
// the same ones. So the excluded ranges are not judged from such a paste.

import { commandOf } from './command-lines.js';

const STOP = /\b(?:net(?:\.exe)?\s+stop\s+winnat|stop-service\s+(?:-name\s+)?winnat)\b/gi;
const START = /\b(?:net(?:\.exe)?\s+start\s+winnat|(?:start|restart)-service\s+(?:-name\s+)?winnat)\b/gi;

/** The line (1-based) of the last command line that stops WinNAT with no start after it, in one input; null when none. */
export function winnatLeftStopped(lines: readonly string[]): number | null {
  let stoppedAt: number | null = null;
  lines.forEach((line, i) => {
    const command = commandOf(line);
    if (!command) return;
    // On one line ("net stop winnat && net start winnat") the last of them counts.
    const events = [...[...command.matchAll(STOP)].map((m) => ({ at: m.index, stop: true })), ...[...command.matchAll(START)].map((m) => ({ at: m.index, stop: false }))];
    const last = events.sort((a, b) => a.at - b.at).at(-1);
    if (last) stoppedAt = last.stop ? i + 1 : null;
  });
  return stoppedAt;
}

/** The notJudged sentence for the excluded ranges of a paste that left WinNAT stopped. */
export function winnatStoppedGap(file: string, line: number): string {
  return `the excluded port ranges: line ${line} of ${file} stops WinNAT and the paste does not show it started again, so the excluded ranges it shows are those of a host without WinNAT; WinNAT reserves ranges again when it starts (net start winnat, a reboot, Docker or WSL), and not always the same ones: capture \`netsh int ipv4 show excludedportrange protocol=tcp\` after \`net start winnat\``;
}
