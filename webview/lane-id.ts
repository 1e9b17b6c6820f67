/**
 * Lane ids: the one place they are made. A task's lane is `t<taskId>`, a resource's
 * `r<resourceId>` (the layout golden and saved selections depend on that spelling);
 * everything else asks for an id by what it stands for rather than spelling it.
 */

export type LaneId = `t${number}` | `r${number}`;

export function taskLaneId(taskId: number): LaneId { return `t${taskId}`; }
export function resourceLaneId(resourceId: number): LaneId { return `r${resourceId}`; }

/** The lane a span ref's box sits in: its task's, or its resource's. */
export function laneIdOf(ref: { taskId: number } | { resourceId: number }): LaneId {
  return 'taskId' in ref ? taskLaneId(ref.taskId) : resourceLaneId(ref.resourceId);
}
