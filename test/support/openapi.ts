/**
 * Legnext's own OpenAPI contract (../shared/contracts/legnext-openapi.yaml) as a validator, so tests can
 * check that request bodies GenVault builds and responses the simulator returns fit the vendor's schema.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
export const OPENAPI_PATH = path.resolve(here, '../../../shared/contracts/legnext-openapi.yaml');

interface OpenApiDoc {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>
  >;
  components: { schemas: Record<string, unknown> };
}

let cached: { doc: OpenApiDoc; ajv: Ajv } | undefined;

function load(): { doc: OpenApiDoc; ajv: Ajv } {
  if (cached) return cached;
  const doc = parse(readFileSync(OPENAPI_PATH, 'utf8')) as OpenApiDoc;
  // OpenAPI 3.0 puts `nullable` and `description` beside `$ref`; strict mode would reject that.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('email', /^\S+@\S+$/);
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\/\/\S+$/i);
  ajv.addFormat('date-time', { validate: (s: string) => s === '' || !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('float', true);
  ajv.addFormat('double', true);
  ajv.addFormat('int32', true);
  ajv.addFormat('int64', true);
  ajv.addSchema({ $id: 'legnext', components: nullableRefs(doc.components) });
  cached = { doc, ajv };
  return cached;
}

/**
 * The contract writes `{ $ref, nullable: true }` for "this object or null". Ajv's `nullable` needs a
 * `type` beside it, so express the vendor's intent as `anyOf: [ref, null]`.
 */
function nullableRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableRefs);
  if (!node || typeof node !== 'object') return node;
  const obj = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, nullableRefs(v)]));
  if (typeof obj.$ref === 'string' && obj.nullable === true) {
    return { anyOf: [{ $ref: obj.$ref }, { type: 'null' }] };
  }
  return obj;
}

function compile(ref: string): ValidateFunction {
  const { ajv } = load();
  const id = `legnext${ref}`;
  const fn = ajv.getSchema(id);
  if (!fn) throw new Error(`No schema ${ref} in the OpenAPI contract`);
  return fn;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

/** Errors (empty when valid) of `value` against `#/components/schemas/<name>`. */
export function schemaErrors(name: string, value: unknown): string[] {
  const fn = compile(`#/components/schemas/${name}`);
  return fn(value) ? [] : describeErrors(fn.errors);
}

/** Errors of a POST body against the request schema of `endpointPath` (e.g. `/v1/diffusion`). */
export function requestBodyErrors(endpointPath: string, body: unknown): string[] {
  const { doc } = load();
  const ref = doc.paths[endpointPath]?.post?.requestBody?.content['application/json']?.schema.$ref;
  if (!ref) throw new Error(`The OpenAPI contract has no JSON request body for POST ${endpointPath}`);
  const fn = compile(ref);
  return fn(body) ? [] : describeErrors(fn.errors);
}

/** Every POST path in the contract, for coverage checks. */
export function postPaths(): string[] {
  const { doc } = load();
  return Object.entries(doc.paths)
    .filter(([, ops]) => ops.post)
    .map(([p]) => p);
}
