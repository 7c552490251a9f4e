// Ports under the names a services file gives them, for output printed
// without numeric ports (Windows `netstat` without -n, BSD `netstat -a`,
// `lsof` without -P): "40.67.254.36:https", "*.hbci". Mapping the common ones
// keeps such rows (a listener on "*.hbci" is a dev server on 3000); parsers
// skip rows with other names and say once to rerun with numeric output.
// Names from /etc/services (IANA) and %SystemRoot%\System32\drivers\etc\services.

const WELL_KNOWN_PORTS = new Map<string, number>([
  ['ftp', 21], ['ssh', 22], ['telnet', 23], ['smtp', 25], ['domain', 53], ['http', 80], ['www', 80],
  ['kerberos', 88], ['pop3', 110], ['sunrpc', 111], ['epmap', 135], ['netbios-ssn', 139], ['imap', 143],
  ['ldap', 389], ['https', 443], ['microsoft-ds', 445], ['submission', 587], ['ipp', 631], ['ldaps', 636],
  ['imaps', 993], ['pop3s', 995], ['ms-sql-s', 1433], ['hbci', 3000], ['mysql', 3306],
  ['commplex-main', 5000], ['postgresql', 5432], ['afs3-fileserver', 7000], ['irdmi', 8000], ['http-alt', 8080],
]);

/** The port of a well-known service name (any case), or null. A Map: "constructor" must not hit Object.prototype. */
export function servicePort(name: string): number | null {
  return WELL_KNOWN_PORTS.get(name.toLowerCase()) ?? null;
}
