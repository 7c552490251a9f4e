// Every command's --json report, and the JSON Schema documents made from them
// (schemas/<name>.schema.json, written by scripts/gen-schemas.mjs). Not part
// of the CLI: only the generator and the tests import this.

import * as z from 'zod';
import { BacklogReport } from './backlog.js';
import { BindReport } from './bind.js';
import { ConnectRaceReport } from './connect-race.js';
import { ConnectReport } from './connect.js';
import { DoctorReport } from './doctor.js';
import { KeepaliveConnectReport } from './keepalive-connect.js';
import { KeepaliveListenReport } from './keepalive-listen.js';
import { KeepaliveSelftestReport } from './keepalive-selftest.js';
import { PortsReport } from './ports.js';
import { SocketsReport } from './sockets.js';

export interface ReportSchema {
  /** The command as the envelope names it. */
  command: string;
  /** File name under schemas/. */
  file: string;
  description: string;
  schema: z.ZodType;
}

const entry = (command: string, description: string, schema: z.ZodType): ReportSchema => ({
  command,
  file: `${command.replace(/ /g, '-')}.schema.json`,
  description,
  schema,
});

export const REPORT_SCHEMAS: readonly ReportSchema[] = [
  entry('ports', 'The ephemeral, excluded/reserved and privileged port ranges of this host, or of captured output (--from).', PortsReport),
  entry('sockets', 'The TCP socket table with owners, accept queues, listen-overflow counters and ephemeral use per destination.', SocketsReport),
  entry('bind', 'Whether a server can listen on a port: listen attempts, holders of the port, and what the port ranges say.', BindReport),
  entry('connect', 'Every resolved address of a host tried on its own, with timings and each error explained.', ConnectReport),
  entry('connect-race', 'Whether pending attempts to a non-answering endpoint hold up other new connections.', ConnectRaceReport),
  entry('backlog', 'A full accept queue reproduced on loopback: what happened to each client.', BacklogReport),
  entry('keepalive selftest', 'Whether the requested keepalive settings detect a dead peer here, and how fast (Linux, root).', KeepaliveSelftestReport),
  entry('keepalive connect', 'One real connection with the requested keepalive, watched until it ends.', KeepaliveConnectReport),
  entry('keepalive listen', 'The server side: accepted connections with the requested keepalive, each watched until it ends.', KeepaliveListenReport),
  entry('doctor', 'Every host-level check at once, each saying what it looked at.', DoctorReport),
];

/** The JSON Schema (draft 2020-12) of one command's report. */
export function jsonSchemaOf(r: ReportSchema): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(r.schema, { target: 'draft-2020-12', unrepresentable: 'throw' }) as Record<string, unknown>;
  return {
    $schema,
    $id: r.file,
    title: `tcpdiag ${r.command} --json`,
    description:
      `${r.description} One JSON document on stdout (README "JSON contract"): the report envelope with this command's data, ` +
      'or, when the command cannot run here (exit 3), the envelope with verdict "error", one "cannot-run" finding and data null. ' +
      'Fields are only added in minor versions, never renamed or removed without a major version.',
    ...body,
  };
}

/** Every schema file: name under schemas/ and its exact text. */
export function schemaFiles(): Array<{ file: string; text: string }> {
  return REPORT_SCHEMAS.map((r) => ({ file: r.file, text: `${JSON.stringify(jsonSchemaOf(r), null, 2)}\n` }));
}
