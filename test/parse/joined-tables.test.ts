// Two socket tables of one system pasted one right after the other, with no
// command line between them (people paste `ss -tanp` and then `netstat -anp`,
// or lsof and then netstat): each is read whole, by its own reader. Found by
// pairing real fixtures: ss's reader took net-tools netstat rows ("tcp 0 0
// ...") for its own Netid rows and refused the whole paste; lsof's took BSD
// netstat rows ("tcp4 0 0 ...") for a command and its PID and dropped them
// without a word.
import { describe, expect, it } from 'vitest';
import { parseCapturedInputs } from '../../src/input/parse-captured.js';
import { mergeSameSockets } from '../../src/input/same-sockets.js';
import { fixture } from '../helpers/fixtures.js';

const SYSTEMS: Record<string, Array<[string, string]>> = {
  linux: [
    ['linux-ss', 'ubuntu-22.04-sudo-ss-tanp.txt'],
    ['linux-netstat', 'linux-netstat-anp-tcp-with-programs.txt'],
    ['linux-proc-net-tcp', 'root-kptr-proc-net-tcp-with-timewait.txt'],
    ['lsof', 'linux-ubuntu-24.04-lsof-i-P-n.txt'],
  ],
  windows: [
    ['windows-netstat', 'en-ano-win7.txt'],
    ['windows-get-nettcpconnection', 'en-default-mixed-states-narrow.txt'],
  ],
  macos: [
    ['macos-netstat', 'macos-26-anv-process-pid.txt'],
    ['lsof', 'macos-lsof-Pn-i4.txt'],
  ],
};

const read = (text: string) => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
const tableRows = (r: Pick<Awaited<ReturnType<typeof read>>, 'parts'>) => r.parts.flatMap((p) => (p.kind === 'table' ? [p.table.rows.length] : []));
const unread = (r: Awaited<ReturnType<typeof read>>) => r.sources.reduce((n, s) => n + (s.unread?.length ?? 0), 0);

describe('two tables of one system, pasted one after the other', () => {
  for (const [system, tables] of Object.entries(SYSTEMS)) {
    for (const a of tables) {
      for (const b of tables) {
        if (a === b) continue;
        it(`${system}: ${a[1]} then ${b[1]}`, async () => {
          const [first, second] = [fixture(...a), fixture(...b)];
          const [alone1, alone2] = [await read(first), await read(second)];
          const both = await read(`${first.endsWith('\n') ? first : `${first}\n`}${second}`);
          // Each table read whole; a socket both list (127.0.0.53:53 of systemd-resolved) counted once, as one host's (same-sockets.ts).
          expect(tableRows(both)).toEqual(tableRows({ parts: mergeSameSockets([...alone1.parts, ...alone2.parts]) }));
          expect(unread(both)).toBe(unread(alone1) + unread(alone2));
        });
      }
    }
  }
});
