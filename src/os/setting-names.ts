// What each OS calls a port-range setting, in the words its capture shows
// (a sysctl key, a netsh list), for sentences that name one: kept beside the
// other OS wording (remedies.ts, capture-gaps.ts) so the input layer has no
// OS switch of its own.

import type { OsName, RangeSetting } from './port-ranges.js';

export function rangeSettingName(s: RangeSetting, os: OsName | null): string {
  if (os === 'linux') return s.range === 'ephemeral' ? 'net.ipv4.ip_local_port_range' : s.range === 'reserved' ? 'net.ipv4.ip_local_reserved_ports' : 'net.ipv4.ip_unprivileged_port_start';
  const of = [s.protocol, s.family].filter(Boolean).join(', ');
  const tail = of ? ` (${of})` : '';
  if (os === 'win32') return s.range === 'ephemeral' ? `the dynamic port range${tail}` : `the excluded port ranges${tail}`;
  if (s.range === 'privileged') return 'net.inet.ip.portrange.reservedhigh';
  return `net.inet.ip.portrange ${s.allocator === 'high' ? 'hifirst/hilast' : s.allocator === 'low' ? 'lowfirst/lowlast' : 'first/last'}`;
}
