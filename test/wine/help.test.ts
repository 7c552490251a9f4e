// --help of every command on the win32 Node under Wine: the same text the
// Linux Node prints, exit 0, nothing on stderr. A smoke of the win32 code
// path, never evidence of Windows behaviour.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { runWin32Cli, skipWithoutWine, stopSharedWineserver } from '../helpers/wine.js';

const skip = skipWithoutWine();
afterAll(() => void (skip || stopSharedWineserver()));

/** Every command and subcommand, as the top-level help lists them (checked below). */
const COMMANDS = [[], ['doctor'], ['bind'], ['ports'], ['sockets'], ['connect'], ['connect-race'], ['backlog'], ['keepalive'], ['keepalive', 'selftest'], ['keepalive', 'connect'], ['keepalive', 'listen'], ['completion'], ['schema']];

describe.skipIf(skip)('--help on the win32 Node (under Wine) (skip reason printed above)', () => {
  it('the list above is every command the CLI has', () => {
    const commands = runCli(['--help']).stdout.split('Commands:\n')[1]!.split('\n\n')[0]!;
    const listed = [...commands.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(listed.sort()).toEqual(COMMANDS.filter((c) => c.length === 1).map((c) => c[0]).sort());
  });

  for (const c of COMMANDS) {
    it(`tcpdiag ${[...c, '--help'].join(' ')}`, () => {
      const linux = runCli([...c, '--help']);
      const win = runWin32Cli([...c, '--help']);
      expect({ code: win.code, stderr: win.stderr }).toEqual({ code: 0, stderr: '' });
      expect(win.stdout).toBe(linux.stdout);
    });
  }
});
