// schemas/*.schema.json: committed, identical to what the generator writes
// from src/report/schemas/, valid draft 2020-12, and strict enough to reject
// a report that does not follow the contract. Real CLI output is validated in
// test/e2e/json-schemas.test.ts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_SCHEMAS, schemaFiles } from '../../src/report/schemas/index.js';
import { SCHEMAS_DIR, expectInvalid, expectValid, loadSchemaFiles, schemaFileNames } from '../helpers/json-schemas.js';

const COMMANDS = ['ports', 'sockets', 'bind', 'connect', 'connect-race', 'backlog', 'keepalive selftest', 'keepalive connect', 'keepalive listen', 'doctor'];

describe('schemas/*.schema.json', () => {
  it('are exactly what src/report/schemas generates (run `npm run schemas` after changing a schema)', () => {
    const generated = schemaFiles();
    expect(schemaFileNames()).toEqual(generated.map((f) => f.file).sort());
    for (const f of generated) expect(readFileSync(join(SCHEMAS_DIR, f.file), 'utf8'), f.file).toBe(f.text);
  });

  it('the generator script agrees (--check exits 0)', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'gen-schemas.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('cover every command, one file each, with $id, title and description', () => {
    expect(REPORT_SCHEMAS.map((r) => r.command).sort()).toEqual([...COMMANDS].sort());
    for (const f of schemaFileNames()) {
      const s = JSON.parse(readFileSync(join(SCHEMAS_DIR, f), 'utf8'));
      expect(s).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: f, title: expect.stringMatching(/^tcpdiag .+ --json$/), description: expect.any(String) });
    }
  });

  it('compile in a strict draft 2020-12 validator', () => {
    expect(() => loadSchemaFiles()).not.toThrow();
  });
});

// Hand-made reports: valid ones first (so the rejections below are for the
// one thing changed), then the same with one thing wrong.
const envelope = (command: string, data: unknown) => ({
  tool: 'tcpdiag',
  version: '0.1.0',
  command,
  platform: { os: 'linux', release: '6.18.0', node: 'v20.20.2' },
  startedAt: '2026-11-22T10:00:00.000Z',
  durationMs: 12.4,
  verdict: 'problem',
  summary: 'something',
  findings: [{ code: 'port-in-ephemeral-range', severity: 'warning', message: 'm', remedy: ['sudo sysctl -w net.ipv4.ip_local_reserved_ports=43611'] }],
  notJudged: ['the reserved ports of another network namespace'],
  data,
});

const portsData = () => ({
  os: 'linux',
  ephemeral: [{ protocol: null, family: null, start: 32768, end: 60999, count: 28232, allocator: 'default', source: '/proc/sys/net/ipv4/ip_local_port_range' }],
  reserved: [],
  privileged: { below: 1024, source: '/proc/sys/net/ipv4/ip_unprivileged_port_start' },
  readFrom: ['/proc/sys/net/ipv4/ip_local_port_range'],
  notes: [],
});

const row = () => ({
  protocol: 'tcp',
  family: 'ipv4',
  local: { address: '0.0.0.0', port: 22 },
  remote: { address: '0.0.0.0', port: 0 },
  state: 'LISTEN',
  pid: 1,
  process: 'sshd',
  owner: 'found',
  acceptQueue: { length: 0, max: 128 },
});

const socketsData = () => ({
  rows: [row()],
  matched: 1,
  total: 1,
  filters: {},
  states: { LISTEN: 1 },
  owners: { collected: true, found: 1, hidden: 0, none: 0, notCollected: 0 },
  listenCounters: { sinceBoot: null, sample: null },
  ephemeralUsage: { range: null, clientSockets: 0, destinations: [] },
  readFrom: ['netlink sock_diag'],
  notes: [],
});

const cannotRun = (command: string) => ({
  ...envelope(command, null),
  verdict: 'error',
  summary: 'needs root',
  findings: [{ code: 'cannot-run', severity: 'error', message: 'needs root', remedy: [] }],
});

describe('the schema files reject reports that break the contract', () => {
  const ajv = loadSchemaFiles();

  it('accepts the hand-made reports these cases start from', () => {
    expectValid(ajv, 'ports', envelope('ports', portsData()));
    expectValid(ajv, 'sockets', envelope('sockets', socketsData()));
    expectValid(ajv, 'doctor', cannotRun('doctor'));
  });

  it('a field the schema does not know, in the envelope or in data', () => {
    expectInvalid(ajv, 'ports', { ...envelope('ports', portsData()), extra: 1 }, /must NOT have additional properties/);
    expectInvalid(ajv, 'ports', envelope('ports', { ...portsData(), extra: 1 }), /must NOT have additional properties/);
    expectInvalid(ajv, 'ports', { ...envelope('ports', portsData()), notJudged: [1] }, /must be string/);
    expectInvalid(ajv, 'sockets', envelope('sockets', { ...socketsData(), rows: [{ ...row(), flags: 'x' }] }), /must NOT have additional properties/);
  });

  it('a missing field', () => {
    const { notes: _notes, ...data } = portsData();
    expectInvalid(ajv, 'ports', envelope('ports', data), /must have required property 'notes'/);
  });

  it('a verdict, severity, state or finding code outside the contract', () => {
    expectInvalid(ajv, 'ports', { ...envelope('ports', portsData()), verdict: 'failed' }, /must be equal to one of the allowed values/);
    expectInvalid(ajv, 'ports', { ...envelope('ports', portsData()), findings: [{ code: 'x', severity: 'fatal', message: 'm', remedy: [] }] });
    expectInvalid(ajv, 'ports', { ...envelope('ports', portsData()), findings: [{ code: 'Not_Kebab', severity: 'info', message: 'm', remedy: [] }] }, /must match pattern/);
    expectInvalid(ajv, 'sockets', envelope('sockets', { ...socketsData(), rows: [{ ...row(), state: 'LISTENING' }] }));
  });

  it('a wrong type, a port out of range, a bad timestamp', () => {
    expectInvalid(ajv, 'ports', envelope('ports', { ...portsData(), readFrom: 'x' }), /must be array/);
    expectInvalid(ajv, 'sockets', envelope('sockets', { ...socketsData(), rows: [{ ...row(), local: { address: '::', port: 70000 } }] }));
    expectInvalid(ajv, 'ports', { ...envelope('ports', portsData()), startedAt: 'yesterday' }, /must match format "date-time"/);
  });

  it('another command\'s report', () => {
    expectInvalid(ajv, 'sockets', envelope('ports', portsData()));
    expectInvalid(ajv, 'ports', envelope('sockets', portsData()), /must be equal to constant/);
  });

  it('a cannot-run report with data, another verdict, or another finding', () => {
    expectInvalid(ajv, 'doctor', { ...cannotRun('doctor'), data: {} });
    expectInvalid(ajv, 'doctor', { ...cannotRun('doctor'), verdict: 'ok' });
    expectInvalid(ajv, 'doctor', { ...cannotRun('doctor'), findings: [] });
    expectInvalid(ajv, 'doctor', { ...cannotRun('doctor'), findings: [{ code: 'port-in-use', severity: 'error', message: 'm', remedy: [] }] });
  });
});
