// reg query output and .reg exports (test/fixtures/windows-registry/SOURCES
// names each sample). The Wine samples show Wine's reg.exe / regedit: their
// layout is the one Windows documents and prints, but they are no evidence of
// Windows behaviour beyond that.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/input/read-captured.js';
import { parseRegistryText, registryScope, scopeCovers, type RegistryValue } from '../../src/os/parse/windows-registry.js';
import { opensRegistry } from '../../src/os/parse/registry-section.js';
import { splitLines } from '../../src/os/parse/text.js';
import { FIXTURES, fixture, fixtureNames } from '../helpers/fixtures.js';
import { orParseError } from '../helpers/or-parse-error.js';

const TCPIP = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters';
const read = (name: string) => decodeText(readFileSync(join(FIXTURES, 'windows-registry', name)))!;
const byName = (values: RegistryValue[], key: string) => new Map(values.filter((v) => v.key === key).map((v) => [v.name, v]));

describe('reg query output', () => {
  it('reads the values of a /s query per key, with hex DWORDs as numbers (Wine 8.0 reg.exe)', () => {
    const r = parseRegistryText(read('wine-8.0-reg-query-s.txt'));
    expect(r.format).toBe('reg-query');
    expect(r.keys).toEqual([TCPIP, `${TCPIP}\\Interfaces`, `${TCPIP}\\Interfaces\\{7d3c4f1e-0f4e-4e8a-9d52-3c1b2a5e6f70}`]);
    const p = byName(r.values, TCPIP);
    expect(p.get('TcpTimedWaitDelay')).toMatchObject({ type: 'REG_DWORD', data: 0xffffffff });
    expect(p.get('EnablePMTUDiscovery')).toMatchObject({ type: 'REG_DWORD', data: 255 });
    expect(p.get('SearchList')).toMatchObject({ type: 'REG_MULTI_SZ', data: ['a.example', 'b.example'] });
    // "    Domain    REG_SZ    " with nothing after the type: an empty string, not a missing value.
    expect(p.get('Domain')).toMatchObject({ type: 'REG_SZ', data: '' });
    expect(p.get('DataBasePath')?.data).toBe('C:\\windows\\system32\\drivers\\etc');
    expect(byName(r.values, `${TCPIP}\\Interfaces`).get('TcpAckFrequency')?.data).toBe(1);
  });

  it('spells HKLM out, reads a value name with spaces, and skips the prompt and the search summary', () => {
    const text = ['C:\\>reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /f Host', '', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters', '    NV Hostname    REG_SZ    DESKTOP-1', '    Hostname    REG_SZ    DESKTOP-1', '', 'End of search: 2 match(es) found.', ''].join('\r\n');
    const r = parseRegistryText(text);
    expect(r.values.map((v) => [v.key, v.name, v.data])).toEqual([
      [TCPIP, 'NV Hostname', 'DESKTOP-1'],
      [TCPIP, 'Hostname', 'DESKTOP-1'],
    ]);
  });

  it('keeps a REG_QWORD Wine prints as "(null)" as a value without a number', () => {
    const r = parseRegistryText(`\r\n${TCPIP}\r\n    Big    REG_QWORD    (null)\r\n    Ok    REG_QWORD    0x100000000\r\n`);
    expect(r.values.map((v) => v.data)).toEqual([null, 2 ** 32]);
  });

  it('refuses a value line before any key, and text that is not reg query output, naming the line', () => {
    expect(() => parseRegistryText('    X    REG_DWORD    0x1\n')).toThrow(/line 1: a value line before any HKEY/);
    expect(() => parseRegistryText(`${TCPIP}\n    X    REG_DWORD    0x1\nsomething else\n`)).toThrow(/line 3: neither a registry key/);
  });

  it('a DWORD too large for 32 bits is a value not read, with its line; the others are read', () => {
    expect(parseRegistryText(`${TCPIP}\n    X    REG_DWORD    0x100000000\n    Y    REG_DWORD    0x1\n`)).toMatchObject({ values: [{ name: 'Y', data: 1 }], unread: [{ line: 2, reason: 'X: 0x100000000 does not fit a REG_DWORD' }] });
  });
});

describe('.reg exports', () => {
  it('reads a UTF-16LE export with a BOM as regedit writes it, with hex(7) continuation lines (Wine 8.0 regedit)', () => {
    const bytes = readFileSync(join(FIXTURES, 'windows-registry', 'wine-8.0-regedit-export-utf16le.reg'));
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    const r = parseRegistryText(decodeText(bytes)!);
    expect(r.format).toBe('reg-export');
    const p = byName(r.values, TCPIP);
    expect(p.get('SearchList')).toMatchObject({ type: 'REG_MULTI_SZ', data: ['a.example', 'b.example'] });
    expect(p.get('KeepAliveTime')).toMatchObject({ type: 'REG_DWORD', data: 0xffffffff });
    expect(p.get('DataBasePath')?.data).toBe('C:\\windows\\system32\\drivers\\etc');
  });

  it('gives the same values for the reg query and the export of the same prefix', () => {
    const strip = (vs: RegistryValue[]) => vs.map(({ key, name, type, data }) => ({ key, name, type, data }));
    const q = parseRegistryText(read('wine-8.0-reg-query-s.txt'));
    const e = parseRegistryText(read('wine-8.0-regedit-export-utf16le.reg'));
    expect(strip(e.values)).toEqual(strip(q.values));
  });

  it('reads a real Windows 10 export of ControlSet001: hex(2) strings, hex blobs, empty keys', () => {
    const r = parseRegistryText(read('win10-tweaked-controlset001-export.reg'));
    const key = 'HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters';
    const p = byName(r.values, key);
    expect(p.get('DataBasePath')).toMatchObject({ type: 'REG_EXPAND_SZ', data: '%SystemRoot%\\System32\\drivers\\etc' });
    expect(p.get('NV Hostname')?.data).toBe('DESKTOP-05D0CL2');
    expect(p.get('TcpNumConnections')?.data).toBe(0xfffffe);
    expect(p.get('DhcpInterfaceOptions')?.type).toBe('REG_BINARY');
    expect(r.keys).toContain(`${key}\\Interfaces\\{0a5f139c-1c50-11ed-9b5a-806e6f6e6963}`);
    expect(byName(r.values, `${key}\\Interfaces\\{75847956-c857-4701-8cb0-05c491aa0a4f}`).get('DhcpDefaultGateway')?.data).toEqual(['192.168.1.1']);
  });

  it('reads REGEDIT4 files and snippets without a header, short hex dwords as hex, a trailing backslash on the key', () => {
    expect(byName(parseRegistryText(read('nmap-performance-regedit4.reg')).values, TCPIP).get('MaxUserPort')?.data).toBe(0xfffe);
    const z = byName(parseRegistryText(read('jmeter-zh-snippet-short-hex.reg')).values, TCPIP);
    expect([z.get('MaxUserPort')?.data, z.get('MaxFreeTcbs')?.data, z.get('MaxHashTableSize')?.data]).toEqual([0xfffe, 2000, 0x10000]);
    // dword data is hexadecimal: "00065534" is 0x65534, not decimal 65534.
    expect(byName(parseRegistryText(read('blog-snippet-maxuserport-decimal-as-hex.reg')).values, TCPIP).get('MaxUserPort')?.data).toBe(0x65534);
  });

  it('marks "name"=- as deleting the value and [-KEY] as deleting the key', () => {
    const r = parseRegistryText(`REGEDIT4\n[${TCPIP}]\n"MaxUserPort"=-\n[-HKLM\\SYSTEM\\X]\n`);
    expect(r.values).toEqual([{ key: TCPIP, name: 'MaxUserPort', type: 'REG_NONE', data: null, deleted: true, line: 3 }]);
    expect(r.deletedKeys).toEqual(['HKEY_LOCAL_MACHINE\\SYSTEM\\X']);
  });

  it('a dword regedit would refuse is a value not read, with its line and why; the other values are read', () => {
    expect(parseRegistryText(`REGEDIT4\n[${TCPIP}]\n"X"=dword:123456789\n"Y"=dword:1e\n`)).toMatchObject({
      values: [{ name: 'Y', data: 30, line: 4 }],
      unread: [{ line: 3, reason: 'X: dword:123456789 is not a DWORD (1 to 8 hex digits)' }],
    });
    expect(parseRegistryText(`REGEDIT4\n[${TCPIP}]\n"X"=dword:0x1e\n`).unread).toEqual([{ line: 3, reason: 'X: dword:0x1e is not a DWORD (1 to 8 hex digits)' }]);
    // A line that is no value at all is still no .reg text.
    expect(() => parseRegistryText(`REGEDIT4\nX=1\n`)).toThrow(/line 2: expected "name"=value/);
  });

  it('reads an export under the command that printed it (`C:\\>type tcpip.reg`): the command line says nothing of the format', () => {
    const r = parseRegistryText(`C:\\Users\\x>type tcpip.reg\n${read('nmap-performance-regedit4.reg')}`);
    expect(r.format).toBe('reg-export');
    expect(r.values.map((v) => [v.name, v.data, v.line])).toEqual([['MaxUserPort', 0xfffe, 4], ['TcpTimedWaitDelay', 30, 5], ['StrictTimeWaitSeqCheck', 1, 6]]);
  });
});

describe('format detection (the section reader\'s opener, the one detector)', () => {
  const opensSomewhere = (text: string) => splitLines(text).some((_, i, lines) => opensRegistry(lines, i));
  it('recognises every sample, and not a netstat table or sysctl output', () => {
    for (const name of fixtureNames('windows-registry')) expect(opensSomewhere(read(name)), name).toBe(true);
    expect(opensSomewhere(fixture('windows-netstat', 'en-ano-win7.txt'))).toBe(false);
    expect(opensSomewhere('net.ipv4.tcp_keepalive_time = 7200\n')).toBe(false);
  });
});

describe('the registry parser never crashes', () => {
  const samples = fixtureNames('windows-registry').map(read);
  it('on real samples cut short or with lines dropped', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.array(fc.nat(), { maxLength: 5 }), fc.nat(), (text, drops, cut) => {
        const lines = text.split('\n');
        for (const d of drops) lines.splice(d % (lines.length || 1), 1);
        const r = orParseError(() => parseRegistryText(lines.join('\n').slice(0, Math.max(1, text.length - (cut % 200)))));
        if (r !== 'parse-error') expect(Array.isArray((r as { values: unknown[] }).values)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('on text built from registry pieces', () => {
    const piece = fc.constantFrom('REGEDIT4', 'Windows Registry Editor Version 5.00', `[${TCPIP}]`, '[-HKLM\\X]', '"A"=dword:1', '"B"=hex(7):61,00,00,00,\\', '  00,00', '"C"="x\\"y"', '@=-', TCPIP, '    V    REG_DWORD    0xZZ', '    W    REG_SZ', ';c', '', '"D"=hex(b):01', '"E"=hex:zz');
    fc.assert(fc.property(fc.array(piece, { maxLength: 10 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => void orParseError(() => parseRegistryText(lines.join(eol)))), { numRuns: 2000 });
  });
});

describe('what a capture shows, from the command line above it', () => {
  const values = parseRegistryText(read('wine-8.0-reg-query-s.txt')).values;
  const one = values.filter((v) => v.name === 'KeepAliveTime' && v.key === TCPIP);
  it('/v NAME: that value alone, no subkey; /ve the default value; /f or a pipe: the values printed', () => {
    expect(registryScope('reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /v KeepAliveTime', one)).toEqual({ key: TCPIP, names: ['KeepAliveTime'], subkeys: false, command: 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /v KeepAliveTime' });
    expect(registryScope('REG.EXE QUERY "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters" /ve', [])!.names).toEqual(['']);
    expect(registryScope('reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /s /f KeepAlive', one)).toMatchObject({ names: ['KeepAliveTime'], subkeys: true });
    expect(registryScope('reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /s | findstr Keep', one)).toMatchObject({ names: ['KeepAliveTime'], subkeys: true });
  });
  it('without /s: every value of the key, none of its subkeys; with /s: whole (the subkeys too)', () => {
    const key = registryScope('reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters', values)!;
    expect(scopeCovers(key, TCPIP, 'KeepAliveInterval')).toBe(true);
    expect(scopeCovers(key, `${TCPIP}\\Interfaces\\{x}`, 'TcpAckFrequency')).toBe(false);
    const s = registryScope('reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /s', values)!;
    expect(scopeCovers(s, `${TCPIP.replace('CurrentControlSet', 'ControlSet001')}\\Interfaces\\{x}`, 'TcpAckFrequency')).toBe(true);
  });
  it('no reg query command line: read whole, unless the key shows one value alone (a /v paste or a one-line snippet)', () => {
    expect(registryScope(undefined, values)).toBeNull();
    expect(registryScope('type tcpip.reg', values)).toBeNull();
    expect(registryScope(undefined, one)).toEqual({ key: TCPIP, names: ['KeepAliveTime'], subkeys: false, command: null });
  });
});
