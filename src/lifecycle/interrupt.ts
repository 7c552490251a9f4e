// Ctrl-C and SIGTERM: every probe registers what it must close (sockets,
// workers, children, namespaces); on a signal all of it is closed, then the
// process exits 130 (128 + SIGINT) as shells expect.

type Cleanup = () => void | Promise<void>;
const cleanups = new Set<Cleanup>();

/** Registers work to undo on interruption; call the returned function once it is undone normally. */
export function onInterrupt(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export function installSignalHandlers(): void {
  let interrupted = false;
  const handle = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130); // a second Ctrl-C does not wait for cleanup
    interrupted = true;
    process.stderr.write(`\ntcpdiag: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}, cleaning up\n`);
    void Promise.allSettled([...cleanups].map((fn) => fn())).then(() => process.exit(130));
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
