/**
 * The Async Tasks view in Run and Debug: the live tasks of the traced program, each with
 * its state, what it waits on, its await chain (each frame opens its line) and its
 * parent; every lock, semaphore, condition and queue with its holders and its waiters in
 * line order; a wait-for cycle shown first, as a deadlock.
 *
 * While the program is paused the data is the program's own snapshot (exact at the
 * pause) and the view says where it is paused; while it runs the view follows the
 * recorded trace (trace/program-snapshot.ts snapshotFromModel), at most FOLLOW_PER_S
 * times a second. The tree is rebuilt from each snapshot; ids are stable (task and
 * resource ids) so expanded nodes stay expanded.
 */
import * as vscode from 'vscode';
import {
  awaitText, describeWait, innermostAwait, resourceLabel, snapshotSite, waitForCycles,
  type ProgramSnapshot, type SnapshotEntry, type SnapshotResource, type SnapshotTask,
} from '../trace/program-snapshot';
import type { Site } from '../trace/model-types';

export const asyncTasksViewId = 'asyncTrace.tasks';
export const openSiteCommand = 'asyncTrace.openSite';

/** Where the program is paused, as the debugger's top frame says (source-mapped). */
export interface PauseLocation {
  path: string | undefined;
  /** 1-based. */
  line: number;
  column: number;
  frameName: string;
}

export interface TasksNode {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  iconColor?: string;
  /** Site opened on click, relative to the view's root. */
  site?: Site;
  children?: TasksNode[];
  expanded?: boolean;
}

const stateIcon: Record<SnapshotTask['state'], string> = { running: 'debug-start', ready: 'circle-outline', waiting: 'watch', done: 'pass' };

function siteLabel(site: Site | undefined): string {
  return site ? `${site.file}:${site.line}:${site.col}` : '';
}

function taskName(s: ProgramSnapshot, id: number): string {
  return s.tasks.find((t) => t.id === id)?.name ?? `task ${id}`;
}

export function taskState(s: ProgramSnapshot, t: SnapshotTask): string {
  if (t.state === 'done') return t.outcome === 'ok' ? 'done' : `done: ${t.outcome}${t.message ? ` (${t.message})` : ''}`;
  const inner = innermostAwait(t);
  if (t.state === 'waiting' && inner) return `waiting on ${describeWait(s, inner)}`;
  if (t.state === 'ready' && inner) return `ready (woken from ${describeWait(s, inner)})`;
  return t.state;
}

function entryNode(s: ProgramSnapshot, r: SnapshotResource, e: SnapshotEntry, role: string, i: number): TasksNode {
  const site = snapshotSite(e.site);
  return {
    id: `r${r.id}/${role}${i}`,
    label: `${role === 'holder' ? 'held by' : `waiter ${i + 1}:`} ${taskName(s, e.taskId)}`,
    description: siteLabel(site),
    icon: role === 'holder' ? 'lock' : 'watch',
    site,
  };
}

/** The tree for one snapshot (pure, so tests and the view read the same thing). */
export function tasksTree(s: ProgramSnapshot, paused: PauseLocation | undefined): TasksNode[] {
  const nodes: TasksNode[] = [];
  if (paused) {
    const where = paused.path ? `${vscode.workspace.asRelativePath(paused.path)}:${paused.line}` : paused.frameName;
    const running = s.runningTaskId !== 0 ? ` in task ${taskName(s, s.runningTaskId)}` : ' outside any task';
    nodes.push({
      id: 'paused', label: `Paused${running}`, description: where, icon: 'debug-pause',
      site: paused.path ? { file: paused.path, line: paused.line, col: paused.column } : undefined,
    });
  } else {
    nodes.push({ id: 'paused', label: 'Running', description: 'following the trace', icon: 'debug-continue' });
  }
  for (const [k, c] of waitForCycles(s).entries()) {
    const chain = [...c, c[0]!].map((id) => taskName(s, id)).join(' → ');
    nodes.push({
      id: `cycle${k}`, label: `Deadlock: ${chain}`, icon: 'error', iconColor: 'errorForeground',
      tooltip: 'These tasks wait for each other in a cycle: none of them can go on.',
      children: c.map((id) => {
        const t = s.tasks.find((x) => x.id === id)!;
        return { id: `cycle${k}/t${id}`, label: t.name, description: taskState(s, t), site: snapshotSite(innermostAwait(t)?.site ?? '') };
      }),
      expanded: true,
    });
  }
  const live = s.tasks.filter((t) => t.state !== 'done');
  const done = s.tasks.filter((t) => t.state === 'done');
  nodes.push({
    id: 'tasks', label: `Tasks (${live.length}${done.length > 0 ? `, ${done.length} just done` : ''})`, expanded: true,
    children: [...live, ...done].map((t) => {
      const children: TasksNode[] = [...t.awaits].reverse().map((a, i) => ({
        id: `t${t.id}/a${i}`, label: `await ${awaitText(a)}`, description: siteLabel(snapshotSite(a.site)), icon: 'debug-stackframe',
        site: snapshotSite(a.site),
      }));
      if (t.stack && t.stack.length > 1) {
        children.push({ id: `t${t.id}/stack`, label: 'awaits through', description: t.stack.map((e) => `${e.taskName} (${e.kind})`).join(' → '), icon: 'references' });
      }
      if (t.parentId !== 0) children.push({ id: `t${t.id}/parent`, label: `parent: ${taskName(s, t.parentId)}`, icon: 'type-hierarchy-super' });
      const site = snapshotSite(t.site);
      if (site) children.push({ id: `t${t.id}/created`, label: 'created at', description: siteLabel(site), icon: 'add', site });
      return {
        id: `t${t.id}`, label: t.name, description: taskState(s, t), icon: stateIcon[t.state],
        iconColor: t.id === s.runningTaskId ? 'debugIcon.startForeground' : undefined, children,
        expanded: t.state === 'running' || (t.state === 'waiting' && t.id === s.runningTaskId),
      };
    }),
  });
  const resources = s.resources.filter((r) => r.kind !== 'event' && r.kind !== 'barrier');
  nodes.push({
    id: 'resources', label: `Locks, semaphores, conditions, queues (${resources.length})`, expanded: true,
    children: resources.map((r) => ({
      id: `r${r.id}`, label: resourceLabel(r),
      description: `${r.holders.length > 0 ? `held by ${r.holders.map((h) => taskName(s, h.taskId)).join(', ')}` : r.kind === 'queue' ? '' : 'free'}${r.waiters.length > 0 ? `${r.holders.length > 0 || r.kind !== 'queue' ? ', ' : ''}${r.waiters.length} waiting` : ''}`,
      icon: r.kind === 'queue' ? 'list-ordered' : 'lock',
      site: snapshotSite(r.site),
      children: [...r.holders.map((h, i) => entryNode(s, r, h, 'holder', i)), ...r.waiters.map((w, i) => entryNode(s, r, w, 'waiter', i))],
      expanded: r.holders.length + r.waiters.length > 0,
    })),
  });
  return nodes;
}

export class AsyncTasksView implements vscode.TreeDataProvider<TasksNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TasksNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: TasksNode[] = [];
  private readonly view: vscode.TreeView<TasksNode>;
  /** The snapshot on show and where it was paused (tests read them). */
  snapshot: ProgramSnapshot | undefined;
  paused: PauseLocation | undefined;
  /** Folder relative sites resolve against (the trace's root). */
  root: string | undefined;
  /** How many times the tree was rebuilt (tests read it). */
  updates = 0;

  constructor() {
    this.view = vscode.window.createTreeView(asyncTasksViewId, { treeDataProvider: this, showCollapseAll: true });
  }

  get visible(): boolean {
    return this.view.visible;
  }

  show(snapshot: ProgramSnapshot, paused: PauseLocation | undefined, root: string | undefined): void {
    this.snapshot = snapshot;
    this.paused = paused;
    this.root = root;
    this.roots = tasksTree(snapshot, paused);
    this.updates++;
    this.view.message = undefined;
    this.changed.fire(undefined);
  }

  /** No program: the view says so and shows nothing. */
  clear(message: string): void {
    this.snapshot = undefined;
    this.paused = undefined;
    this.roots = [];
    this.view.message = message;
    this.changed.fire(undefined);
  }

  getChildren(node?: TasksNode): TasksNode[] {
    return node ? node.children ?? [] : this.roots;
  }

  getTreeItem(node: TasksNode): vscode.TreeItem {
    const state = node.children && node.children.length > 0
      ? (node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed)
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip ?? (node.description ? `${node.label} — ${node.description}` : node.label);
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
    if (node.site) item.command = { command: openSiteCommand, title: 'Open', arguments: [node.site, this.root] };
    return item;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
