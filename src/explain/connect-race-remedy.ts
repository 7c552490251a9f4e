// Where to look for what holds connects, per OS and scope (issue #21): the
// commands only read state; none is run by tcpdiag. Windows ones need an
// elevated prompt.

import type { OsName } from '../os/port-ranges.js';

const REMEDY: Record<OsName, Record<'process' | 'host', string[]>> = {
  win32: {
    // Endpoint protection hooks connects through filter drivers and WFP callouts.
    process: ['fltmc filters', 'netsh wfp show filters', 'netsh wfp show state'],
    // KB969710: the OS half-open limit (10) comes back when this is 1.
    host: [
      'reg query "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters" /v EnableConnectionRateLimiting',
      'wevtutil qe System /q:"*[System[(EventID=4226)]]" /c:5 /rd:true /f:text',
      'fltmc filters',
    ],
  },
  linux: {
    process: ['sudo nft list ruleset | grep -n -e cgroup -e "ct count" -e meter', 'sudo bpftool cgroup tree', 'cat /etc/ld.so.preload'],
    host: ['sudo nft list ruleset | grep -n -e "ct count" -e connlimit -e limit', 'sudo iptables-save | grep -n -e connlimit -e hashlimit', 'sudo conntrack -S', 'sysctl net.netfilter.nf_conntrack_tcp_timeout_syn_sent'],
  },
  darwin: {
    process: ['systemextensionsctl list', 'sudo pfctl -sr'],
    host: ['sudo pfctl -sr', 'sudo pfctl -si'],
  },
  freebsd: {
    process: ['sudo pfctl -sr', 'sudo ipfw list'],
    host: ['sudo pfctl -sr', 'sudo ipfw list'],
  },
};

/** Commands that show what holds connects; both scopes' when the scope is unknown. */
export function raceRemedy(os: OsName, scope: 'process' | 'host' | null): string[] {
  if (scope) return REMEDY[os][scope];
  return [...new Set([...REMEDY[os].process, ...REMEDY[os].host])];
}
