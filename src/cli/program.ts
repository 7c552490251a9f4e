// The command-line surface: commands, their flags and help. Command modules
// only parse and validate; probes are loaded when their command runs.

import { Command } from 'commander';
import { versionText } from '../version.js';
import { registerBacklog } from './commands/backlog.js';
import { registerBind } from './commands/bind.js';
import { registerCompletion } from './commands/completion.js';
import { registerConnect } from './commands/connect.js';
import { registerConnectRace } from './commands/connect-race.js';
import { registerKeepalive } from './commands/keepalive.js';
import { registerDoctor } from './commands/doctor.js';
import { registerPorts } from './commands/ports.js';
import { registerSchema } from './commands/schema.js';
import { registerSockets } from './commands/sockets.js';

export function buildProgram(): Command {
  const program = new Command('tcpdiag')
    .description(
      'Explains TCP failures and says how to fix them: port ranges, bind failures, socket tables, ' +
        'connect-attempt limits, accept queues and keepalive, on Linux, macOS and Windows.',
    )
    .version(versionText(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 problem found, 2 bad input, 3 could not run here,
            4 inconclusive.
Durations:  500ms, 2s, 2m or 1h on every flag; a bare number is seconds.
Ports:      a number or a TCP service name (https, postgresql, ssh, ...).
Progress:   on stderr, on a terminal only; --quiet drops it, --verbose
            prints its messages also into logs and pipes.

Examples:
  tcpdiag doctor                 check this host
  tcpdiag bind 3000              can a server listen on 3000? if not, why
  tcpdiag ports --json           port ranges as JSON
  tcpdiag sockets --listen       listeners and their accept queues
  tcpdiag connect localhost 3000 every address of a name, each explained
  tcpdiag connect-race 10.0.0.9 389 --control 10.0.0.5:389
                                 does one dead server stall every new connect?
  tcpdiag backlog                what a full accept queue does on this OS
  tcpdiag keepalive selftest     do these keepalive settings detect a dead peer?
  source <(tcpdiag completion bash)
                                 tab completion in bash (also zsh and fish)
  tcpdiag <command> --help       a command's flags and examples`,
    );
  registerDoctor(program);
  registerBind(program);
  registerPorts(program);
  registerSockets(program);
  registerConnect(program);
  registerConnectRace(program);
  registerBacklog(program);
  registerKeepalive(program);
  registerCompletion(program);
  registerSchema(program);
  return program;
}
