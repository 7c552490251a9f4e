// The zsh completion script: one _arguments function per command, in the
// shape zsh's own completions use (`1: :->command` and `*:: :->args` hand the
// rest of the line to the subcommand's function). Works autoloaded from
// $fpath as _tcpdiag and sourced after compinit.

import { allCommands, type ArgSpec, type CommandSpec, type OptionSpec, type ValueSpec } from './spec.js';

/** A zsh single-quoted word. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Text inside an _arguments `[description]` or a message: brackets and colons are syntax there. */
const text = (s: string) => s.replace(/\\/g, '\\\\').replace(/([[\]:])/g, '\\$1');

const funcName = (c: CommandSpec, root: string) => `_${[root, ...c.path].join('_').replace(/[^A-Za-z0-9_]/g, '_')}`;

function action(v: ValueSpec): string {
  if (v.choices) return `(${v.choices.join(' ')})`;
  if (v.files) return '_files';
  return ' '; // a value with no fixed set: zsh shows the message and offers nothing
}

/** `--state=[only these states]:states:(LISTEN ...)`, one spec per spelling, short and long exclude each other. */
function optionSpecs(o: OptionSpec): string[] {
  const names = [o.short, o.long].filter((x): x is string => x !== null);
  // Repeatable options stay on offer after use; others are offered once, and
  // -4/--ipv4 style pairs exclude each other.
  const prefix = o.repeatable ? '*' : names.length > 1 ? `(${names.join(' ')})` : '';
  return names.map((name) => {
    const value = o.value
      ? // "=" lets the value follow as "--opt=value" or as the next word; "=-" would force the first.
        `${name.startsWith('--') ? '=' : '+'}[${text(o.description)}]${o.value.optional ? '::' : ':'}${text(o.value.name)}:${action(o.value)}`
      : `[${text(o.description)}]`;
    return q(`${prefix}${name}${value}`);
  });
}

function argSpecs(args: ArgSpec[]): string[] {
  return args.map((a) => q(`${a.variadic ? '*' : ''}${a.optional ? ':' : ''}:${text(a.name)}:${action(a)}`));
}

function commandFunction(c: CommandSpec, root: string): string[] {
  const fn = funcName(c, root);
  const opts = c.options.flatMap(optionSpecs);
  if (!c.commands.length) {
    return [`${fn}() {`, '  _arguments -s -S \\', ...[...opts, ...argSpecs(c.args)].map((s) => `    ${s} \\`), '    && return 0', '  return 1', '}'];
  }
  return [
    `${fn}() {`,
    '  local curcontext="$curcontext" state line',
    '  typeset -A opt_args',
    '  _arguments -C -s -S \\',
    ...opts.map((s) => `    ${s} \\`),
    `    ${q(': :->command')} \\`,
    `    ${q('*:: :->args')} \\`,
    '    && return 0',
    '  case $state in',
    '    command)',
    '      local -a commands',
    '      commands=(',
    ...c.commands.map((s) => `        ${q(`${s.name}:${s.description}`)}`),
    '      )',
    `      _describe -t commands ${q(`${[root, ...c.path].join(' ')} command`)} commands ;;`,
    '    args)',
    '      curcontext="${curcontext%:*:*}:' + [root, ...c.path].join('-') + '-$line[1]:"',
    '      case $line[1] in',
    ...c.commands.map((s) => `        ${[s.name, ...s.aliases].map(q).join('|')}) ${funcName(s, root)} ;;`),
    '      esac ;;',
    '  esac',
    '}',
  ];
}

export function zshScript(root: CommandSpec, version: string): string {
  const name = root.name;
  const main = funcName(root, name);
  return [
    `#compdef ${name}`,
    `# zsh completion for ${name} ${version}, generated from its commands by \`${name} completion zsh\`.`,
    `# Install: ${name} completion zsh > "\${fpath[1]}/_${name}"   (then start a new shell)`,
    `#     or, after compinit: source <(${name} completion zsh)`,
    '',
    ...allCommands(root).flatMap((c) => [...commandFunction(c, name), '']),
    // Autoloaded from $fpath, this file is the body of _tcpdiag: complete now.
    // Sourced, it registers the function instead.
    `if [[ "\${funcstack[1]}" == ${q(main)} ]]; then`,
    `  ${main} "$@"`,
    'else',
    `  compdef ${main} ${name}`,
    'fi',
    '',
  ].join('\n');
}
