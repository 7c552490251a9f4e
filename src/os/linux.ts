// Linux backend. Mechanism: procfs only (/proc/sys/net/ipv4/*), readable by
// any user and present in minimal containers where `ss` and `sysctl` are not.
// Values are per network namespace: what this reads is the namespace the
// process runs in.

import { readFile } from 'node:fs/promises';
import type { OsBackend } from './backend.js';
import { applyLinuxSetting, LINUX_KEYS } from './parse/linux-port-settings.js';
import { emptyPortRanges, type PortRanges } from './port-ranges.js';

const SYSCTL_DIR = '/proc/sys/net/ipv4';

export function createLinuxBackend(): OsBackend {
  return {
    os: 'linux',
    async readPortRanges(): Promise<PortRanges> {
      const out = emptyPortRanges('linux');
      await Promise.all(
        LINUX_KEYS.map(async (key) => {
          const path = `${SYSCTL_DIR}/${key}`;
          let text: string;
          try {
            text = await readFile(path, 'utf8');
          } catch (err) {
            // ip_unprivileged_port_start exists only since Linux 4.11.
            out.notes.push(`could not read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
            return;
          }
          applyLinuxSetting(out, key, text, path);
          out.readFrom.push(path);
        }),
      );
      // Promise.all finishes in any order; keep the listing stable.
      out.notes.sort();
      out.readFrom.sort();
      return out;
    },
  };
}
