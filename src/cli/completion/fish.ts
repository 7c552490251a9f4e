// The fish completion script: `complete` lines guarded by the command path.
// fish's own __fish_seen_subcommand_from cannot tell `tcpdiag connect` from
// `tcpdiag keepalive connect`, so a generated function walks the tokens typed
// so far (skipping option values) to find the path, as the bash script does.

import { allCommands, type CommandSpec, type ValueSpec } from './spec.js';

/** A fish word: bare when safe, otherwise single-quoted (fish escapes \ and ' inside). */
const q = (s: string) => (/^[A-Za-z0-9_@%+=.,/:-]+$/.test(s) ? s : `'${s.replace(/[\\']/g, '\\$&')}'`);

export function fishScript(root: CommandSpec, version: string): string {
  const name = root.name;
  const f = `__${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const cmds = allCommands(root);
  const path = (c: CommandSpec) => [name, ...c.path].map(q).join(' ');
  // The words of a switch case, matched against "$argv" (the list joined by spaces).
  const caseOf = (...words: string[]) => q(words.join(' '));
  const lines: string[] = [
    `# fish completion for ${name} ${version}, generated from its commands by \`${name} completion fish\`.`,
    `# Install: ${name} completion fish > ~/.config/fish/completions/${name}.fish`,
    '',
    '# The subcommand named by the last argument under the command path before it (aliases too).',
    `function ${f}_command`,
    '    switch "$argv"',
  ];
  for (const c of cmds) {
    for (const sub of c.commands) {
      lines.push(`        case ${[sub.name, ...sub.aliases].map((n) => caseOf(name, ...c.path, n)).join(' ')}`, `            echo ${q(sub.name)}`);
    }
  }
  lines.push('        case "*"', '            return 1', '    end', 'end', '', '# Status 0 when the option (last argument) of the command path before it takes a value.', `function ${f}_takes_value`, '    switch "$argv"');
  const valued = cmds.flatMap((c) => c.options.filter((o) => o.value).flatMap((o) => [o.long, o.short].filter((x): x is string => x !== null).map((flag) => caseOf(name, ...c.path, flag))));
  if (valued.length) lines.push(`        case ${valued.join(' ')}`, '            return 0');
  lines.push(
    '    end',
    '    return 1',
    'end',
    '',
    '# Prints the number of positional arguments typed, then the command path ("tcpdiag keepalive").',
    `function ${f}_path`,
    '    set -l words (commandline -opc)',
    // The program's own name, not words[1]: the user may have typed a path to it.
    `    set -l path ${q(name)}`,
    '    set -l n 0',
    '    set -l skip 0',
    '    set -e words[1]',
    '    for w in $words',
    '        if test $skip = 1',
    '            set skip 0',
    '            continue',
    '        end',
    '        switch $w',
    "            case '--*=*'",
    "            case '-?*'",
    `                ${f}_takes_value $path $w; and set skip 1`,
    "            case '*'",
    `                if test $n = 0; and set -l sub (${f}_command $path $w)`,
    '                    set -a path $sub',
    '                else',
    '                    set n (math $n + 1)',
    '                end',
    '        end',
    '    end',
    '    echo $n',
    '    printf "%s\\n" $path',
    'end',
    '',
    '# Status 0 when the line is at the command path given as arguments.',
    `function ${f}_at`,
    `    set -l r (${f}_path)`,
    '    test "$r[2..-1]" = "$argv"',
    'end',
    '',
    '# Status 0 when the cursor is at positional argument $argv[1] ("2", or "2+" for 2 and later) of the path after it.',
    `function ${f}_arg`,
    `    set -l r (${f}_path)`,
    '    test "$r[2..-1]" = "$argv[2..-1]"; or return 1',
    "    if string match -q -- '*+' $argv[1]",
    "        test $r[1] -ge (string replace '+' '' -- $argv[1])",
    '    else',
    '        test $r[1] = $argv[1]',
    '    end',
    'end',
    '',
    '# No file names unless an option or argument asks for them.',
    `complete -c ${name} -f`,
  );

  const values = (v: ValueSpec) => (v.choices ? ` -x -a ${q(v.choices.join(' '))}` : v.files ? ' -r -F' : ' -x');
  for (const c of cmds) {
    const at = (cond: string) => `complete -c ${name} -n ${q(cond)}`;
    lines.push('', `# ${[name, ...c.path].join(' ')}`);
    for (const sub of c.commands) lines.push(`${at(`${f}_arg 0 ${path(c)}`)} -a ${q(sub.name)} -d ${q(sub.description)}`);
    c.args.forEach((a, i) => {
      if (a.choices || a.files) lines.push(`${at(`${f}_arg ${i}${a.variadic ? '+' : ''} ${path(c)}`)}${a.choices ? ` -a ${q(a.choices.join(' '))}` : ' -F'} -d ${q(a.description || a.name)}`);
    });
    for (const o of c.options) {
      const flags = `${o.short ? ` -s ${q(o.short.slice(1))}` : ''}${o.long ? ` -l ${q(o.long.slice(2))}` : ''}`;
      lines.push(`${at(`${f}_at ${path(c)}`)}${flags}${o.value ? values(o.value) : ''} -d ${q(o.description)}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}
