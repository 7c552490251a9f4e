// `tcpdiag completion`: each generated script is loaded into a real bash, zsh
// and fish and asked what a TAB offers, and the answers are checked against
// the program tree itself (buildProgram), so a command or option added later
// is covered without editing this file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Option } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { bashScript } from '../../src/cli/completion/bash.js';
import { fishScript } from '../../src/cli/completion/fish.js';
import { allCommands, commandSpec } from '../../src/cli/completion/spec.js';
import { zshScript } from '../../src/cli/completion/zsh.js';
import { withChoices } from '../../src/cli/common-flags.js';
import { buildProgram } from '../../src/cli/program.js';
import { OUTPUT_FORMATS } from '../../src/cli/validate.js';
import { TCP_STATES } from '../../src/os/tcp-states.js';
import { GROUP_KEYS } from '../../src/sockets/group.js';
import { expectUsage, runCli } from '../helpers/cli.js';
import { shellSkipReason, shellTitle, type Shell } from '../helpers/shells.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-completion-'));
const DRIVERS = join(__dirname, '..', 'helpers', 'scripts');
const tree = commandSpec(buildProgram());

/** What a TAB at the end of `line` offers in a real `shell` that loaded `script` (a file; for zsh also an $fpath directory). */
function complete(shell: Shell, script: string, line: string): string[] {
  const [cmd, args]: [string, string[]] =
    shell === 'bash'
      ? ['bash', ['--norc', '--noprofile', join(DRIVERS, 'bash-complete.sh'), script, line]]
      : shell === 'zsh'
        ? ['zsh', ['-f', join(DRIVERS, 'zsh-complete.zsh'), script, line]]
        : ['fish', ['--no-config', '-c', 'source $argv[1]; and complete -C $argv[2]', script, line]];
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000, env: { ...process.env, HOME: dir } });
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  // fish prints "match<TAB>description".
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]!);
}

const sorted = (xs: readonly string[]) => [...xs].sort();
const longOptions = (xs: string[]) => sorted(xs.filter((x) => x.startsWith('--')));

function writeScript(shell: Shell): string {
  const r = runCli(['completion', shell]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  const file = join(dir, `tcpdiag.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

// How each shell completes "--state=EST": bash and zsh replace the word after
// "=", fish offers the whole token.
const AFTER_EQUALS: Record<Shell, string[]> = { bash: ['ESTABLISHED'], zsh: ['ESTABLISHED'], fish: ['--state=ESTABLISHED'] };

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  const reason = shellSkipReason(shell);
  describe.skipIf(reason !== null)(shellTitle(`tcpdiag completion ${shell}, in a real ${shell}`, reason), () => {
    let script = '';
    const tab = (line: string) => complete(shell, script, line);
    beforeAll(() => {
      script = writeScript(shell);
      writeFileSync(join(dir, 'captured-ss.txt'), 'State Recv-Q Send-Q\n');
    });

    it('completes a command name', () => expect(tab('tcpdiag so')).toEqual(['sockets']));
    it('offers every visible top-level command', () => expect(sorted(tab('tcpdiag '))).toEqual(sorted(tree.commands.map((c) => c.name))));
    it('completes an option name', () => expect(tab('tcpdiag sockets --st')).toEqual(['--state']));
    it('offers the TCP state names after --state', () => expect(sorted(tab('tcpdiag sockets --state '))).toEqual(sorted(TCP_STATES)));
    it('completes a state after --state=', () => expect(tab('tcpdiag sockets --state=EST')).toEqual(AFTER_EQUALS[shell]));
    it('offers the group keys after --group-by', () => expect(sorted(tab('tcpdiag sockets --group-by '))).toEqual(sorted(GROUP_KEYS)));
    it('offers the output formats after --format', () => {
      expect(sorted(tab('tcpdiag doctor --format '))).toEqual(sorted(OUTPUT_FORMATS));
      expect(sorted(tab('tcpdiag sockets --format '))).toEqual(sorted(OUTPUT_FORMATS));
    });
    it('skips option values when finding the command', () => {
      expect(sorted(tab('tcpdiag sockets --port 80 --group-by '))).toEqual(sorted(GROUP_KEYS));
      expect(tab('tcpdiag sockets --state LISTEN --gr')).toEqual(['--group-by']);
    });
    it('offers the keepalive subcommands, never the hidden __inner', () => {
      const offered = tab('tcpdiag keepalive ');
      expect(offered).toEqual(expect.arrayContaining(['selftest', 'connect', 'listen']));
      expect(offered).not.toContain('__inner');
      expect(tab('tcpdiag keepalive __')).toEqual([]);
    });
    it('tells `keepalive connect` from `connect`', () => {
      expect(tab('tcpdiag keepalive connect --')).toContain('--probe');
      expect(tab('tcpdiag keepalive connect --')).not.toContain('--timeout');
      expect(tab('tcpdiag connect --')).toContain('--timeout');
      expect(tab('tcpdiag connect --')).not.toContain('--probe');
    });
    it('offers the shells after `completion`', () => expect(sorted(tab('tcpdiag completion '))).toEqual(['bash', 'fish', 'zsh']));
    it('completes file names after --from', () => expect(tab(`tcpdiag ports --from ${dir}/capt`).map((m) => m.slice(m.lastIndexOf('/') + 1))).toEqual(['captured-ss.txt']));
    it('offers no file names where a port goes', () => expect(tab(`tcpdiag bind ${dir}/capt`)).toEqual([]));
    it('offers every long option of every command', () => {
      for (const c of allCommands(tree)) {
        const line = ['tcpdiag', ...c.path, '--'].join(' ');
        expect({ line, offered: longOptions(tab(line)) }).toEqual({ line, offered: sorted(c.options.flatMap((o) => (o.long ? [o.long] : []))) });
      }
    });
  });
}

describe('tcpdiag completion: value sets declared later', () => {
  // A flag with a value set that no command has yet, declared both ways a
  // command can: commander's .choices() and withChoices().
  const program = buildProgram();
  const find = (name: string) => program.commands.find((c) => c.name() === name)!;
  find('ports').addOption(new Option('--family <family>', 'address family').choices(['ipv4', 'ipv6', 'both']));
  find('backlog').addOption(withChoices(new Option('--family <family>', 'address family'), ['ipv4', 'ipv6', 'both']));
  const spec = commandSpec(program);
  const generators = { bash: bashScript, zsh: zshScript, fish: fishScript };

  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const reason = shellSkipReason(shell);
    it.skipIf(reason !== null)(shellTitle(`are completed by ${shell} without touching the generator`, reason), () => {
      const file = join(dir, `later.${shell}`);
      writeFileSync(file, generators[shell](spec, 'test'));
      expect(sorted(complete(shell, file, 'tcpdiag ports --family '))).toEqual(['both', 'ipv4', 'ipv6']);
      expect(sorted(complete(shell, file, 'tcpdiag backlog --family '))).toEqual(['both', 'ipv4', 'ipv6']);
    });
  }
});

describe('tcpdiag completion: loading the scripts', () => {
  const bashSkipReason = shellSkipReason('bash');
  it.skipIf(bashSkipReason !== null)(shellTitle('bash: the script parses and registers _tcpdiag for tcpdiag', bashSkipReason), () => {
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', 'source "$1" && complete -p tcpdiag', '_', writeScript('bash')], { encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout.trim(), stderr: r.stderr }).toEqual({ status: 0, stdout: 'complete -F _tcpdiag tcpdiag', stderr: '' });
  });

  const zshSkipReason = shellSkipReason('zsh');
  it.skipIf(zshSkipReason !== null)(shellTitle('zsh: sourced after compinit, it registers _tcpdiag without a word on stderr', zshSkipReason), () => {
    const r = spawnSync('zsh', ['-f', '-c', 'autoload -Uz compinit && compinit -u -D && source "$1" && print -r -- $_comps[tcpdiag]', '_', writeScript('zsh')], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    expect({ status: r.status, stdout: r.stdout.trim(), stderr: r.stderr }).toEqual({ status: 0, stdout: '_tcpdiag', stderr: '' });
  });
  it.skipIf(zshSkipReason !== null)(shellTitle('zsh: installed as _tcpdiag in $fpath, compinit picks it up and it completes', zshSkipReason), () => {
    const fpath = join(dir, 'zsh-functions');
    mkdirSync(fpath, { recursive: true });
    writeFileSync(join(fpath, '_tcpdiag'), runCli(['completion', 'zsh']).stdout);
    const r = spawnSync('zsh', ['-f', '-c', 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -D && print -r -- $_comps[tcpdiag]', '_', fpath], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    expect({ status: r.status, stdout: r.stdout.trim(), stderr: r.stderr }).toEqual({ status: 0, stdout: '_tcpdiag', stderr: '' });
    expect(complete('zsh', fpath, 'tcpdiag sockets --group-by ')).toEqual(expect.arrayContaining([...GROUP_KEYS]));
  });

  const fishSkipReason = shellSkipReason('fish');
  it.skipIf(fishSkipReason !== null)(shellTitle('fish: the script parses', fishSkipReason), () => {
    const r = spawnSync('fish', ['--no-config', '--no-execute', writeScript('fish')], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });
});

describe('tcpdiag completion: the command', () => {
  it('names the shell given and the accepted ones on one line, exit 2', () =>
    expectUsage(['completion', 'tcsh'], /^tcpdiag completion: <shell>: expected one of bash, zsh, fish, got "tcsh"\n$/));
  it('needs a shell', () => expectUsage(['completion'], /^tcpdiag: missing required argument 'shell' \(see 'tcpdiag completion --help'\)\n$/));
  it('has no report flags: its output is a script', () => expectUsage(['completion', 'bash', '--json'], /unknown option '--json'/));
  it('says in --help what it does and how to install each script', () => {
    const r = runCli(['completion', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/shell\s+the shell to complete for \(choices: "bash", "zsh", "fish"\)/);
    expect(r.stdout).toContain('tcpdiag completion bash > /etc/bash_completion.d/tcpdiag');
    expect(r.stdout).toContain('source <(tcpdiag completion bash)');
    expect(r.stdout).toContain('tcpdiag completion zsh > "${fpath[1]}/_tcpdiag"');
    expect(r.stdout).toContain('tcpdiag completion fish > ~/.config/fish/completions/tcpdiag.fish');
  });
  it('is listed in the program help', () => expect(runCli(['--help']).stdout).toMatch(/completion <shell>\s+print a shell-completion script/));
  it.each(['bash', 'zsh', 'fish'])('starts the %s script with what it is and the version', (shell) => {
    const r = runCli(['completion', shell]);
    expect(r.stdout).toMatch(new RegExp(`^(#compdef tcpdiag\\n)?# ${shell} completion for tcpdiag \\d+\\.\\d+\\.\\d+`));
  });
});
