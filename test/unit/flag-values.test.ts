// Flag values the same on every command (issue #20): durations with units and
// bare numbers as seconds, ports as numbers or IANA service names, HOST:PORT.
import { readFileSync, existsSync } from 'node:fs';
import * as z from 'zod/mini';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDurationFlag, parseDurationMs } from '../../src/cli/duration.js';
import { parseHostPort } from '../../src/cli/host-port.js';
import { durationSchema, parsePort, portSchema, wholeSecondsSchema } from '../../src/cli/option-schemas.js';
import { validateOptions } from '../../src/cli/validate.js';
import { servicePortOf } from '../../src/net/services.js';
import { SERVICES_SOURCE, TCP_SERVICES } from '../../src/net/services-table.js';

const parse = <T>(schema: z.ZodMiniType<T>, value: string) => validateOptions(z.object({ v: schema }), { v: value });

describe('durations', () => {
  it.each([
    ['200ms', 200], ['1s', 1000], ['1.5s', 1500], ['2m', 120_000], ['2min', 120_000], ['1h', 3_600_000], ['.5s', 500],
    // A bare number is seconds, as these flags took it before units.
    ['2', 2000], ['0.25', 250], [' 3s ', 3000],
  ])('%s is %d ms', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', '-1s', '1 s', '1sec', 's', '1e3', 'ms', '1.s', 'Infinity'])('"%s" is no duration', (text) => expect(parseDurationMs(text)).toBeNull());

  it('bounds are said as a user types them', () => {
    expect([0, 100, 5000, 120_000, 300_000, 3_600_000, 86_400_000, 32_767_000].map(formatDurationFlag)).toEqual(['0s', '100ms', '5s', '2m', '5m', '1h', '24h', '32767s']);
  });

  it('a duration flag names the value, the form and the bounds', () => {
    expect(parse(durationSchema(0, 120_000), '2m')).toEqual({ v: 120_000 });
    expect(() => parse(durationSchema(0, 120_000), '3m')).toThrow('--v: expected a duration from 0s to 2m, got "3m" (more than 2m)');
    expect(() => parse(durationSchema(100, 60_000), '2m')).toThrow('--v: expected a duration from 100ms to 1m, got "2m" (more than 1m)');
    expect(() => parse(durationSchema(100, 60_000), '10ms')).toThrow('--v: expected a duration from 100ms to 1m, got "10ms" (less than 100ms)');
    expect(() => parse(durationSchema(100, 60_000), '2 minutes')).toThrow('--v: expected a duration like 500ms, 2s or 2m (a bare number is seconds), from 100ms to 1m, got "2 minutes"');
  });

  it('whole seconds take units too, and refuse what the OS would truncate', () => {
    expect(parse(wholeSecondsSchema(1, 32767, 'an idle time'), '2m')).toEqual({ v: 120 });
    expect(parse(wholeSecondsSchema(1, 32767, 'an idle time'), '30')).toEqual({ v: 30 });
    expect(parse(wholeSecondsSchema(1, 32767, 'an idle time'), '3000ms')).toEqual({ v: 3 });
    expect(() => parse(wholeSecondsSchema(1, 32767, 'an idle time'), '1500ms')).toThrow(/expected an idle time in whole seconds, like 30s or 2m \(a bare number is seconds\), from 1s to 32767s, got "1500ms"/);
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const ms = parseDurationMs(s);
      expect(ms === null || (Number.isFinite(ms) && ms >= 0)).toBe(true);
    }));
  });
});

describe('ports and service names', () => {
  it.each([['443', 443], ['https', 443], ['HTTPS', 443], ['www', 80], ['postgres', 5432], ['postgresql', 5432], ['ssh', 22], ['http-alt', 8080], ['mysql', 3306]])('%s is port %d', (text, port) =>
    expect(parse(portSchema, text)).toEqual({ v: port }));

  it('a number out of range is said as one; an unknown name as a name', () => {
    expect(() => parse(portSchema, '70000')).toThrow('--v: expected a port number from 1 to 65535, got "70000"');
    expect(() => parse(portSchema, '0')).toThrow('got "0"');
    expect(() => parse(portSchema, 'htps')).toThrow('--v: expected a port number from 1 to 65535 or a TCP service name (https, postgresql, ...), got "htps"');
  });

  it('Object.prototype names are not services', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(parsePort(name)).toBeNull();
  });

  it('a name on two ports is the first, as getservbyname reads the file', () => {
    // /etc/services: "acr-nema 104/tcp dicom" comes before "dicom 11112/tcp".
    expect(servicePortOf('dicom')).toBe(104);
    expect(servicePortOf('acr-nema')).toBe(104);
    expect(servicePortOf('https')).toBe(443);
  });

  it('the table names its source and is what that file says, where this host has it', () => {
    expect(SERVICES_SOURCE).toMatch(/^\/etc\/services of Debian's netbase \d/);
    if (!existsSync('/etc/services')) return;
    // Every TCP line of the file maps to its port (first one wins for a repeated name).
    const seen = new Set<string>();
    for (const raw of readFileSync('/etc/services', 'utf8').split('\n')) {
      const [name, portProto, ...aliases] = raw.replace(/#.*/, '').trim().split(/\s+/);
      const m = /^(\d+)\/tcp$/.exec(portProto ?? '');
      if (!m) continue;
      for (const n of [name!, ...aliases]) {
        if (seen.has(n)) continue;
        seen.add(n);
        expect(servicePortOf(n), n).toBe(Number(m[1]));
      }
    }
    expect(seen.size).toBeGreaterThan(200);
    expect(TCP_SERVICES.split(' ').length).toBeGreaterThan(200);
  });
});

describe('HOST:PORT', () => {
  it.each([
    ['10.0.0.5:443', '10.0.0.5', 443],
    ['[::1]:8080', '::1', 8080],
    ['db.internal:postgresql', 'db.internal', 5432],
    ['[fe80::1%eth0]:https', 'fe80::1%eth0', 443],
    ['::1:8080', '::1', 8080],
  ])('%s', (text, host, port) => expect(parseHostPort(text, '--control')).toEqual({ host, port }));

  it.each(['127.0.0.1', '127.0.0.1:', '127.0.0.1:0', '127.0.0.1:nosuch', ':80x', '[::1]'])('refuses "%s" naming the flag', (text) =>
    expect(() => parseHostPort(text, '--probe')).toThrow(new RegExp(`^--probe: expected HOST:PORT with a port from 1 to 65535 or a service name .*got "${text.replace(/[[\].]/g, '\\$&')}"$`)));
});
