// The oracle of the IP Helper path: Wine answers GetExtendedTcpTable from the
// Linux sockets of the namespace it runs in, so the win32 Node's
// `tcpdiag sockets --json` must list exactly the rows `ss -tan` lists there.
// This tests our call, buffer handling and decoding of Microsoft's layout,
// never Windows behaviour (owners: Wine reports pid 0 for Linux sockets).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSs } from '../../src/os/parse/linux-ss.js';
import type { SocketRow } from '../../src/os/sockets.js';
import { bundleWithout } from '../helpers/bundle-without.js';
import { BIN } from '../helpers/cli.js';
import { createNetns, nft, skipWithoutNetns } from '../helpers/netns.js';
import { copyPrefix, nodeInNetnsEnv, removePrefix, skipWithoutWine, wineNodeExe } from '../helpers/wine.js';

const skip = skipWithoutWine() || skipWithoutNetns();
const SCRIPT = join(__dirname, '..', 'helpers', 'scripts', 'wine-oracle-scenario.cjs');
const key = (r: Pick<SocketRow, 'family' | 'state' | 'local' | 'remote'>) => `${r.family} ${r.state} ${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port}`;

describe.skipIf(skip)('sockets on the win32 Node (under Wine) against ss -tan (skip reason printed above)', () => {
  it('lists the same rows: listeners, established pairs, FIN_WAIT_2/CLOSE_WAIT, SYN_SENT to a dropped port, IPv4 and IPv6', () => {
    const ns = createNetns();
    nft(ns, 'table inet tdg {\n chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n');
    const prefix = copyPrefix();
    const noKoffi = bundleWithout('koffi');
    try {
      const { tcpdiag, ss, fallback, helperPid } = nodeInNetnsEnv(ns, SCRIPT, [wineNodeExe(), BIN, noKoffi.bin], { WINEPREFIX: prefix, WINEDEBUG: '-all' });
      expect(tcpdiag.data.readFrom).toEqual(['GetExtendedTcpTable (IP Helper API, TCP_TABLE_OWNER_PID_ALL)']);
      const ours = (tcpdiag.data.rows as SocketRow[]).map(key).sort();
      const theirs = parseSs(ss, 'ss').rows.map(key).sort();
      expect(ours).toEqual(theirs);
      // The scenario is all there: nothing vacuous.
      const states = new Set((tcpdiag.data.rows as SocketRow[]).map((r) => `${r.family} ${r.state}`));
      for (const s of ['ipv4 LISTEN', 'ipv6 LISTEN', 'ipv4 ESTABLISHED', 'ipv6 ESTABLISHED', 'ipv4 SYN_SENT', 'ipv6 SYN_SENT', 'ipv4 FIN_WAIT_2', 'ipv4 CLOSE_WAIT']) expect(states, s).toContain(s);
      // The win32 helper's connection carries its Windows pid, named through the Toolhelp snapshot.
      const owned = (tcpdiag.data.rows as SocketRow[]).filter((r) => r.pid !== null);
      expect(owned.length).toBeGreaterThan(0);
      for (const r of owned) expect(r).toMatchObject({ pid: helperPid, process: 'node.exe', owner: 'found' });

      // Without koffi: netstat -ano, and the report says so and why. Wine's
      // netstat prints only connected IPv4 rows and no PID column: every row
      // read must be one of ss's, and the established IPv4 ones all there.
      expect(fallback.data.readFrom).toEqual(['netstat -ano']);
      expect(fallback.data.notes).toContain('read netstat -ano instead of the IP Helper API: koffi (optional dependency) is not installed');
      const viaNetstat = (fallback.data.rows as SocketRow[]).map(key).sort();
      for (const k of viaNetstat) expect(theirs).toContain(k);
      for (const k of theirs.filter((x) => x.startsWith('ipv4 ESTABLISHED'))) expect(viaNetstat).toContain(k);
    } finally {
      noKoffi.remove();
      removePrefix(prefix);
    }
  });
});
