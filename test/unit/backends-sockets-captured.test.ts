// The Windows and macOS backends' socket tables composed from their tools'
// captured output (those hosts cannot exist here).
import { describe, expect, it } from 'vitest';
import { createBsdBackend } from '../../src/os/bsd/backend.js';
import { parseTasklistCsv } from '../../src/os/parse/tasklist-csv.js';
import { createWin32Backend } from '../../src/os/windows/backend.js';
import { CannotRunError } from '../../src/report/errors.js';
import { fixture } from '../helpers/fixtures.js';

describe('tasklist /fo csv', () => {
  it('maps PIDs to image names, with or without the header, skipping the INFO notice', () => {
    expect(parseTasklistCsv(fixture('windows-tasklist', 'en-header-system-registry.txt'))).toEqual(new Map([[0, 'System Idle Process'], [4, 'System'], [124, 'Registry']]));
    expect(parseTasklistCsv(fixture('windows-tasklist', 'en-nh-rows-and-info-notice.txt'))).toEqual(new Map([[5144, 'explorer.exe'], [0, 'System Idle Process']]));
  });
});

describe('Windows backend sockets', () => {
  it('reads netstat -ano and names processes from tasklist', async () => {
    const calls: string[] = [];
    const backend = createWin32Backend(async (file, args) => {
      calls.push([file, ...args].join(' '));
      return file === 'netstat' ? fixture('windows-netstat', 'en-ano-win7.txt') : fixture('windows-tasklist', 'en-header-system-registry.txt');
    });
    const table = await backend.readSocketTable();
    expect(calls).toEqual(['netstat -ano']);
    const system = table.rows.filter((r) => r.pid === 4);
    expect(system.length).toBeGreaterThan(0);
    expect(system.every((r) => r.process === null)).toBe(true);
    await backend.resolveOwners!(table.rows);
    expect(calls).toEqual(['netstat -ano', 'tasklist /fo csv /nh']);
    expect(system.every((r) => r.process === 'System')).toBe(true);
    expect(table.rows.filter((r) => r.pid !== null && r.pid !== 4).every((r) => r.process === null)).toBe(true);
  });
});

describe('live output tcpdiag cannot read', () => {
  it('is "could not run" (exit 3), not bad input', async () => {
    const backend = createWin32Backend(async () => '  TCP    0.0.0.0:135    0.0.0.0:0    WEIRDSTATE    1040\r\n');
    const err = await backend.readSocketTable().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CannotRunError);
    expect((err as Error).message).toBe('could not read the output of netstat -ano: windows netstat: line 1: unknown state "WEIRDSTATE": "TCP    0.0.0.0:135    0.0.0.0:0    WEIRDSTATE    1040"');
  });
});

describe('macOS backend sockets', () => {
  it('reads netstat -anv -p tcp', async () => {
    const backend = createBsdBackend('darwin', async (file, args) => {
      expect([file, ...args]).toEqual(['netstat', '-anv', '-p', 'tcp']);
      return fixture('macos-netstat', 'macos-26-anv-process-pid.txt');
    });
    const table = await backend.readSocketTable();
    expect(table.rows.length).toBeGreaterThan(0);
    expect(table.rows[0]).toMatchObject({ pid: 22712, process: 'Autodesk Fusion', owner: 'found' });
  });
});
