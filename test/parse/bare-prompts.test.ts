// A prompt with no command after it (the shell's next prompt, copied at the
// end of a paste) ends the output before it like any command line: a rerun
// followed by it printed nothing, so it is a snapshot with no rows (a user
// trial: "$ " alone was no command line, the rerun was dropped, and the
// listener of the first run was reported with `kill` prescribed again).
// The sessions are made of a real netstat row (test/helpers/rerun-pastes.ts).
import { describe, expect, it } from 'vitest';
import { isCommandLine } from '../../src/input/command-lines.js';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import { fixture } from '../helpers/fixtures.js';
import { killedOnLinux } from '../helpers/rerun-pastes.js';

const read = (text: string): Promise<CapturedInput> => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
const rowsOf = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows.map((r) => `${r.local.port} ${r.state} ${r.pid}`) : []));
const NGINX = fixture('linux-netstat', 'linux-netstat-anp-tcp-with-programs.txt').split('\n').find((l) => l.includes('0.0.0.0:8080'))!;

const BARE = ['$ ', '$', '# ', '#', '% ', '%', 'user@h:~$ ', 'user@h:~$', '[root@h ~]# ', '[root@h ~]#', 'root@h:~#', 'Kevins-MBP:k3vl4r k3vl4r$ ', '[04/17/2018 16:41] seed@ubuntu:~$', '❯'];

describe('a bare prompt is a command line', () => {
  it.each(BARE)('"%s"', (prompt) => {
    expect(isCommandLine(prompt)).toBe(true);
    expect(isCommandLine(`  ${prompt}`)).toBe(true);
  });

  it.each(['# comment', '#!/bin/sh', '$PATH', '100%', 'a#', '>', '$$', '##'])('but not "%s" (a comment has a command after its "# ", and stays one)', (line) => {
    expect(isCommandLine(line)).toBe(line === '# comment');
  });

  it.each(BARE)('a rerun followed by "%s" printed nothing: the empty snapshot replaces the listener before it', async (prompt) => {
    const c = await read(killedOnLinux(prompt, NGINX));
    expect(rowsOf(c)).toEqual([]);
    expect(c.replaced).toEqual(['`sudo netstat -tanp | grep :8080` was run more than once: an earlier capture at lines 1-2 of f listed 1 socket; the later one at line 4 (no socket) is used']);
  });

  it('the same paste without its final line end: the bare prompt is its last line, still a prompt, not a cut row', async () => {
    const c = await read(killedOnLinux('$', NGINX).trimEnd());
    expect(rowsOf(c)).toEqual([]);
    expect(c.cutLines).toEqual([]);
    expect(c.notJudged).toEqual([]);
  });
});
