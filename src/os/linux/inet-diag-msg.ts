// The layout of struct inet_diag_msg (linux/inet_diag.h), the record netlink
// sock_diag answers with for each socket: ports and addresses in network byte
// order, the other fields in host byte order (read here as little-endian).

export const INET_DIAG_MSG_LEN = 72;
export const AF_INET6 = 10;
// Field offsets in struct inet_diag_msg.
export const FAMILY = 0;
export const STATE = 1;
export const TIMER = 2;
export const RETRANS = 3;
export const SPORT = 4;
export const DPORT = 6;
export const SRC = 8;
export const DST = 24;
/** idiag_expires: milliseconds until the socket's timer fires (for TIME_WAIT: until it is gone). */
export const EXPIRES = 52;
export const RQUEUE = 56;
export const WQUEUE = 60;
export const UID = 64;
export const INODE = 68;

/** idiag_retrans is the retransmit count only while the retransmit timer runs (idiag_timer 1); under a probe timer it counts probes. */
export function retransmitsAt(b: Buffer, o: number): number {
  return b[o + TIMER] === 1 ? b[o + RETRANS]! : 0;
}

export function u16be(b: Buffer, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
