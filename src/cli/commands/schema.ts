// `tcpdiag schema <report>`: the JSON Schema of a command's --json report, as
// the file the package ships in schemas/ (docs/json.md, "JSON Schema files"). A
// single executable has no package beside it: it carries the same files as
// assets (issue #16), and this is how they come out of it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Argument, type Command } from 'commander';
import * as z from 'zod/mini';
import { CannotRunError } from '../../report/errors.js';
import { isSingleExecutable, readTextAsset } from '../../sea/assets.js';
import { withChoices } from '../common-flags.js';
import { enumSchema } from '../option-schemas.js';
import { runTextCommand } from '../run-command.js';
import { validateOptions } from '../validate.js';

/** The schema files by report name (test/unit/schema-command.test.ts checks them against the generator's list). */
export const SCHEMA_REPORTS = [
  'ports',
  'sockets',
  'bind',
  'connect',
  'connect-race',
  'backlog',
  'keepalive-selftest',
  'keepalive-connect',
  'keepalive-listen',
  'doctor',
] as const;

const schema = z.object({ report: enumSchema(SCHEMA_REPORTS) });

function readSchemaFile(file: string): string {
  if (isSingleExecutable()) {
    const text = readTextAsset(`schemas/${file}`);
    if (text === null) throw new CannotRunError(`this executable holds no ${file}`);
    return text;
  }
  // The bundle is dist/tcpdiag.cjs; the package ships schemas/ beside dist/.
  const path = join(__dirname, '..', 'schemas', file);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CannotRunError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

// No --json/--no-color/--debug: the output is a schema document, never a report.
export function registerSchema(program: Command): void {
  const cmd = program
    .command('schema')
    .addArgument(withChoices(new Argument('<report>', "the command whose report's schema to print"), SCHEMA_REPORTS))
    .summary("print the JSON Schema of a command's --json report")
    .description(
      "Prints the JSON Schema (draft 2020-12) of a command's --json report on stdout: the same file the npm package " +
        'ships in schemas/, and the way to get it from a single executable. keepalive reports are named ' +
        'keepalive-selftest, keepalive-connect and keepalive-listen.',
    )
    .addHelpText(
      'after',
      `
Examples:
  tcpdiag schema sockets > sockets.schema.json
  tcpdiag schema keepalive-connect`,
    );
  cmd.action(async (report: string) =>
    runTextCommand(
      'schema',
      () => validateOptions(schema, { report }, ['report']),
      async (opts) => readSchemaFile(`${opts.report}.schema.json`),
    ),
  );
}
