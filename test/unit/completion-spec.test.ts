// The program tree as the completion generators see it.
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { allCommands, commandSpec } from '../../src/cli/completion/spec.js';
import { withChoices } from '../../src/cli/common-flags.js';
import { buildProgram } from '../../src/cli/program.js';
import { OUTPUT_FORMATS } from '../../src/cli/validate.js';
import { TCP_STATES } from '../../src/os/tcp-states.js';

const tree = commandSpec(buildProgram());
const at = (...path: string[]) => allCommands(tree).find((c) => c.path.join(' ') === path.join(' '))!;
const option = (long: string, ...path: string[]) => at(...path).options.find((o) => o.long === long)!;

describe('completion spec', () => {
  it('has every visible command and no hidden one', () => {
    expect(at('keepalive').commands.map((c) => c.name)).toEqual(['connect', 'listen', 'selftest', 'help']);
    expect(allCommands(tree).some((c) => c.name.startsWith('__'))).toBe(false);
  });

  it('reads value sets from argChoices and file values from the placeholder', () => {
    expect(option('--state', 'sockets')).toMatchObject({ value: { name: 'states', choices: TCP_STATES, files: false }, repeatable: true });
    expect(option('--from', 'sockets')).toMatchObject({ value: { name: 'file', choices: null, files: true }, repeatable: true });
    expect(option('--port', 'sockets')).toMatchObject({ value: { choices: null, files: false }, repeatable: false });
    expect(option('--listen', 'sockets').value).toBeNull();
    expect(at('completion').args).toMatchObject([{ name: 'shell', choices: ['bash', 'zsh', 'fish'] }]);
    expect(option('--format', 'doctor').value).toMatchObject({ choices: OUTPUT_FORMATS });
  });

  it('keeps the short and long spelling of an option together', () => {
    expect(option('--ipv4', 'connect')).toMatchObject({ short: '-4', long: '--ipv4', value: null });
  });

  it('refuses a value that cannot be one shell word, naming it', () => {
    const program = new Command('x');
    program.command('y').addOption(withChoices(new Option('--mode <m>'), ['fine', 'not fine']));
    expect(() => commandSpec(program)).toThrow('completion: --mode <m> value "not fine" cannot be completed as one shell word');
  });
});
