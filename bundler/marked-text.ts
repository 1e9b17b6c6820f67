/**
 * Assembles a module rewritten with site marks together with its source map, so every
 * position in the rewritten text maps back to what the user wrote.
 *
 * Why a map at all: the marks are inserted inside lines (`await E` becomes
 * `await __atrace.aw(__atrace.pre(__atraceSite(3)), E)`), so without one every token
 * after a mark is reported further right (a `throw` at column 60 came out at 148), and
 * breakpoints and stepping used that wrong map. esbuild composes this map with its own
 * when it finds it inline in the loaded contents (site-plugin.ts).
 *
 * The map has two sources:
 * - the user's file, with its original text as content: every token copied from it
 *   maps to its own line and column (a mapping at each token start, because source-map
 *   lookups take the nearest mapping to the left and never interpolate);
 * - a companion "marks" source (`<file>.atrace-marks<ext>`) whose content is the
 *   rewritten text: every inserted piece maps to itself there. That source is put in
 *   the bundle map's ignoreList and js-debug's skipFiles (bundle-program.ts), so stepping
 *   never stops inside a mark, and the user's file stays free of text they never wrote.
 */
import { SourceMapGenerator, type RawSourceMap } from 'source-map';

/** The companion source inserted marks map to; matched by MARKS_SOURCE_GLOB. */
export function marksSourcePath(fileName: string): string {
  const ext = /\.[^./\\]+$/.exec(fileName)?.[0] ?? '.js';
  return `${fileName}.atrace-marks${ext}`;
}

/** js-debug skipFiles glob for every companion marks source. */
export const MARKS_SOURCE_GLOB = '**/*.atrace-marks.*';

export function isMarksSource(file: string): boolean {
  return /\.atrace-marks\.[^./\\]+$/.test(file);
}

const enum CharClass { Space, Word, Punct }

function classOf(code: number): CharClass {
  if (code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12 || code === 0xfeff || code === 0xa0) return CharClass.Space;
  if ((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code > 127) return CharClass.Word;
  return CharClass.Punct;
}

/** Line terminators as source maps (and esbuild, and V8) count them. */
function isNewline(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 10 || c === 0x2028 || c === 0x2029) return true;
  return c === 13 && text.charCodeAt(i + 1) !== 10;
}

interface Cursor { line: number; col: number }

export class MarkedText {
  private readonly gen = new SourceMapGenerator({ skipValidation: true });
  private readonly marks: string;
  private out = '';
  /** Where the next generated character goes (line 1-based, column 0-based, as source maps count). */
  private readonly at: Cursor = { line: 1, col: 0 };
  private readonly orig: Cursor = { line: 1, col: 0 };
  private origPos = 0;

  constructor(private readonly original: string, private readonly fileName: string) {
    this.marks = marksSourcePath(fileName);
  }

  /** Copies original[origPos, to): each token start in it maps to itself in the user's file. */
  copyTo(to: number): void {
    this.emit(this.original, this.origPos, to, this.fileName, this.orig);
    this.origPos = to;
  }

  /** Inserts text the user never wrote: each token start maps to its own place in the marks source. */
  insert(text: string): void {
    this.emit(text, 0, text.length, this.marks, { ...this.at });
  }

  private emit(text: string, from: number, to: number, source: string, src: Cursor): void {
    for (let i = from; i < to; i++) {
      const c = classOf(text.charCodeAt(i));
      if (c !== CharClass.Space && (c === CharClass.Punct || i === from || classOf(text.charCodeAt(i - 1)) !== c)) {
        this.gen.addMapping({ source, generated: { line: this.at.line, column: this.at.col }, original: { line: src.line, column: src.col } });
      }
      if (isNewline(text, i)) {
        this.at.line++; this.at.col = 0;
        src.line++; src.col = 0;
      } else {
        this.at.col++;
        src.col++;
      }
    }
    this.out += text.slice(from, to);
  }

  /** The rewritten text and its map (the rest of the original is copied first). */
  finish(): { code: string; map: RawSourceMap } {
    this.copyTo(this.original.length);
    this.gen.setSourceContent(this.fileName, this.original);
    this.gen.setSourceContent(this.marks, this.out);
    return { code: this.out, map: this.gen.toJSON() };
  }
}

/** The map as an inline `sourceMappingURL` comment (what esbuild reads from loaded contents). */
export function inlineSourceMap(map: RawSourceMap): string {
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
}
