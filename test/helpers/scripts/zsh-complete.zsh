# Usage: zsh -f zsh-complete.zsh SCRIPT LINE
# Types LINE and a TAB into a real interactive zsh, run in a pseudo-terminal
# by the zsh/zpty module, that has run compinit and loaded SCRIPT: sourced,
# or, when SCRIPT is a directory, autoloaded from it as an $fpath entry.
# Prints every match the completion system offered, one per line (as compadd
# matched them against the word typed, without prefixes such as a directory).
# zsh error lines seen on the terminal go to stderr.
zmodload zsh/zpty || exit 3
script=$1 line=$2
dir=$(mktemp -d) || exit 3
out=$dir/matches setup=$dir/setup.zsh tty=$dir/tty
: > $out
: > $tty
if [[ -d $script ]]; then
  before="fpath=(${(q)script} \$fpath)" after=''
else
  before='' after="source ${(q)script}"
fi
cat > $setup <<EOS
PS1='' PROMPT='' RPROMPT=''
$before
autoload -Uz compinit && compinit -u -D
$after
# Record what each compadd call offers, then add it as usual. Calls that only
# compute (-O, -A, -D) pass through untouched.
compadd() {
  if [[ \${(j: :)@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then
    builtin compadd "\$@"
    return
  fi
  local -a __hits
  builtin compadd -A __hits "\$@"
  (( \$#__hits )) && print -rl -- \$__hits >> ${(q)out}
  builtin compadd "\$@"
}
_zc_done() { print -r -- '<done>' >> ${(q)out} }
comppostfuncs=(_zc_done)
print -r -- '<ready>' >> ${(q)out}
EOS
# Waits for a marker line in $out, draining the terminal meanwhile so the
# shell never blocks on output; status 1 after about 10 s.
await() {
  local i chunk
  for i in {1..200}; do
    while zpty -r -t z chunk 2>/dev/null; do print -rn -- $chunk >> $tty; done
    grep -qx -- $1 $out && return 0
    sleep 0.05
  done
  return 1
}
finish() {
  zpty -d z 2>/dev/null
  # zsh reports errors as "name:line: message" (e.g. "_tcpdiag:26: command not
  # found: ..."), on the terminal right after the text typed.
  tr -d '\r' < $tty | grep -aoE '[_A-Za-z][-_A-Za-z0-9:]*:[0-9]+: .*' >&2
  rm -rf $dir
  exit $1
}
zpty z zsh -f -i || exit 3
zpty -w z "source ${(q)setup}"
await '<ready>' || { print -u2 'zsh did not load the completion script'; finish 3 }
zpty -w -n z "$line"$'\t'
await '<done>' || { print -u2 'the completion did not finish'; finish 3 }
sed -n '/^<ready>$/,/^<done>$/p' $out | grep -vx -e '<ready>' -e '<done>'
finish 0
