// The one place that chooses an OS backend (DESIGN.md). Everything else asks
// the backend, so a new OS is a new file here, not checks spread around.

import { CannotRunError } from '../report/errors.js';
import type { OsBackend } from './backend.js';
import { createBsdBackend } from './bsd/backend.js';
import { createLinuxBackend } from './linux/backend.js';
import { createWin32Backend } from './windows/backend.js';

export function getOsBackend(platform: NodeJS.Platform = process.platform): OsBackend {
  switch (platform) {
    case 'linux':
      return createLinuxBackend();
    case 'darwin':
    case 'freebsd':
      return createBsdBackend(platform);
    case 'win32':
      return createWin32Backend();
    default:
      throw new CannotRunError(`tcpdiag has no backend for ${platform}; it runs on Linux, macOS, Windows and FreeBSD`, [
        'analyse captured output offline with --from FILE',
      ]);
  }
}
