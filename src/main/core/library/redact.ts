/**
 * Keys whose values are credentials. Nothing GenVault stores should hold one (API keys travel in
 * headers, which are never persisted), but request bodies and raw responses come from outside code
 * and providers; this is the last guard before they reach the DB or a sidecar.
 */
const SECRET_KEY =
  /^(x-)?api[-_]?key$|^authorization$|secret|password|^(access|refresh|auth|bearer)[-_]?token$/i;

export const REDACTED = '[redacted]';

/** A deep copy of `value` with every non-empty string under a credential-like key replaced. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_KEY.test(key) && typeof inner === 'string' && inner !== '' ? REDACTED : redactSecrets(inner),
    ]),
  );
}
