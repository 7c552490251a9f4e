// What people paste (issue #15), read through the entry every --from command
// uses: real captures with names instead of numbers, ss and PowerShell in
// every shape, several outputs with prompts between them, quoted replies and
// code blocks, BSD tables cut by their column width. The test/fixtures/pastes-*
// SOURCES files say where each one came from; every expectation below was read
// off the sample by hand (counts with grep, rows by eye).
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../src/cli/output.js';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import type { Endpoint, SocketRow } from '../../src/os/sockets.js';
import type { Report } from '../../src/report/types.js';
import { countStates } from '../../src/sockets/group.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const read = (folder: string, name: string): Promise<CapturedInput> => parseCapturedInputs({ texts: [{ file: name, text: fixture(folder, name) }], duplicates: [] });
const rowsOf = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : []));

/** A numeric endpoint; n: a host name; nc: a name that fills the column it was cut to; c: a number that may be cut. */
const e = (address: string, port: number): Endpoint => ({ address, port });
const n = (address: string, port: number): Endpoint => ({ address, port, addressIsName: true });
const nc = (address: string, port: number): Endpoint => ({ address, port, addressIsName: true, addressCut: true });
const c = (address: string, port: number): Endpoint => ({ address, port, addressCut: true });

type RowWant = [index: number, local: Endpoint, remote: Endpoint, state: SocketRow['state'], owner?: { pid: number | null; process?: string | null }];

interface Want {
  /** The format of each part, in order; "!" after one marks a part that could not be read. */
  sections: string[];
  count: number;
  states: Record<string, number>;
  /** Rows with an owner named. */
  owners: number;
  /** Lines reported as not read. */
  unread: number[];
  rows: RowWant[];
}

const WANT: Record<string, Record<string, Want>> = {
  'pastes-linux-netstat': {
    'centos-7.7-netstat-l-service-names.txt': {
      sections: ['linux-netstat'],
      count: 4,
      states: { LISTEN: 4 },
      owners: 0,
      unread: [],
      rows: [
        [0, n('localhost', 25), e('0.0.0.0', 0), 'LISTEN'],
        [1, e('0.0.0.0', 22), e('0.0.0.0', 0), 'LISTEN'],
        [3, e('::', 22), e('::', 0), 'LISTEN'],
      ],
    },
    'centos-7.7-netstat-names-cut.txt': {
      sections: ['linux-netstat'],
      count: 3,
      states: { ESTABLISHED: 3 },
      owners: 0,
      unread: [],
      // "localhost.localdo:35450", "localhost.localdoma:ssh": address and port take 22 characters.
      rows: [
        [0, nc('localhost.localdo', 35450), nc('lb-192-30-255-112', 443), 'ESTABLISHED'],
        [1, nc('localhost.localdoma', 22), e('192.168.71.1', 58727), 'ESTABLISHED'],
      ],
    },
    'centos-7.7-sudo-netstat-aeep-user-inode.txt': {
      sections: ['linux-netstat'],
      count: 6,
      states: { LISTEN: 4, ESTABLISHED: 2 },
      owners: 6,
      unread: [],
      rows: [
        [0, n('localhost', 25), e('0.0.0.0', 0), 'LISTEN', { pid: 1489, process: 'master' }],
        [4, n('localhost', 22), n('localhost', 38134), 'ESTABLISHED', { pid: 6492, process: 'sshd: kbrazil' }],
      ],
    },
    'fedora-32-netstat-bluetooth-section.txt': {
      sections: ['linux-netstat'],
      count: 1,
      states: { ESTABLISHED: 1 },
      owners: 0,
      unread: [],
      rows: [[0, nc('localhost.localdoma', 22), e('192.168.71.1', 52882), 'ESTABLISHED']],
    },
    'kippo-netstat-t-cut-names.txt': {
      sections: ['linux-netstat'],
      count: 17,
      states: { ESTABLISHED: 17 },
      owners: 0,
      unread: [],
      rows: [
        [8, e('192.168.1.2', 2222), nc('11.189.182.202.st', 33066), 'ESTABLISHED'],
        [12, e('192.168.1.2', 2222), nc('219.51.174.61.dial', 2657), 'ESTABLISHED'],
        [14, e('192.168.1.2', 2222), nc('ec2-54-93-54-143.', 56111), 'ESTABLISHED'],
      ],
    },
    'linenum-netstat-antp-masked-addresses.txt': {
      sections: ['linux-netstat'],
      count: 4,
      states: { LISTEN: 2, ESTABLISHED: 2 },
      owners: 4,
      unread: [],
      // "192.168.1.x": an address the author masked is no number: kept, and marked as a name.
      rows: [[2, n('192.168.1.x', 48342), n('172.217.23.x', 443), 'ESTABLISHED', { pid: 2513, process: 'firefox-esr' }]],
    },
    'musicbox-netstat-tulpena-user-inode.txt': {
      sections: ['linux-netstat'],
      count: 9,
      states: { LISTEN: 8, ESTABLISHED: 1 },
      owners: 9,
      unread: [],
      rows: [[4, e('192.168.1.33', 22), e('192.168.1.50', 55427), 'ESTABLISHED', { pid: 2996, process: 'dropbear' }]],
    },
    'netstat-old-servers-and-established.txt': {
      sections: ['linux-netstat'],
      count: 1,
      states: { LISTEN: 1 },
      owners: 1,
      unread: [],
      rows: [[0, e('0.0.0.0', 111), e('0.0.0.0', 0), 'LISTEN', { pid: 1, process: 'systemd' }]],
    },
    'ubuntu-18.04-netstat-p-names.txt': {
      sections: ['linux-netstat'],
      count: 2,
      states: { ESTABLISHED: 2 },
      owners: 1,
      unread: [],
      rows: [
        [0, n('kbrazil-ubuntu', 22), e('192.168.71.1', 65159), 'ESTABLISHED', { pid: null }],
        [1, n('kbrazil-ubuntu', 55656), nc('lb-192-30-253-113', 443), 'ESTABLISHED', { pid: 23921, process: 'git-remote-ht' }],
      ],
    },
    'ubuntu-18.04-sudo-netstat-lnp-program-names-cut.txt': {
      sections: ['linux-netstat'],
      count: 17,
      states: { LISTEN: 17 },
      owners: 17,
      unread: [],
      rows: [[2, e('0.0.0.0', 22), e('0.0.0.0', 0), 'LISTEN', { pid: 600, process: 'sshd: /usr/sbin' }]],
    },
  },
  'pastes-bsd-netstat': {
    'freebsd-12-netstat-Aa-tcpcb-names.txt': {
      sections: ['bsd-netstat'],
      count: 4,
      states: { ESTABLISHED: 1, LISTEN: 3 },
      owners: 0,
      unread: [],
      // -A without -n cuts hosts to 12 characters: "192.168.71.1.ssh" is 192.168.71.163 (see -an).
      rows: [
        [0, c('192.168.71.1', 22), c('192.168.71.1', 56321), 'ESTABLISHED'],
        [1, n('localhost', 25), e('0.0.0.0', 0), 'LISTEN'],
      ],
    },
    'freebsd-12-netstat-AanP-log-id.txt': {
      sections: ['bsd-netstat'],
      count: 3,
      states: { LISTEN: 3 },
      owners: 0,
      // "192.168.71.1.64330" fills -A's 18-character column: its port may be cut.
      unread: [3],
      rows: [[0, e('127.0.0.1', 25), e('0.0.0.0', 0), 'LISTEN']],
    },
    'freebsd-12-netstat-an.txt': {
      sections: ['bsd-netstat'],
      count: 4,
      states: { ESTABLISHED: 1, LISTEN: 3 },
      owners: 0,
      unread: [],
      rows: [[0, e('192.168.71.163', 22), e('192.168.71.1', 56321), 'ESTABLISHED']],
    },
    'macos-10.14.6-netstat-An-endpoints-cut.txt': {
      sections: ['bsd-netstat'],
      count: 3,
      states: { ESTABLISHED: 2, CLOSE_WAIT: 1 },
      owners: 0,
      // Every row with an 18-character endpoint ("192.168.1.221.5486"): 46 of 49 tcp rows.
      unread: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 44, 45, 46, 47, 48, 49, 50, 51],
      rows: [
        [0, e('127.0.0.1', 53755), e('127.0.0.1', 53763), 'ESTABLISHED'],
        [2, e('127.0.0.1', 9592), e('127.0.0.1', 58704), 'CLOSE_WAIT'],
      ],
    },
    'macos-10.14.6-netstat-Abn-bytes-columns.txt': {
      sections: ['bsd-netstat'],
      count: 3,
      states: { ESTABLISHED: 2, CLOSE_WAIT: 1 },
      owners: 0,
      unread: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 44, 45, 46, 47, 48, 49, 50, 51],
      rows: [[1, e('127.0.0.1', 53763), e('127.0.0.1', 53755), 'ESTABLISHED']],
    },
    'macos-10.14.6-netstat-names-cut.txt': {
      sections: ['bsd-netstat'],
      count: 49,
      states: { ESTABLISHED: 45, CLOSE_WAIT: 3, TIME_WAIT: 1 },
      owners: 0,
      // "93.87.236.35.bc..sunpr" (16, 25), "...afpov" (40): service names cut; "ldgateway" (47): not known.
      unread: [16, 25, 40, 47],
      rows: [
        [0, nc('kbrazil-mac.attl', 62979), e('40.77.18.167', 443), 'ESTABLISHED'],
        // "on-in-x6d.1e100..imaps": the host cut after its 16th character, a dot.
        [4, nc('kbrazil-mac.attl', 62900), nc('on-in-x6d.1e100.', 993), 'ESTABLISHED'],
        [7, n('localhost', 62823), n('localhost', 62835), 'ESTABLISHED'],
        // "fe80::aede:48ff:.61677": an IPv6 address cut to 16 characters.
        [16, c('fe80::aede:48ff:', 61677), c('fe80::aede:48ff:', 49617), 'ESTABLISHED'],
      ],
    },
  },
  'pastes-ss': {
    'book-ss-o-state-established-wrapped-timer.txt': {
      sections: ['ss'],
      count: 1,
      states: { ESTABLISHED: 1 },
      owners: 0,
      unread: [],
      // No State column: `state established` on the command line says it; "ssh" is port 22.
      rows: [[0, e('10.0.3.1', 39874), e('10.0.3.96', 22), 'ESTABLISHED']],
    },
    'centos-7.7-sudo-ss-a-service-names.txt': {
      sections: ['ss'],
      count: 6,
      states: { LISTEN: 4, ESTABLISHED: 2 },
      owners: 0,
      unread: [],
      rows: [
        [0, e('127.0.0.1', 25), e('0.0.0.0', 0), 'LISTEN'],
        [1, e('::', 22), e('::', 0), 'LISTEN'],
        [4, e('::1', 22), e('::1', 38134), 'ESTABLISHED'],
      ],
    },
    'htb-ss-peanut-via-exploit-tabs-in-rows.txt': {
      sections: ['ss'],
      count: 7,
      states: { LISTEN: 6, ESTABLISHED: 1 },
      owners: 0,
      unread: [],
      rows: [
        [0, e('::', 22), e('::', 0), 'LISTEN'],
        [3, e('10.10.10.233', 22), e('10.10.14.10', 56530), 'ESTABLISHED'],
        [5, e('::1', 25), e('::', 0), 'LISTEN'],
      ],
    },
    'ko-ss-tanop-grep-masked-addresses.txt': {
      sections: ['ss'],
      count: 6,
      states: { FIN_WAIT_2: 6 },
      owners: 0,
      unread: [],
      rows: [[0, n('10.xx.xx.141', 50094), n('10.yy.yy.140', 5000), 'FIN_WAIT_2']],
    },
    'ss-eipn-owner-on-detail-line-highlight-block.txt': {
      sections: ['ss'],
      count: 1,
      states: { ESTABLISHED: 1 },
      owners: 1,
      unread: [],
      // The owner is on the indented line under the row.
      rows: [[0, e('127.0.0.1', 57334), e('127.0.0.1', 3306), 'ESTABLISHED', { pid: 7268, process: 'mysql' }]],
    },
    'ss-tulpen-wide-glued-header-cgroup.txt': {
      sections: ['ss'],
      count: 29,
      states: { LISTEN: 29 },
      owners: 29,
      unread: [],
      rows: [],
    },
    'ubuntu-18.04-sudo-ss-a-names-vsock.txt': {
      sections: ['ss'],
      count: 4,
      states: { LISTEN: 4 },
      owners: 0,
      unread: [],
      rows: [
        [0, e('127.0.0.53%lo', 53), e('0.0.0.0', 0), 'LISTEN'],
        [3, e('::', 22), e('::', 0), 'LISTEN'],
      ],
    },
    'ubuntu-18.04-sudo-ss-tulpen-extended.txt': {
      sections: ['ss'],
      count: 58,
      states: { LISTEN: 58 },
      owners: 58,
      unread: [],
      rows: [[0, e('0.0.0.0', 9187), e('0.0.0.0', 0), 'LISTEN', { pid: 1671, process: 'prometheus-post' }]],
    },
  },
  'pastes-lsof': {
    'linux-centos-7.7-sudo-lsof-names.txt': {
      sections: ['lsof'],
      count: 6,
      states: { LISTEN: 4, ESTABLISHED: 2 },
      owners: 6,
      unread: [],
      rows: [
        [2, n('localhost', 25), e('0.0.0.0', 0), 'LISTEN', { pid: 1469, process: 'master' }],
        [4, n('localhost.localdomain', 22), e('192.168.71.1', 58727), 'ESTABLISHED', { pid: 4314, process: 'sshd' }],
      ],
    },
    'linux-ubuntu-18.04-sudo-lsof-tid-rows-names.txt': {
      sections: ['lsof'],
      // The "container" listener is listed again under 8 threads: one row per process.
      count: 6,
      states: { LISTEN: 4, ESTABLISHED: 2 },
      owners: 6,
      unread: [],
      rows: [[1, n('localhost', 42351), e('0.0.0.0', 0), 'LISTEN', { pid: 1112, process: 'container' }]],
    },
    'macos-11-lsof-grep-localhost-name-forked.txt': {
      sections: ['lsof'],
      count: 2,
      states: { LISTEN: 2 },
      owners: 2,
      unread: [],
      rows: [[1, n('localhost', 5000), e('0.0.0.0', 0), 'LISTEN', { pid: 22034, process: 'python' }]],
    },
    'macos-11-lsof-i-P-grep-listen-fenced.txt': {
      sections: ['lsof'],
      count: 4,
      states: { LISTEN: 4 },
      owners: 4,
      unread: [],
      rows: [[2, e('0.0.0.0', 5000), e('0.0.0.0', 0), 'LISTEN', { pid: 433, process: 'ControlCe' }]],
    },
    'macos-lsof-headerless-scoped-link-local.txt': {
      sections: ['lsof'],
      count: 10,
      states: { LISTEN: 10 },
      owners: 10,
      unread: [],
      rows: [[4, e('fe80:4::aede:48ff:fe00:1122', 49153), e('::', 0), 'LISTEN', { pid: 79, process: 'remoted' }]],
    },
    'macos-lsof-i-5000-service-name-bare-command.txt': {
      sections: ['lsof'],
      count: 2,
      states: { LISTEN: 2 },
      owners: 2,
      unread: [],
      // "*:commplex-main" is port 5000 (IANA).
      rows: [[0, e('0.0.0.0', 5000), e('0.0.0.0', 0), 'LISTEN', { pid: 1081, process: 'ControlCe' }]],
    },
  },
  'pastes-windows-netstat': {
    'en-win10-ab-hostname-orion.txt': {
      sections: ['windows-netstat'],
      count: 12,
      states: { LISTEN: 12 },
      owners: 0,
      unread: [],
      rows: [[0, e('0.0.0.0', 135), n('orion', 0), 'LISTEN', { pid: null, process: 'svchost.exe' }]],
    },
    'en-win10-abo-image-joined-to-rows.txt': {
      sections: ['windows-netstat'],
      count: 7,
      states: { LISTEN: 3, TIME_WAIT: 1, CLOSE_WAIT: 2, ESTABLISHED: 1 },
      owners: 6,
      unread: [],
      rows: [
        [0, e('127.0.0.1', 5354), n('XPSDESKTOP', 0), 'LISTEN', { pid: 5788, process: 'mDNSResponder.exe' }],
        [2, e('127.0.0.1', 12025), n('XPSDESKTOP', 0), 'LISTEN', { pid: 4512, process: null }],
        [4, e('192.168.1.65', 5040), n('Galaxy-A7-2018', 50386), 'CLOSE_WAIT', { pid: 7100, process: 'svchost.exe' }],
      ],
    },
    'en-win10-aonb-components.txt': {
      sections: ['windows-netstat'],
      count: 114,
      states: { LISTEN: 51, ESTABLISHED: 54, CLOSE_WAIT: 6, TIME_WAIT: 3 },
      owners: 111,
      unread: [],
      rows: [[0, e('0.0.0.0', 135), e('0.0.0.0', 0), 'LISTEN', { pid: 1712, process: 'svchost.exe' }]],
    },
    'en-win10-plain-names.txt': {
      sections: ['windows-netstat'],
      // The file ends without a line end: its last row (line 36) may be cut short, so it is reported, not read.
      count: 31,
      states: { ESTABLISHED: 31 },
      owners: 0,
      unread: [36],
      rows: [[0, e('127.0.0.1', 1031), n('api', 1032), 'ESTABLISHED']],
    },
    'zh-tw-cmder-netstat-single-row-indented.txt': {
      sections: ['windows-netstat'],
      count: 1,
      states: { LISTEN: 1 },
      owners: 1,
      unread: [],
      rows: [[0, e('::', 8000), e('::', 0), 'LISTEN', { pid: 7300 }]],
    },
  },
  'pastes-powershell': {
    'en-blog-select-localport-owningprocess-name-indented.txt': {
      sections: ['get-nettcpconnection'],
      count: 0,
      states: {},
      owners: 0,
      // No LocalAddress or State column: the 9 rows cannot be judged.
      unread: [36, 37, 38, 39, 40, 41, 42, 43, 44],
      rows: [],
    },
    'en-format-table-autosize-synsent-prompt.txt': {
      sections: ['get-nettcpconnection'],
      count: 12,
      states: { ESTABLISHED: 8, LISTEN: 2, SYN_SENT: 1, TIME_WAIT: 1 },
      owners: 11,
      unread: [],
      rows: [
        [1, e('127.0.0.1', 65001), e('0.0.0.0', 0), 'LISTEN', { pid: 44796 }],
        [6, e('127.0.0.1', 60946), e('127.0.0.1', 9229), 'SYN_SENT', { pid: 31660 }],
        [7, e('127.0.0.1', 60783), e('127.0.0.1', 1120), 'TIME_WAIT', { pid: null }],
      ],
    },
    'en-ps-prompt-state-listen-select-three-columns.txt': {
      sections: ['get-nettcpconnection'],
      count: 7,
      states: { LISTEN: 7 },
      owners: 7,
      unread: [],
      // No State or remote columns: -State Listen on the command line, and a listener's remote is the wildcard.
      rows: [[2, e('::1', 49671), e('::', 0), 'LISTEN', { pid: 5504 }]],
    },
  },
  'pastes-procfs': {
    'linux-proc-net-tcp-close-wait-queue.txt': {
      sections: ['proc-net-tcp'],
      count: 27,
      states: { LISTEN: 4, CLOSE_WAIT: 1, FIN_WAIT_1: 6, TIME_WAIT: 15, ESTABLISHED: 1 },
      owners: 0,
      unread: [],
      rows: [[3, e('192.168.42.128', 54352), e('152.199.4.33', 443), 'CLOSE_WAIT']],
    },
    'linux-proc-net-tcp6-jc.txt': {
      sections: ['proc-net-tcp'],
      count: 8,
      states: { LISTEN: 1, TIME_WAIT: 7 },
      owners: 0,
      unread: [],
      rows: [[0, e('::', 22), e('::', 0), 'LISTEN']],
    },
  },
  'pastes-mixed': {
    'es-win10-netstat-four-runs-markdown.txt': {
      // -an, -o, then -b and the saved -nabo (no prompt between them: one section).
      // One host: a socket two runs list (19 listeners, 4 connections) counts once (same-sockets.ts).
      sections: ['windows-netstat', 'windows-netstat', 'windows-netstat'],
      count: 132,
      states: { LISTEN: 21, ESTABLISHED: 64, CLOSE_WAIT: 7, TIME_WAIT: 40 },
      owners: 67,
      unread: [],
      rows: [
        [44, e('127.0.0.1', 49862), n('DESKTOP-DQP1BRI', 49863), 'ESTABLISHED', { pid: 6472 }],
        // "82:http": netstat without -f prints a name's first label.
        [50, e('192.168.0.106', 49964), n('82', 80), 'ESTABLISHED', { pid: 6472 }],
        [63, e('127.0.0.1', 49862), n('DESKTOP-DQP1BRI', 49863), 'ESTABLISHED', { pid: null, process: 'firefox.exe' }],
      ],
    },
    'inline-code-grep-single-row.txt': {
      sections: ['linux-netstat'],
      count: 1,
      states: { LISTEN: 1 },
      owners: 1,
      unread: [],
      rows: [[0, e('::', 3000), e('::', 0), 'LISTEN', { pid: 23788, process: 'node' }]],
    },
    'lkml-2001-quoted-netstat-pltn-wrapped-programs.txt': {
      sections: ['linux-netstat'],
      count: 5,
      states: { LISTEN: 5 },
      owners: 5,
      unread: [],
      // Each program wrapped onto its own line, joined back to its row.
      rows: [[3, e('0.0.0.0', 22), e('0.0.0.0', 0), 'LISTEN', { pid: 82, process: 'sshd' }]],
    },
    'lkml-reply-nested-quote-netstat-tapenu-wrapped.txt': {
      sections: ['linux-netstat'],
      count: 8,
      states: { LISTEN: 6, ESTABLISHED: 1, TIME_WAIT: 1 },
      owners: 7,
      unread: [],
      rows: [
        [3, e('192.168.9.1', 22), e('192.168.9.13', 58660), 'ESTABLISHED', { pid: 3004, process: 'sshd-session:' }],
        [7, e('10.0.0.229', 444), e('192.168.9.13', 58762), 'TIME_WAIT', { pid: null }],
      ],
    },
    'macos-blog-zsh-arrow-prompt-sysctl-and-netstat.txt': {
      sections: ['sysctl-portrange', 'bsd-netstat'],
      count: 9,
      states: { TIME_WAIT: 9 },
      owners: 0,
      unread: [],
      rows: [[0, c('2001:f40:925:dc8', 61797), c('2404:6800:4001:8', 443), 'TIME_WAIT']],
    },
    'macos-netstat-usage-error-then-grep-rows.txt': {
      sections: ['bsd-netstat'],
      count: 3,
      states: { LISTEN: 3 },
      owners: 0,
      unread: [],
      rows: [[0, e('127.0.0.1', 5000), e('0.0.0.0', 0), 'LISTEN']],
    },
    'netsh-excluded-in-inline-backticks.txt': { sections: ['netsh-excludedportrange'], count: 0, states: {}, owners: 0, unread: [], rows: [] },
    'pop-os-netstat-names-and-l-markdown.txt': {
      sections: ['linux-netstat'],
      count: 11,
      states: { ESTABLISHED: 8, LISTEN: 3 },
      owners: 0,
      // "0.0.0.0:cbtd": a service name in neither netbase nor the IANA registry.
      unread: [790],
      rows: [
        [1, n('pop-os', 42632), nc('209.100.149.34.bc', 443), 'ESTABLISHED'],
        [7, n('pop-os', 46766), e('192.229.211.108', 80), 'ESTABLISHED'],
        [8, n('localhost', 53), e('0.0.0.0', 0), 'LISTEN'],
      ],
    },
    'pt-markdown-blockquote-netstat-ant.txt': {
      sections: ['linux-netstat'],
      count: 3,
      states: { LISTEN: 3 },
      owners: 0,
      unread: [],
      rows: [[1, e('0.0.0.0', 3306), e('0.0.0.0', 0), 'LISTEN']],
    },
    'ru-win-netstat-names-then-nmap-markdown.txt': {
      sections: ['windows-netstat'],
      count: 34,
      states: { ESTABLISHED: 18, TIME_WAIT: 16 },
      owners: 0,
      unread: [],
      rows: [[18, e('192.168.1.63', 54784), n('router', 53), 'TIME_WAIT']],
    },
    'ru-win10-netstat-a-rst-code-block-indented.txt': {
      sections: ['windows-netstat'],
      count: 9,
      states: { LISTEN: 7, ESTABLISHED: 2 },
      owners: 0,
      unread: [],
      rows: [[6, e('10.0.2.15', 54628), n('a172-226-117-113', 443), 'ESTABLISHED']],
    },
    'seed-lab-diff-of-netstat-na-syn-flood.txt': {
      sections: ['linux-netstat'],
      count: 11,
      states: { SYN_RECEIVED: 11 },
      owners: 0,
      unread: [],
      rows: [[0, e('192.168.59.144', 80), e('253.138.146.184', 9358), 'SYN_RECEIVED']],
    },
    'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt': {
      // One section per `cat`; the udp and udp6 rows are not TCP.
      sections: ['proc-net-tcp', 'proc-net-tcp', 'proc-net-tcp', 'proc-net-tcp'],
      count: 10,
      states: { LISTEN: 7, CLOSE_WAIT: 1, ESTABLISHED: 2 },
      owners: 0,
      unread: [],
      rows: [[7, e('::ffff:127.0.0.1', 8005), e('::', 0), 'LISTEN']],
    },
    'win-cmd-netstat-find-and-tasklist-session.txt': {
      sections: ['windows-netstat'],
      count: 2,
      states: { LISTEN: 2 },
      owners: 2,
      unread: [],
      rows: [[1, e('::1', 80), e('::', 0), 'LISTEN', { pid: 19820 }]],
    },
    'wsl-ss-ln-grep-then-lsof-no-output.txt': {
      sections: ['ss'],
      count: 1,
      states: { LISTEN: 1 },
      owners: 0,
      unread: [],
      rows: [[0, e('127.0.0.1', 5432), e('0.0.0.0', 0), 'LISTEN']],
    },
    'zh-ss-notes-filters-state-established-markdown.txt': {
      // Seven ss runs, one section each: every "$ ss" line ends the run before it.
      sections: ['ss', 'ss', 'ss', 'ss', 'ss', 'ss', 'ss'],
      count: 16,
      states: { LISTEN: 3, ESTABLISHED: 13 },
      owners: 2,
      // "0.0.0.0:hostmon": no longer in netbase or the IANA registry.
      unread: [54],
      rows: [
        // `ss -o state established`: Netid column, no State column, "https" is 443.
        [11, e('10.0.0.4', 57548), e('23.51.2.3', 443), 'ESTABLISHED'],
        [13, e('0.0.0.0', 587), e('0.0.0.0', 0), 'LISTEN'],
        [14, e('10.0.0.4', 22), e('113.90.165.102', 30340), 'ESTABLISHED', { pid: 2045801, process: 'sshd' }],
      ],
    },
  },
};

const SYSCTL = { 'freebsd-12.1-sysctl-a-net-inet-block.txt': ['default 10000-65535', 'high 49152-65535', 'low 600-1023'], 'macos-10.14.6-sysctl-a.txt': ['default 49152-65535', 'high 49152-65535', 'low 600-1023'] };

describe('pastes read through --from', () => {
  it('has an expectation for every sample', () => {
    for (const [folder, wants] of Object.entries(WANT)) expect(fixtureNames(folder), folder).toEqual(Object.keys(wants).sort());
    expect(fixtureNames('pastes-sysctl')).toEqual(Object.keys(SYSCTL).sort());
  });
  for (const [folder, wants] of Object.entries(WANT)) {
    for (const [name, w] of Object.entries(wants)) {
      it(`reads ${folder}/${name}`, async () => {
        const got = await read(folder, name);
        expect(got.sources.map((s) => `${s.format}${s.tried ? '!' : ''}`)).toEqual(w.sections);
        const rows = rowsOf(got);
        expect(rows).toHaveLength(w.count);
        expect(countStates(rows)).toEqual(w.states);
        expect(rows.filter((r) => r.owner === 'found')).toHaveLength(w.owners);
        expect(got.sources.flatMap((s) => s.unread ?? []).map((u) => u.line)).toEqual(w.unread);
        for (const [i, local, remote, state, owner] of w.rows) {
          const r = rows[i]!;
          expect([r.local, r.remote, r.state], `row ${i}`).toEqual([local, remote, state]);
          if (owner) expect(r, `row ${i}`).toMatchObject(owner);
        }
        // Exit 0 never hides a loss: whatever was not read is in notJudged.
        expect(got.notJudged.length > 0).toBe(w.unread.length > 0);
      });
    }
  }
  for (const [name, ranges] of Object.entries(SYSCTL)) {
    it(`reads pastes-sysctl/${name}: each range with the allocator that uses it`, async () => {
      const got = await read('pastes-sysctl', name);
      const eph = got.parts.flatMap((p) => (p.kind === 'ranges' ? p.ranges.ephemeral : []));
      expect(eph.map((r) => `${r.allocator} ${r.start}-${r.end}`)).toEqual(ranges);
    });
  }
});

describe('the JSON writer on rows with names and cut addresses', () => {
  it('writes every row of every paste as JSON.stringify would, addressIsName and addressCut included', async () => {
    const all: SocketRow[] = [];
    for (const [folder, wants] of Object.entries(WANT)) for (const name of Object.keys(wants)) all.push(...rowsOf(await read(folder, name)));
    expect(all.filter((r) => r.local.addressIsName || r.remote.addressIsName || r.local.addressCut || r.remote.addressCut).length).toBeGreaterThan(200);
    const report: Report<unknown> = { tool: 'tcpdiag', version: '0', command: 'sockets', platform: { os: 'linux', release: 'r', node: 'v' }, startedAt: 't', durationMs: 1, verdict: 'ok', summary: 's', findings: [], notJudged: [], data: { rows: all } };
    const chunks: Buffer[] = [];
    writeJson(report, (chunk) => (chunks.push(Buffer.from(chunk)), true));
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});

describe('pastes nothing could be read from: one line naming where, exit 2', () => {
  const refused = (name: string) => read('pastes-refused', name);
  it('a pid in Markdown bold ("**27280**")', async () => {
    await expect(refused('ko-cmd-findstr-single-spaced-markdown-bold-pid.txt')).rejects.toThrow(/^--from ko-cmd-findstr-single-spaced-markdown-bold-pid\.txt line 6: windows-netstat: PID "\*\*27280\*\*" is not a whole decimal number: "TCP \[::\]:3000/);
  });
  it('BSD netstat -T (retransmit counters, no state): rows of no format, with their lines', async () => {
    await expect(refused('freebsd-12-netstat-aT-no-state.txt')).rejects.toThrow(/^--from freebsd-12-netstat-aT-no-state\.txt lines 3-8: rows in no format tcpdiag knows \(first: "tcp4 +3 +0 +0 192\.168\.71\.163\.ssh/);
  });
  it("another tool's socket table (pcblist2)", async () => {
    await expect(refused('macos-radar-pcblist2-unknown-table.txt')).rejects.toThrow(/^--from macos-radar-pcblist2-unknown-table\.txt line 5: rows in no format tcpdiag knows/);
  });
  it('has a case for every sample', () => {
    expect(fixtureNames('pastes-refused')).toHaveLength(3);
  });
});
