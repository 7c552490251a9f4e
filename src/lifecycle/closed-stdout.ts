// A reader that stops early (`tcpdiag sockets --json | head`) closes the
// pipe, and Node reports EPIPE as an unhandled 'error' with a stack trace.
// The rest of the output has nowhere to go, which is not a failure of the
// command: later writes are dropped and the command ends with its own exit
// code, as if the whole output had been read.

export function tolerateClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}
