// The compressed archives next to the executables: .tar.gz for Linux and
// macOS (keeps the executable bit), .zip for Windows (Explorer, Expand-Archive
// and tar.exe open it). Each holds the one executable under its own name.
// Written here rather than by tar/zip commands: the same bytes on every
// machine (fixed owner, mode and time: the commit's), and no zip program to
// install. zlib's default level: level 9 took 4x as long for 0.4% less.

import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

/** A gzipped ustar archive of one file (mode 0755, owner 0:0, mtime in seconds). */
export function tarGz(name, data, mtimeS) {
  const header = Buffer.alloc(512);
  const put = (text, at, len) => header.write(text, at, len, 'latin1');
  const octal = (n, len) => n.toString(8).padStart(len - 1, '0');
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: name too long: ${name}`);
  put(name, 0, 100);
  put(octal(0o755, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(data.length, 12), 124, 12);
  put(octal(mtimeS, 12), 136, 12);
  put('        ', 148, 8); // checksum field counts as blanks while summing
  put('0', 156, 1);
  put('ustar\u000000', 257, 8);
  put('root', 265, 32);
  put('root', 297, 32);
  let sum = 0;
  for (const byte of header) sum += byte;
  put(`${octal(sum, 7)}\u0000 `, 148, 8);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  // Two zero blocks end the archive.
  return gzipSync(Buffer.concat([header, data, padding, Buffer.alloc(1024)]), { level: 6 });
}

/** A zip archive of one deflated file, marked as made on Unix with mode 0755 (unzip keeps it executable). */
export function zip(name, data, mtimeS) {
  const nameBytes = Buffer.from(name, 'utf8');
  const deflated = deflateRawSync(data, { level: 6 });
  const crc = crc32(data);
  const { time, date } = dosTime(mtimeS);
  // ZIP32 limits: the executables are far below 4 GiB.
  if (data.length >= 0xffffffff) throw new Error('zip: file too large for a ZIP32 archive');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed: deflate
  local.writeUInt16LE(0x0800, 6); // UTF-8 name
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(date, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, spec 2.0
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(time, 12);
  central.writeUInt16LE(date, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(((0o100755 << 16) | 0x20) >>> 0, 38); // regular file 0755; DOS archive bit
  central.writeUInt32LE(0, 42); // local header at offset 0
  const centralAt = local.length + nameBytes.length + deflated.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return Buffer.concat([local, nameBytes, deflated, central, nameBytes, end]);
}

/** MS-DOS date and time fields (UTC; two-second resolution; 1980 at the earliest). */
function dosTime(mtimeS) {
  const d = new Date(Math.max(mtimeS * 1000, Date.UTC(1980, 0, 1)));
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
