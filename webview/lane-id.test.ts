import assert from 'node:assert/strict';
import type { SpanRef } from './flame-layout';
import { laneIdOf, resourceLaneId, taskLaneId } from './lane-id';

describe('lane ids', () => {
  it('names task and resource lanes apart, and finds a span\'s lane from its ref', () => {
    assert.equal(taskLaneId(7), 't7');
    assert.equal(resourceLaneId(7), 'r7');
    const wait: SpanRef = { kind: 'wait', resourceId: 50, index: 2 };
    const awaitRef: SpanRef = { kind: 'await', taskId: 3, index: 0 };
    assert.equal(laneIdOf(awaitRef), 't3');
    assert.equal(laneIdOf(wait), 'r50');
  });
});
