// The hidden command line of connect-race's helper process
// (race/helper-process.ts), apart from the helper itself: the CLI's entry
// checks for it before loading anything else.
export const HELPER_COMMAND = '__race-helper';
