// `tcpdiag keepalive connect <host> <port> --json`: KeepaliveData with target and probe.

import { reportSchema } from './envelope.js';
import { KeepaliveData } from './keepalive.js';

export const KeepaliveConnectData = KeepaliveData.required({ target: true, probe: true });

export const KeepaliveConnectReport = reportSchema('keepalive connect', KeepaliveConnectData);
