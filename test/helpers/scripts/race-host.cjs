// What a connect-race test host is made of, shared by the namespace tests
// (test/helpers/race-netns.ts) and the bench (bench/connect-race.mjs): the
// nftables ruleset and, for a per-process limit, the script every node
// process preloads to move itself into a cgroup v2 of its own (nftables
// `socket cgroupv2` then tells processes apart).
//   h.limit      pending attempts the limiter lets through (omitted: none)
//   h.scope      'host' (default) or 'process'
//   h.counts     'all' (default) or 'leaving': only connects to the target and to 8080
//   h.controlLoss 'random' (1 in 5) or 'every-5th' SYNs to 8080 lost after conntrack counted them
//   h.rejects    the limiter answers a SYN over the limit with a TCP reset (ECONNREFUSED at once) instead of dropping it
const fs = require('node:fs');
const path = require('node:path');

function raceRuleset(h) {
  const counted = h.counts === 'leaving' ? 'tcp dport { 8080, 15000 } ' : '';
  const verdict = h.rejects ? 'reject with tcp reset' : 'drop';
  const limiter =
    h.limit === undefined
      ? ''
      : h.scope === 'process'
        ? `  set perproc { type cgroupsv2; size 65535; flags dynamic; }\n  chain output { type filter hook output priority 0; ${counted}tcp flags syn ct state new add @perproc { socket cgroupv2 level 2 ct count over ${h.limit} } counter ${verdict}; }\n`
        : `  chain output { type filter hook output priority 0; ${counted}tcp flags syn ct state new ct count over ${h.limit} counter ${verdict}; }\n`;
  const loss = h.controlLoss === 'random' ? 'numgen random mod 5 0' : h.controlLoss === 'every-5th' ? 'numgen inc mod 5 0' : '';
  return `table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; ${loss ? `tcp dport 8080 tcp flags syn ${loss} drop;` : ''} }\n${limiter}}\n`;
}

/** Writes the preload script into `dir` (a normal directory): each process makes `<parent>/p<pid>` and joins it. */
function writeOwnCgroupPreload(dir, parent) {
  const script = path.join(dir, 'join-own-cgroup.cjs');
  fs.writeFileSync(script, `const fs = require('node:fs');\nconst dir = ${JSON.stringify(parent)} + '/p' + process.pid;\nfs.mkdirSync(dir);\nfs.writeFileSync(dir + '/cgroup.procs', String(process.pid));\n`);
  return script;
}

/** Removes a cgroup and its per-process children (their processes have exited). */
function removeCgroupTree(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) fs.rmdirSync(path.join(dir, e.name));
  fs.rmdirSync(dir);
}

module.exports = { raceRuleset, writeOwnCgroupPreload, removeCgroupTree };
