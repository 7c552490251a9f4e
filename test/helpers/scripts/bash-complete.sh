# Usage: bash --norc --noprofile bash-complete.sh SCRIPT LINE
# Sources the completion SCRIPT into this real bash and calls the function it
# registered (`complete -p`) the way readline does for LINE with the cursor at
# its end: COMP_WORDS split at blanks and at "=" (a COMP_WORDBREAKS character,
# so "--state=LIS" is "--state" "=" "LIS"), COMP_CWORD, COMP_LINE, COMP_POINT,
# and the arguments command, current word, previous word. Prints COMPREPLY,
# one per line.
source "$1" || exit 3
line=$2
spec=$(complete -p "${line%% *}") || exit 3
[[ $spec =~ -F\ ([^ ]+) ]] || { echo "no completion function in: $spec" >&2; exit 3; }
read -ra COMP_WORDS <<< "${line//=/ = }"
[[ $line == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=$line
COMP_POINT=${#line}
COMPREPLY=()
"${BASH_REMATCH[1]}" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
if ((${#COMPREPLY[@]})); then printf '%s\n' "${COMPREPLY[@]}"; fi
