/**
 * The build-time site transform: rewrites one module's source so every `await` and
 * every runtime call reports its original position (`file:line:col`, 1-based) through
 * the runtime's mark helpers (runtime/await-marks.ts). Used by the esbuild plugin
 * (site-plugin.ts).
 *
 * Invariants and why:
 * - Only insertions, never a newline: every original token keeps its line. Columns do
 *   shift, so the rewrite comes with its own source map (marked-text.ts) that esbuild
 *   composes with the bundle's: every position maps back to what the user wrote.
 * - Evaluation order is unchanged: `await E` → `await M.aw(M.pre(S), E)` runs `pre`
 *   before E (argument order); `f(a, b)` → `M.q(f(a, M.p(S, b)))` evaluates f, a, b in
 *   the original order and marks the site just before the call; `this` is kept because
 *   the call expression itself is not split.
 * - A site string is `file:line:col`, then when known a tab and the await's label (the
 *   callee), then a tab and the enclosing function (docs/trace-format.md).
 * - A module's sites are registered once, lazily, through a hoisted function, so a mark
 *   that runs before the module body reaches its end (hoisting, cycles) still works.
 */
import type { RawSourceMap } from 'source-map';
import ts from 'typescript';
import { MarkedText } from './marked-text';

export const MARKS = '__atrace';
const SITE_FN = '__atraceSite';
const SITE_BASE = '__atraceBase';
export const RUNTIME_SPECIFIER = 'async-trace/runtime';
/** Where the mark helpers come from: the runtime's internal entry (not a name users see). */
export const MARKS_SPECIFIER = 'async-trace/runtime/internal';

/** Module specifiers that mean "the runtime". */
const RUNTIME_SPEC = /^async-trace\/runtime$|(^|\/)runtime(\/index)?(\.[cm]?[jt]s)?$/;

/** Method names that are runtime operations worth a site even when not awaited. */
const RUNTIME_METHODS = new Set([
  'acquire', 'withLock', 'release', 'notify', 'notifyAll', 'putNowait', 'getNowait', 'callSoon', 'callLater', 'callAt',
  'callSoonThreadsafe', 'createTask', 'createFuture', 'runInExecutor', 'setResult', 'setException', 'cancel',
]);

interface Edit { pos: number; text: string; closing: boolean; depth: number }

export interface MarkedModule {
  code: string;
  /** Maps the rewritten code back to `text` (inserted marks to a companion source, marked-text.ts); absent when nothing was marked. */
  map?: RawSourceMap;
  /** Positions in registration order: site id = base + index. */
  sites: string[];
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function unparen(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/**
 * Rewrite `text` (the module at `fileName`); `sitePath` is how sites name the file
 * (relative to the program's root, forward slashes).
 */
export function markSites(text: string, fileName: string, sitePath: string): MarkedModule {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const sites: string[] = [];
  const edits: Edit[] = [];
  const runtimeNames = new Set<string>();
  const runtimeNamespaces = new Set<string>();
  let isModule = false;

  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st)) isModule = true;
    if (ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) isModule = true;
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !RUNTIME_SPEC.test(st.moduleSpecifier.text)) continue;
    const b = st.importClause?.namedBindings;
    if (b && ts.isNamespaceImport(b)) runtimeNamespaces.add(b.name.text);
    if (b && ts.isNamedImports(b)) for (const el of b.elements) runtimeNames.add(el.name.text);
  }

  const site = (node: ts.Node, label = ''): string => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const fn = enclosingFunction(node);
    sites.push(`${sitePath}:${line + 1}:${character + 1}${label === '' && fn === '' ? '' : `\t${label}`}${fn === '' ? '' : `\t${fn}`}`);
    return `${SITE_FN}(${sites.length - 1})`;
  };
  const open = (pos: number, text: string, depth: number): void => { edits.push({ pos, text, closing: false, depth }); };
  const close = (pos: number, text: string, depth: number): void => { edits.push({ pos, text, closing: true, depth }); };

  const isRuntimeCallee = (callee: ts.Expression): boolean => {
    const c = unparen(callee);
    if (ts.isIdentifier(c)) return runtimeNames.has(c.text);
    if (ts.isPropertyAccessExpression(c)) {
      const obj = unparen(c.expression);
      if (ts.isIdentifier(obj) && runtimeNamespaces.has(obj.text)) return true;
      return RUNTIME_METHODS.has(c.name.text);
    }
    return false;
  };

  const markCall = (node: ts.CallExpression | ts.NewExpression, depth: number): void => {
    const s = site(node);
    const args = node.arguments ?? ts.factory.createNodeArray();
    open(node.getStart(sf), `${MARKS}.q(`, depth);
    if (args.length === 0) {
      open(node.getStart(sf), `(${MARKS}.s(${s}), `, depth + 0.25);
      close(node.end, ')', depth + 0.25);
    } else {
      const last = args[args.length - 1];
      const target = ts.isSpreadElement(last) ? last.expression : last;
      open(target.getStart(sf), `${MARKS}.p(${s}, `, depth + 0.5);
      close(target.end, ')', depth + 0.5);
    }
    close(node.end, ')', depth);
  };

  const visit = (node: ts.Node, depth: number, awaitedCall: ts.Node | undefined): void => {
    if (ts.isAwaitExpression(node)) {
      const s = site(node, awaitLabel(node.expression, sf));
      const operand = node.expression;
      open(operand.getStart(sf), `${MARKS}.aw(${MARKS}.pre(${s}), `, depth);
      close(operand.end, ')', depth);
      const inner = unparen(operand);
      ts.forEachChild(node, (c) => visit(c, depth + 1, ts.isCallExpression(inner) || ts.isNewExpression(inner) ? inner : undefined));
      return;
    }
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node !== awaitedCall && isRuntimeCallee(node.expression)
      && !(ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword)) {
      markCall(node, depth);
    }
    // Type-only syntax never runs.
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    ts.forEachChild(node, (c) => visit(c, depth + 1, undefined));
  };
  ts.forEachChild(sf, (c) => visit(c, 1, undefined));

  if (sites.length === 0) return { code: text, sites };

  const table = JSON.stringify(sites);
  const tail = `\n;function ${SITE_FN}(k){return (${SITE_BASE}||(${SITE_BASE}=${MARKS}.reg(${table})))+k}var ${SITE_BASE};`;
  if (!isModule) {
    // A script (CommonJS): bind the helpers before the first statement, on its line
    // (ahead of any mark opened at the same place).
    const first = sf.statements.find((st) => !(ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)));
    open(first ? first.getStart(sf) : text.length, `var ${MARKS} = require(${JSON.stringify(MARKS_SPECIFIER)}).__asyncTraceMarks;`, 0);
  }

  // At one position: closings before openings; openings outermost first, closings innermost first.
  edits.sort((a, b) => a.pos - b.pos || (a.closing === b.closing ? (a.closing ? b.depth - a.depth : a.depth - b.depth) : a.closing ? -1 : 1));
  const out = new MarkedText(text, fileName);
  for (const e of edits) {
    out.copyTo(e.pos);
    out.insert(e.text);
  }
  out.copyTo(text.length);
  out.insert(isModule ? `${tail}import { __asyncTraceMarks as ${MARKS} } from ${JSON.stringify(MARKS_SPECIFIER)};\n` : `${tail}\n`);
  const { code, map } = out.finish();
  return { code, sites, map };
}

/**
 * What an await of a call awaits, as the viewer names it: the callee as written, with
 * `()` (`fetchPage()`, `this.db.query()`, `new Worker()`), whitespace collapsed, at most
 * 40 characters. An await of anything else (a variable, an expression) has no label.
 */
export function awaitLabel(operand: ts.Expression, sf: ts.SourceFile): string {
  const inner = unparen(operand);
  if (!ts.isCallExpression(inner) && !ts.isNewExpression(inner)) return '';
  let callee = inner.expression.getText(sf).replace(/\s+/g, ' ');
  if (callee.length > 40) callee = `…${callee.slice(callee.length - 39)}`;
  return ts.isNewExpression(inner) ? `new ${callee}()` : `${callee}()`;
}
/** The name a function-like node or class is known by: its own name, or the variable, property or parameter it is assigned to. */
function scopeName(node: ts.Node): string | undefined {
  const named = (n: ts.Node | undefined): string | undefined => {
    if (!n) return undefined;
    if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return n.text;
    return undefined;
  };
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node)
    || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    const own = named(node.name);
    if (own !== undefined) return own;
  }
  if (!(ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isClassExpression(node))) return undefined;
  let p: ts.Node = node.parent;
  while (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p)) p = p.parent;
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p)) return named(p.name);
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    const l = p.left;
    return ts.isIdentifier(l) ? l.text : ts.isPropertyAccessExpression(l) ? l.name.text : undefined;
  }
  return undefined;
}

/**
 * The named functions and classes around `node`, outermost first, joined by `.`
 * (`Cache.get`, `main.worker`); '' at a module's top level. Anonymous functions add
 * nothing (an await in `createTask(async () => ...)` inside `main` is in `main`). The
 * diff of two traces pairs sites moved by an edit by file, this name, callee and order.
 */
export function enclosingFunction(node: ts.Node): string {
  const names: string[] = [];
  for (let n: ts.Node | undefined = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    const name = scopeName(n);
    if (name !== undefined && name !== '') names.push(name);
  }
  return names.reverse().join('.');
}
