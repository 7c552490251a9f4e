// `tcpdiag doctor --json` (probes/doctor.ts). Check ids and finding codes are
// not enumerated: new checks and codes appear in minor versions.

import * as z from 'zod';
import type { DoctorData as DoctorDataType } from '../../probes/doctor.js';
import { Finding, reportSchema } from './envelope.js';
import type { Assert, Same } from './same-type.js';

export const DoctorData = z.strictObject({
  checks: z.array(
    z.strictObject({
      id: z.string().describe('Stable identifier of the check, e.g. "port-ranges"; new checks appear in minor versions.'),
      title: z.string(),
      status: z.enum(['ok', 'problem', 'could-not-run']),
      lookedAt: z.array(z.string()).describe('What the check read: files, commands, counts ("no findings" means "looked and found nothing").'),
      findings: z.array(Finding).describe('This check\'s findings (the envelope\'s findings are all checks\' findings, most severe first).'),
      reason: z.string().optional().describe('Why the check could not run, when it could not.'),
    }),
  ),
});

type _Doctor = Assert<Same<z.infer<typeof DoctorData>, DoctorDataType>>;

export const DoctorReport = reportSchema('doctor', DoctorData);
