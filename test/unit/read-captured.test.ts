// Decoding of --from inputs: what Windows tools and shells really write.
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/input/read-captured.js';
import { fixture } from '../helpers/fixtures.js';

describe('decodeText', () => {
  const sample = fixture('netsh-excludedportrange', 'ko-cmd-winnat-restart-session.txt');

  it('reads UTF-8 as is', () => {
    expect(decodeText(Buffer.from(sample, 'utf8'))).toBe(sample);
  });

  it('reads UTF-16LE with a BOM (PowerShell 5 `>` redirection)', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]))).toBe(sample);
  });

  it('reads UTF-16BE with a BOM', () => {
    const be = Buffer.from(sample, 'utf16le').swap16();
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(sample);
  });

  it('reads UTF-16LE without a BOM', () => {
    const ascii = fixture('netsh-excludedportrange', 'en-docker-publish-all.txt');
    expect(decodeText(Buffer.from(ascii, 'utf16le'))).toBe(ascii);
  });

  it('keeps every byte of a legacy code page (German cmd.exe writes CP850: 0x99 is Ö)', () => {
    const cp850 = Buffer.from([...Buffer.from('  TCP    0.0.0.0:135   0.0.0.0:0   ABH'), 0x99, ...Buffer.from('REN\r\n')]);
    expect(decodeText(cp850)).toBe('  TCP    0.0.0.0:135   0.0.0.0:0   ABH\u0099REN\r\n');
  });

  it('refuses binary data', () => {
    expect(decodeText(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x03]))).toBeNull();
  });
});
