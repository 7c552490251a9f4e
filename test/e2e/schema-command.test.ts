// `tcpdiag schema <report>` prints the JSON Schema files the package ships
// (schemas/), byte for byte; a single executable prints the copies it carries
// (the same test, run against it with TCPDIAG_TEST_CLI).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_REPORTS } from '../../src/cli/commands/schema.js';
import { REPORT_SCHEMAS } from '../../src/report/schemas/index.js';
import { expectUsage, runCli } from '../helpers/cli.js';

const SCHEMAS = join(__dirname, '..', '..', 'schemas');

describe('tcpdiag schema', () => {
  it('knows every schema file the generator writes, and no other', () => {
    expect(SCHEMA_REPORTS.map((n) => `${n}.schema.json`).sort()).toEqual(REPORT_SCHEMAS.map((r) => r.file).sort());
    expect(readdirSync(SCHEMAS).sort()).toEqual(REPORT_SCHEMAS.map((r) => r.file).sort());
  });

  it.each(SCHEMA_REPORTS)('%s: prints schemas/%s.schema.json exactly, exit 0', (report) => {
    const r = runCli(['schema', report]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toBe(readFileSync(join(SCHEMAS, `${report}.schema.json`), 'utf8'));
  });

  it('refuses an unknown report in one line, naming the accepted ones, exit 2', () => {
    expectUsage(['schema', 'keepalive'], /^tcpdiag schema: <report>: expected one of ports, sockets, bind, connect, connect-race, backlog, keepalive-selftest, keepalive-connect, keepalive-listen, doctor, got "keepalive"\n$/);
  });
});
