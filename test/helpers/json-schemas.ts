// The generated JSON Schema files (schemas/*.schema.json), loaded into a real
// JSON Schema validator (Ajv, draft 2020-12, formats checked): what a user of
// the package validates with, not the zod objects they are made from.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export const SCHEMAS_DIR = join(__dirname, '..', '..', 'schemas');

export function schemaFileNames(): string[] {
  return readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.schema.json')).sort();
}

/** A validator holding every schema file, each under its $id (the file name). */
export function loadSchemaFiles(): Ajv2020 {
  // strict: unknown keywords or formats in a schema file are an error, not ignored.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const f of schemaFileNames()) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS_DIR, f), 'utf8')));
  return ajv;
}

/** The schema file of a command's report: "keepalive selftest" -> keepalive-selftest.schema.json. */
export const schemaFileOf = (command: string) => `${command.replace(/ /g, '-')}.schema.json`;

/** Validation errors of `doc` against a command's schema file, as text; null when valid. */
export function schemaErrors(ajv: Ajv2020, command: string, doc: unknown): string | null {
  const validate = ajv.getSchema(schemaFileOf(command));
  if (!validate) throw new Error(`no schema file for ${command}`);
  return validate(doc) ? null : ajv.errorsText(validate.errors, { separator: '\n' });
}

export function expectValid(ajv: Ajv2020, command: string, doc: unknown): void {
  expect(schemaErrors(ajv, command, doc), `report of ${command} does not match ${schemaFileOf(command)}`).toBeNull();
}

export function expectInvalid(ajv: Ajv2020, command: string, doc: unknown, pattern?: RegExp): void {
  const errors = schemaErrors(ajv, command, doc);
  expect(errors, `a wrong report of ${command} passed ${schemaFileOf(command)}`).not.toBeNull();
  if (pattern) expect(errors).toMatch(pattern);
}
