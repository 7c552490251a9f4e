// The commander program tree as plain data for the shell-completion
// generators. Everything comes from the tree itself, so a command or option
// added later is completed without touching the generators: commander's Help
// decides what is visible (hidden commands such as `keepalive __inner` are
// not), and values come from `argChoices` (commander's .choices() or
// withChoices() in common-flags.ts).

import type { Argument, Command, Option } from 'commander';
import { collect } from '../common-flags.js';

export interface ValueSpec {
  /** The placeholder in the flags: "states" for `--state <states>`. */
  name: string;
  /** `[value]` rather than `<value>`. */
  optional: boolean;
  /** The accepted values, or null when any value goes. */
  choices: readonly string[] | null;
  /** Complete file names (the value is named <file> or <path>). */
  files: boolean;
}

export interface OptionSpec {
  /** "--state", or null for a short-only flag. */
  long: string | null;
  /** "-4", or null. */
  short: string | null;
  description: string;
  /** null: a flag without a value. */
  value: ValueSpec | null;
  /** May be given more than once: values accumulate through collect() (or the option is variadic). */
  repeatable: boolean;
}

export interface ArgSpec extends ValueSpec {
  description: string;
  variadic: boolean;
}

export interface CommandSpec {
  name: string;
  aliases: string[];
  description: string;
  /** Names from the program down to this command, the program's excluded: ["keepalive", "selftest"]. */
  path: string[];
  options: OptionSpec[];
  args: ArgSpec[];
  commands: CommandSpec[];
}

/** Values are emitted unquoted in word lists by every generator: a space or quote would break them. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=.,/:-]+$/;

function safeWords(values: readonly string[] | undefined, where: string): readonly string[] | null {
  if (!values) return null;
  for (const v of values) if (!SAFE_WORD.test(v)) throw new Error(`completion: ${where} value "${v}" cannot be completed as one shell word`);
  return [...values];
}

const isFileName = (name: string) => /^(file|path)s?$/i.test(name);

function valueSpec(placeholder: string, optional: boolean, choices: readonly string[] | undefined, where: string): ValueSpec {
  return { name: placeholder, optional, choices: safeWords(choices, where), files: !choices && isFileName(placeholder) };
}

function optionSpec(o: Option): OptionSpec {
  const takesValue = o.required || o.optional;
  // The placeholder is only in the flags string: "--state <states>".
  const placeholder = /[<[]([^<>[\]]+)[>\]]/.exec(o.flags)?.[1] ?? 'value';
  return {
    long: o.long ?? null,
    short: o.short ?? null,
    description: o.description,
    value: takesValue ? valueSpec(placeholder.replace(/\.\.\.$/, ''), o.optional, o.argChoices, o.flags) : null,
    repeatable: o.parseArg === (collect as unknown) || o.variadic,
  };
}

function argSpec(a: Argument): ArgSpec {
  return { ...valueSpec(a.name(), !a.required, a.argChoices, `<${a.name()}>`), description: a.description, variadic: a.variadic };
}

export function commandSpec(cmd: Command, path: string[] = []): CommandSpec {
  const help = cmd.createHelp();
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    description: help.subcommandDescription(cmd),
    path,
    options: help.visibleOptions(cmd).map(optionSpec),
    args: cmd.registeredArguments.map(argSpec),
    commands: help.visibleCommands(cmd).map((sub) => commandSpec(sub, [...path, sub.name()])),
  };
}

/** Every command of the tree, parents before their subcommands. */
export function allCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.commands.flatMap(allCommands)];
}
