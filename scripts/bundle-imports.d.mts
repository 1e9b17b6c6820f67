/** Package names a bundle loads with a literal `import("x")` or `require("x")` (Node built-ins and paths excluded). */
export function packageImports(code: string): string[];
