// The report envelope every command prints with --json (report/types.ts,
// report/envelope.ts), and the document a command prints when it cannot run
// (run-command.ts: a CannotRunError gives verdict "error", one "cannot-run"
// finding and data null).
//
// Only the schema generator and the tests import these modules: the CLI
// itself uses zod/mini, and full zod must stay out of its bundle.

import * as z from 'zod';
import type { makeCannotRunReport } from '../envelope.js';
import type { Finding as FindingType, Report } from '../types.js';
import type { Assert, Same } from './same-type.js';

export const Verdict = z
  .enum(['ok', 'problem', 'inconclusive', 'error'])
  .describe('ok: nothing wrong (exit 0); problem: something found (exit 1); inconclusive: the measurement could not decide (exit 4); error: the command could not run here (exit 3)');

export const Severity = z.enum(['info', 'warning', 'error']).describe('info explains and does not make the verdict "problem"; warning and error do (unless a command says otherwise)');

export const Finding = z
  .strictObject({
    code: z
      .string()
      .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/)
      .describe('Stable kebab-case identifier that scripts match on. New codes appear in minor versions: treat unknown codes by their severity.'),
    severity: Severity,
    message: z.string().describe('What was found, in words.'),
    remedy: z.array(z.string()).describe('Copy-pasteable commands or steps for the OS the data came from; empty when there is nothing to run.'),
  })
  .meta({ id: 'Finding', title: 'Finding' });

const Platform = z
  .strictObject({
    os: z.string().describe("Node's process.platform of the host that ran tcpdiag (linux, darwin, win32, freebsd, ...); with --from the data may come from another OS."),
    release: z.string().describe('The OS release (os.release()).'),
    node: z.string().describe('The Node.js version, e.g. "v20.20.2".'),
  })
  .meta({ id: 'Platform', title: 'Platform', description: 'Where tcpdiag ran.' });

/** The envelope without `data`, with `command` as any string: checked against report/types.ts. */
export const EnvelopeBase = z.strictObject({
  tool: z.literal('tcpdiag'),
  version: z.string().describe('The tcpdiag version that wrote the report.'),
  command: z.string().describe('The command that ran, e.g. "sockets" or "keepalive selftest".'),
  platform: Platform,
  startedAt: z.iso.datetime().describe('When the command started (ISO 8601, UTC).'),
  durationMs: z.number().min(0).describe('How long the command ran, in milliseconds.'),
  verdict: Verdict,
  summary: z.string().describe('One line for a person.'),
  findings: z.array(Finding).describe('What the command found and how to fix it; may be empty.'),
  notJudged: z
    .array(z.string())
    .describe(
      'What the verdict did not judge and why, as sentences for a person: rows or sections of a --from input that could not be read (where and why), a part an answer needs that the input lacks. Empty when the verdict rests on everything it was asked about; a verdict "ok" never comes with entries here.',
    ),
});

type _Envelope = Assert<Same<z.infer<typeof EnvelopeBase>, Omit<Report, 'data'>>>;
type _Finding = Assert<Same<z.infer<typeof Finding>, FindingType>>;

const CannotRunFinding = z.strictObject({
  code: z.literal('cannot-run'),
  severity: z.literal('error'),
  message: z.string().describe('Why the command cannot run here.'),
  remedy: z.array(z.string()).describe('What would let it run ("run as root", "needs Linux", ...); may be empty.'),
});

/** The report of one command: its normal envelope with `data`, or the cannot-run envelope. */
export function reportSchema<D extends z.ZodType>(command: string, data: D) {
  const normal = EnvelopeBase.extend({ command: z.literal(command), data });
  const cannotRun = EnvelopeBase.extend({
    command: z.literal(command),
    verdict: z.literal('error'),
    findings: z.tuple([CannotRunFinding]).describe('Exactly one finding, "cannot-run", saying why.'),
    data: z.null().describe('No data: the command could not run.'),
  });
  return z.union([normal.describe(`The report of tcpdiag ${command}.`), cannotRun.describe(`tcpdiag ${command} could not run here (exit 3): verdict "error", one "cannot-run" finding, data null.`)]);
}

/** A compile-time check that a cannot-run report's data is null, as the schema above says. */
type _CannotRunData = Assert<Same<ReturnType<typeof makeCannotRunReport>['data'], null>>;
