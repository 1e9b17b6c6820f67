/**
 * Site strings: `file:line:col` (1-based, original source), optionally followed by a tab
 * and a label (build-time marks name what an await of a call awaits: `fetchPage()`), and
 * by another tab and the enclosing function (`Cache.get`).
 * The file part may itself contain colons (Windows drive letters), so parsing reads the
 * two numbers from the right. Pure, no Node.
 */
import type { Site } from './model-types';

/** Parse `file:line:col[\tlabel[\tfunction]]`; undefined when the position does not end in two positive integers. */
export function parseSite(text: string): Site | undefined {
  const [pos, label, fn] = text.split('\t', 3);
  const m = /^(.*):(\d+):(\d+)$/.exec(pos);
  if (!m || m[1] === '') return undefined;
  const site: Site = { file: m[1], line: Number(m[2]), col: Number(m[3]) };
  if (label) site.label = label;
  if (fn) site.fn = fn;
  return site;
}

/** How an await is named in exports and the viewer: the call it awaits when the site knows it (`fetchPage()`), else its kind. */
export function awaitName(kind: string, site: Site | undefined): string {
  return kind === 'promise' && site?.label ? site.label : kind;
}

export function formatSite(site: Site): string {
  return `${site.file}:${site.line}:${site.col}`;
}

/**
 * The trace's site table: ids registered in blocks by `sitesRegistered` events.
 * Id 0 is "no site". Parsed sites are cached so repeated lookups share one object.
 */
export class SiteTable {
  private readonly byId = new Map<number, Site | undefined>();

  /**
   * `root`: the header's root. Stack-captured sites arrive as absolute paths; those
   * inside the root are made relative to it, like build-time sites already are.
   */
  register(base: number, sites: readonly string[], root = ''): void {
    const prefix = root === '' ? '' : root.replace(/[\\/]+$/, '');
    for (let i = 0; i < sites.length; i++) {
      const site = parseSite(sites[i]);
      if (site && prefix !== '' && site.file.length > prefix.length + 1 && site.file.startsWith(prefix)
        && (site.file[prefix.length] === '/' || site.file[prefix.length] === '\\')) {
        site.file = site.file.slice(prefix.length + 1).replace(/\\/g, '/');
      }
      this.byId.set(base + i, site);
    }
  }

  get(id: number): Site | undefined {
    return id === 0 ? undefined : this.byId.get(id);
  }
}
