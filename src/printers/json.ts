// JSON output exactly as `kubectl -o json` prints it: Go's encoding/json with 4-space indent.
// Go differs from JSON.stringify only in escaping: it writes <, >, & and U+2028/U+2029 as \u
// escapes (HTML-safe output), which matters for byte-identical output.

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Render one object the way `kubectl get -o json` does (keys in insertion order, trailing newline). */
export function toJson(obj: unknown): string {
  // Those characters can only appear inside string literals, so a global replace is safe.
  const text = JSON.stringify(obj === undefined ? null : obj, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]);
  return text + '\n';
}
