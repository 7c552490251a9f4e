// Pastes of one command run twice, from a user trial, made of real outputs:
// the sysctl lines as test/fixtures/linux-procfs-ports/linux-sysctl-port-
// range-tab.txt prints them (a tab between the ports) and as `sysctl -w`
// echoes the value it set; the netstat rows as the windows-netstat fixtures
// print them, a `findstr` that matched nothing printing no line at all (cmd
// then shows its next prompt); the excluded ranges as netsh-excludedportrange/
// en-hyperv-administered-prompt.txt prints them.

/** ip_local_port_range read (1024-65000), then set back to the default with sysctl -w. */
export const SYSCTL_SET_BACK = '$ sysctl net.ipv4.ip_local_port_range\nnet.ipv4.ip_local_port_range = 1024\t65000\n$ sudo sysctl -w net.ipv4.ip_local_port_range="32768 60999"\nnet.ipv4.ip_local_port_range = 32768 60999\n';

export const EXCLUDED = 'C:\\>netsh int ipv4 show excludedportrange protocol=tcp\n\nProtocol tcp Port Exclusion Ranges\n\nStart Port    End Port\n----------    --------\n      5357        5357\n     50000       50059     *\n\n* - Administered port exclusions.\n\n';

/** Two netstat -ano rows of pid 5120 listening on port 3000. */
export const LISTENERS = '  TCP    0.0.0.0:3000           0.0.0.0:0              LISTENING       5120\n  TCP    [::]:3000              [::]:0                 LISTENING       5120\n';

/** `netstat -ano | findstr :3000` (pid 5120 listens), taskkill, the same command again (nothing), then the excluded ranges. */
export const KILLED = `C:\\>netstat -ano | findstr :3000\n${LISTENERS}\nC:\\>taskkill /F /PID 5120\nSUCCESS: The process with PID 5120 has been terminated.\n\nC:\\>netstat -ano | findstr :3000\n\n${EXCLUDED}`;

/**
 * A Linux session as a terminal copy gives it: `sudo netstat -tanp | grep :8080` (nginx's row of
 * linux-netstat/linux-netstat-anp-tcp-with-programs.txt), `kill`, the same command again printing nothing, then the
 * bare prompt the shell showed next (`prompt`: "$ ", "$", "user@h:~$ " ...). A copy keeps or drops the space after it.
 */
export function killedOnLinux(prompt: string, row: string): string {
  return `$ sudo netstat -tanp | grep :8080\n${row}\n$ sudo kill 18545\n$ sudo netstat -tanp | grep :8080\n${prompt}\n`;
}
