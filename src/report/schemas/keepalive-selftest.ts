// `tcpdiag keepalive selftest --json`: KeepaliveData without target and probe.

import { reportSchema } from './envelope.js';
import { KeepaliveData } from './keepalive.js';

export const KeepaliveSelftestData = KeepaliveData.omit({ target: true, probe: true });

export const KeepaliveSelftestReport = reportSchema('keepalive selftest', KeepaliveSelftestData);
