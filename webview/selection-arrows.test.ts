import assert from 'node:assert/strict';
import { defaultLayoutOptions, layoutTrace } from './flame-layout';
import { selectionArrows } from './selection-arrows';
import { sampleTrace } from './test-fixtures';

describe('selection arrows', () => {
  const model = sampleTrace();
  const layout = layoutTrace(model);
  const laneY = (label: string) => layout.lanes.find((l) => l.label === label)!.y;

  it('points from the waker at the wake time to the end of a selected await', () => {
    const arrows = selectionArrows(model, layout, { kind: 'await', taskId: 3, index: 2 });
    const await2 = model.task(3)!.awaits.at(2)!;
    assert.equal(await2.kind, 'lock');
    assert.deepEqual(arrows, [{ fromT: 32, fromY: laneY('fetch-0') + 9, toT: 32, toY: laneY('fetch-1') + defaultLayoutOptions.rowHeight * 1.5, label: 'woke' }]);
  });

  it('points from the spawner to a selected task and from it to each task it spawned', () => {
    const toFetch0 = selectionArrows(model, layout, { kind: 'task', taskId: 2 });
    assert.deepEqual(toFetch0, [{ fromT: 1, fromY: laneY('main') + 9, toT: 1, toY: laneY('fetch-0') + 9, label: 'spawned' }]);
    const fromMain = selectionArrows(model, layout, { kind: 'task', taskId: 1 });
    assert.deepEqual(fromMain.map((a) => a.toY), ['consumer', 'fetch-0', 'fetch-1', 'fetch-2'].map((l) => laneY(l) + 9));
    assert.ok(fromMain.every((a) => a.fromY === laneY('main') + 9 && a.label === ''));
    assert.equal(fromMain.length, 4);
  });

  it('draws no arrow to a lane that the filter removed', () => {
    const filtered = layoutTrace(model, { ...defaultLayoutOptions, nameFilter: 'fetch-1' });
    assert.deepEqual(selectionArrows(model, filtered, { kind: 'await', taskId: 3, index: 2 }), []);
  });
});
