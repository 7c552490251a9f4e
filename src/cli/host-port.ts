// HOST:PORT flag values (keepalive connect --probe, connect-race --control):
// "10.0.0.5:443", "[::1]:8080", "db.internal:postgresql", and a bare IPv6
// address with a port after its last colon ("::1:8080"). The port may be a
// service name, as everywhere a port is taken.

import { UsageError } from '../report/errors.js';
import { parsePort } from './option-schemas.js';

export function parseHostPort(text: string, flag: string): { host: string; port: number } {
  const m = /^\[(.+)\]:([^:\]]+)$/.exec(text) ?? /^(.+):([^:\]]+)$/.exec(text);
  const port = m ? parsePort(m[2]!) : null;
  if (!m || port === null) {
    throw new UsageError(`${flag}: expected HOST:PORT with a port from 1 to 65535 or a service name (e.g. 10.0.0.5:443, [::1]:8080 or db.internal:postgresql), got "${text}"`);
  }
  return { host: m[1]!, port };
}
