import assert from 'node:assert/strict';
import type { Site } from '../model-types';
import { pairItems, siteKeys } from './pairing';

const at = (line: number, fn = 'main', label = 'sleep()', col = 5): Site => ({ file: 'a.ts', line, col, fn, label });
const keys = (sites: Site[]) => sites.map((s) => siteKeys('sleep', s));

describe('diff pairing of sites', () => {
  it('pairs the same site first, whatever the order', () => {
    const p = pairItems(keys([at(3), at(9)]), keys([at(9), at(3)]));
    assert.deepEqual(p.pairs, [[0, 1], [1, 0]]);
    assert.deepEqual([p.onlyA, p.onlyB], [[], []]);
  });

  it('pairs sites an edit moved by file, function, callee and order', () => {
    const p = pairItems(keys([at(3), at(9), at(20, 'other')]), keys([at(7), at(13), at(24, 'other')]));
    assert.deepEqual(p.pairs, [[0, 0], [1, 1], [2, 2]]);
  });

  it('does not pair sites of different functions, callees or kinds', () => {
    const p = pairItems(keys([at(3, 'f'), at(4, 'main', 'fetch()')]), keys([at(5, 'g'), at(6, 'main', 'get()')]));
    assert.deepEqual(p.pairs, []);
    assert.deepEqual(pairItems([siteKeys('lock', at(3))], [siteKeys('sleep', at(3))]).pairs, []);
  });

  it('when a site was added, aligns the rest by how far the file moved and leaves the new one alone', () => {
    // The file moved down 10 lines (the `other` function says so); a sleep was added between the two old ones.
    const a = keys([at(3), at(9), at(30, 'other')]);
    const b = keys([at(13), at(16), at(19), at(40, 'other')]);
    const p = pairItems(a, b);
    assert.deepEqual(p.pairs, [[0, 0], [1, 2], [2, 3]]);
    assert.deepEqual(p.onlyB, [1]);
    // And the other way round (a site removed).
    const q = pairItems(b, a);
    assert.deepEqual(q.pairs, [[0, 0], [2, 1], [3, 2]]);
    assert.deepEqual(q.onlyA, [1]);
  });

  it('pairs sites without a site by kind', () => {
    assert.deepEqual(pairItems([siteKeys('sleep', undefined)], [siteKeys('sleep', undefined)]).pairs, [[0, 0]]);
  });
});
