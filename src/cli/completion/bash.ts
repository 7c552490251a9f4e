// The bash completion script. Plain bash (3.2 and later, no bash-completion
// package needed): generated case tables say, per command path, which
// subcommands and options exist and which options take a value, and one
// function walks the words typed so far to find the command path.

import { allCommands, type CommandSpec, type ValueSpec } from './spec.js';

/** A bash single-quoted word. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const funcName = (name: string) => `_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;

/** Fills COMPREPLY with the values that start with $3; null when any value goes (nothing to offer). */
function valueAction(f: string, v: ValueSpec): string | null {
  if (v.choices) return `${f}_words ${q(v.choices.join(' '))} "$3"`;
  if (v.files) return `${f}_files "$3"`;
  return null;
}

export function bashScript(root: CommandSpec, version: string): string {
  const f = funcName(root.name);
  const cmds = allCommands(root);
  const key = (c: CommandSpec) => c.path.join(' ');
  const lines: string[] = [];
  const emit = (...l: string[]) => lines.push(...l);

  emit(
    `# bash completion for ${root.name} ${version}, generated from its commands by \`${root.name} completion bash\`.`,
    `# Install: ${root.name} completion bash > /etc/bash_completion.d/${root.name}`,
    `#     or, for the current shell only: source <(${root.name} completion bash)`,
    '',
    '# Fills COMPREPLY with the words of $1 that start with $2, one per line (no glob expansion).',
    `${f}_words() {`,
    '  local w',
    '  COMPREPLY=()',
    '  while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -W "$1" -- "$2")',
    '}',
    '',
    '# File names starting with $1; -o filenames quotes them and marks directories.',
    `${f}_files() {`,
    '  local w',
    '  COMPREPLY=()',
    '  compopt -o filenames 2>/dev/null',
    '  while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -f -- "$1")',
    '}',
    '',
    '# The subcommand that word $2 names under command path $1 (aliases too), or status 1.',
    `${f}_command() {`,
    '  case "$1|$2" in',
  );
  for (const c of cmds) {
    for (const sub of c.commands) emit(`    ${[sub.name, ...sub.aliases].map((n) => q(`${key(c)}|${n}`)).join('|')}) echo ${q(sub.name)} ;;`);
  }
  emit('    *) return 1 ;;', '  esac', '}', '', '# Subcommands of command path $1.', `${f}_commands() {`, '  case "$1" in');
  for (const c of cmds) if (c.commands.length) emit(`    ${q(key(c))}) echo ${q(c.commands.map((s) => s.name).join(' '))} ;;`);
  emit('  esac', '}', '', '# Options of command path $1.', `${f}_options() {`, '  case "$1" in');
  for (const c of cmds) {
    const flags = c.options.flatMap((o) => [o.long, o.short]).filter((x): x is string => x !== null);
    emit(`    ${q(key(c))}) echo ${q(flags.join(' '))} ;;`);
  }
  emit(
    '  esac',
    '}',
    '',
    '# Status 0 when option $2 of command path $1 takes a value (the next word is that value).',
    `${f}_takes_value() {`,
    '  case "$1|$2" in',
  );
  for (const c of cmds) {
    for (const o of c.options) {
      if (!o.value) continue;
      for (const flag of [o.long, o.short]) if (flag) emit(`    ${q(`${key(c)}|${flag}`)}) return 0 ;;`);
    }
  }
  emit('  esac', '  return 1', '}', '', '# Values of option $2 of command path $1 that start with $3.', `${f}_value() {`, '  case "$1|$2" in');
  for (const c of cmds) {
    for (const o of c.options) {
      const act = o.value && valueAction(f, o.value);
      if (!act) continue;
      const pattern = [o.long, o.short].filter((x): x is string => x !== null).map((flag) => q(`${key(c)}|${flag}`)).join('|');
      emit(`    ${pattern}) ${act} ;;`);
    }
  }
  emit(
    '  esac',
    '}',
    '',
    '# The positional argument number $2 (from 0) of command path $1 starting with $3; status 1 when there is none.',
    `${f}_arg() {`,
    '  case "$1" in',
  );
  for (const c of cmds) {
    if (!c.args.length) continue;
    emit(`    ${q(key(c))})`);
    // An argument that takes any value still returns 0: options are not what goes there.
    c.args.forEach((a, i) => {
      const act = valueAction(f, a);
      emit(`      if (( $2 ${a.variadic ? '>=' : '=='} ${i} )); then ${act ? `${act}; ` : ''}return 0; fi${act ? '' : `  # <${a.name}>: any value`}`);
    });
    emit('      ;;');
  }
  emit(
    '  esac',
    '  return 1',
    '}',
    '',
    `${f}() {`,
    '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} path="" word opt="" name',
    '  local -i i=1 n=0',
    '  COMPREPLY=()',
    '  # Walk the words before the cursor: subcommands extend the path, option values',
    '  # are skipped (bash splits "--opt=value" into "--opt" "=" "value"), and other',
    '  # words count as positional arguments.',
    '  while (( i < COMP_CWORD )); do',
    '    word=${COMP_WORDS[i]}',
    '    if [[ $word == -?* ]]; then',
    '      if [[ ${COMP_WORDS[i+1]} == = ]]; then',
    '        i+=2',
    `      elif ${f}_takes_value "$path" "$word"; then`,
    '        i+=1',
    '      fi',
    `    elif (( n == 0 )) && name=$(${f}_command "$path" "$word"); then`,
    '      path=${path:+$path }$name',
    '    else',
    '      n+=1',
    '    fi',
    '    i+=1',
    '  done',
    '  # The value of an option: "--opt <TAB>", "--opt=<TAB>", "--opt=v<TAB>".',
    '  if [[ $cur == = && $prev == -?* ]]; then',
    '    opt=$prev cur=""',
    '  elif [[ $prev == = && ${COMP_WORDS[COMP_CWORD-2]} == -?* ]]; then',
    '    opt=${COMP_WORDS[COMP_CWORD-2]}',
    `  elif [[ $prev == -?* ]] && ${f}_takes_value "$path" "$prev"; then`,
    '    opt=$prev',
    '  fi',
    '  if [[ -n $opt ]]; then',
    `    ${f}_value "$path" "$opt" "$cur"`,
    '  elif [[ $cur == -* ]]; then',
    `    ${f}_words "$(${f}_options "$path")" "$cur"`,
    `  elif (( n == 0 )) && [[ -n $(${f}_commands "$path") ]]; then`,
    `    ${f}_words "$(${f}_commands "$path")" "$cur"`,
    `  elif ! ${f}_arg "$path" "$n" "$cur"; then`,
    '    # No positional argument expected here: offer the options.',
    `    ${f}_words "$(${f}_options "$path")" "$cur"`,
    '  fi',
    '  return 0',
    '}',
    '',
    `complete -F ${f} ${root.name}`,
    '',
  );
  return lines.join('\n');
}
