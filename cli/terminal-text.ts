/**
 * Text from a traced program (task and resource names, messages, file paths) goes to a
 * terminal: a name holding "\x1b[41m" would repaint it, a "\r" overwrite the line, a
 * bidi override reorder it. Everything the CLI prints that came from a trace passes
 * through here first.
 */

/** C0 controls (newline and tab too: inside a name they break the layout), DEL, C1, and bidi overrides/isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A user-program string for a line of terminal text: control characters shown as escapes (`\x1b`). */
export function shown(text: string): string {
  return text.replace(CONTROL, visible);
}

/**
 * JSON for a terminal: JSON.stringify escapes C0 controls but leaves DEL, C1 and the bidi
 * characters raw; these become \uXXXX escapes, so the JSON still parses to the same values.
 */
export function terminalJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}
