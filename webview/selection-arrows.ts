/**
 * The arrows drawn for a selection, in layout space (traceTime, layoutY): who woke a
 * selected await (waker's lane at the wake time → the await's end), the task it
 * awaited (that task's end → the await's end), and for a task: its spawner (parent
 * lane → its lane at creation) and the tasks it spawned. Pure; lanes filtered out of
 * the layout simply get no arrow.
 */
import type { TraceModelView } from '../trace/model-types';
import { laneById, locate, type FlameLayout, type SpanRef } from './flame-layout';
import { taskLaneId } from './lane-id';
import type { Arrow } from './renderer';

export function selectionArrows(model: TraceModelView, layout: FlameLayout, sel: SpanRef): Arrow[] {
  const laneY = (taskId: number) => { const l = laneById(layout, taskLaneId(taskId)); return l ? l.y + 9 : undefined; };
  const out: Arrow[] = [];
  if (sel.kind === 'await') {
    const where = locate(layout, sel);
    const a = model.task(sel.taskId)?.awaits.at(sel.index);
    if (!where || !a) return out;
    const y = where.track.y + where.track.height / 2;
    if (a.wake && a.wake.wakerTaskId) {
      const wy = laneY(a.wake.wakerTaskId);
      if (wy !== undefined) out.push({ fromT: a.wake.time, fromY: wy, toT: a.end ?? a.wake.time, toY: y, label: 'woke' });
    }
    const target = a.targetId ? model.task(a.targetId) : undefined;
    const ty = target ? laneY(target.id) : undefined;
    if (target && ty !== undefined) out.push({ fromT: target.endedAt ?? model.endTime, fromY: ty, toT: a.end ?? model.endTime, toY: y, label: 'awaited' });
  }
  if (sel.kind === 'task' || sel.kind === 'run') {
    const task = model.task(sel.taskId);
    const y = task ? laneY(task.id) : undefined;
    if (!task || y === undefined) return out;
    const py = laneY(task.parentId);
    if (py !== undefined) out.push({ fromT: task.createdAt, fromY: py, toT: task.createdAt, toY: y, label: 'spawned' });
    if (sel.kind === 'task') {
      for (const c of task.children.slice(0, 32)) {
        const child = model.task(c), cy = laneY(c);
        if (child && cy !== undefined) out.push({ fromT: child.createdAt, fromY: y, toT: child.createdAt, toY: cy, label: '' });
      }
    }
  }
  return out;
}
