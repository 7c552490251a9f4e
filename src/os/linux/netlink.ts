// The netlink numbers both sock_diag users need (sock-diag.ts reads the
// socket table, sock-destroy.ts asks whether `ss -K` works): one socket
// per request, AF_NETLINK / NETLINK_SOCK_DIAG, answers read with a receive
// timeout. From linux/netlink.h, linux/sock_diag.h and the socket headers.

export const AF_NETLINK = 16;
export const AF_INET = 2;
export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0o2000000;
export const NETLINK_SOCK_DIAG = 4;
export const NLM_F_REQUEST = 0x1;
export const NLMSG_ERROR = 2;
export const IPPROTO_TCP = 6;
export const SOL_SOCKET = 1;
export const SO_RCVTIMEO = 20;
