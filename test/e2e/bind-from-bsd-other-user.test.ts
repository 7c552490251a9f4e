// `bind --from` on macOS: a process that is not root may not bind a port a socket
// of another user holds on the address or a wildcard (XNU in_pcbbind/in6_pcbbind;
// explain/bind-conflict-bsd.ts). A user trial got OK for mysqld (user _mysql) on
// 127.0.0.1:3306 against a Node listen on the wildcard. A paste never says who
// will run the server, so such a socket "depends" on it, naming lsof's USER.
// Input: a real macOS `lsof -Pn -i4` capture, unchanged, and a real macOS
// `sysctl net.inet.ip.portrange` so the OS is known (test/fixtures/*/SOURCES).
import { describe, expect, it } from 'vitest';
import { bindFrom } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

describe("bind --from, macOS: another user's socket on the port", () => {
  it("Google's CLOSE_WAIT connection on 62722 (user ouyang): depends on who runs the server, not OK", () => {
    const input = fixture('lsof', 'macos-lsof-Pn-i4.txt') + fixture('sysctl-portrange', 'macos-first-last-keys.txt');
    const { code, rep } = bindFrom(['62722'], input);
    expect(code).toBe(4);
    const [h] = rep.data.holders;
    expect(h).toMatchObject({ pid: 715, user: 'ouyang', blocks: 'depends' });
    expect(h!.dependsOn).toEqual([expect.stringMatching(/^which user runs the server: as root, or as ouyang, the user that owns this socket/)]);
    expect(rep.notJudged.some((n) => /ouyang, the user that owns this socket/.test(n))).toBe(true);
  });
});
