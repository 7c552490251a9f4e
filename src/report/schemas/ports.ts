// `tcpdiag ports --json` (probes/ports.ts).

import * as z from 'zod';
import type { PortsData as PortsDataType } from '../../probes/ports.js';
import { Sources } from './common.js';
import { reportSchema } from './envelope.js';
import { PortRanges } from './port-ranges.js';
import type { Assert, Same } from './same-type.js';

export const PortsData = PortRanges.extend({ sources: Sources.optional() });

type _Ports = Assert<Same<z.infer<typeof PortsData>, PortsDataType>>;

export const PortsReport = reportSchema('ports', PortsData);
