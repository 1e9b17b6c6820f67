// What a finished bundle still imports by package name (scripts/build.mjs refuses a
// runtime bundle that does: a bundler that bundles the runtime again, the user's or the
// program build's, would try to resolve such a name and fail the user's build).
import { builtinModules } from 'node:module';
import path from 'node:path';

const builtins = new Set(builtinModules);

/** Package names a bundle loads with a literal `import("x")` or `require("x")` (Node built-ins and paths excluded). */
export function packageImports(code) {
  const found = new Set();
  for (const m of code.matchAll(/\b(?:import|require)\(\s*(["'`])([^"'`]+)\1\s*\)/g)) {
    const spec = m[2];
    if (spec.startsWith('node:') || spec.startsWith('.') || path.isAbsolute(spec) || builtins.has(spec)) continue;
    found.add(spec);
  }
  return [...found];
}
