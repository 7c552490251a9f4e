// The hidden command's name alone, so the CLI's entry can recognise it
// without loading the self-check (and koffi's loader) on every start.
export const SELF_CHECK_COMMAND = '__self-check';
