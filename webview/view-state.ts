/**
 * The view state the webview keeps across reloads (VS Code hides and revives a
 * webview by reloading it): zoom, scroll, selection, filters, table sort. Stored with
 * host.setState after every change; a state of another version is ignored, never
 * half-read.
 */
import type { AwaitKind } from '../trace/model-types';
import type { SortState } from './contention-table';
import type { SpanRef } from './flame-layout';
import type { Host } from './host';

export interface ViewState {
  v: 1;
  start: number; msPerPx: number; scrollY: number; userZoomed: boolean;
  selection: SpanRef | undefined; filter: string; hidden: AwaitKind[]; sort: SortState; selectedResource: number;
}

/** The saved state, or undefined when there is none this version understands. */
export function loadViewState(host: Host): ViewState | undefined {
  const saved = host.getState() as ViewState | undefined;
  return saved && saved.v === 1 ? saved : undefined;
}

export function saveViewState(host: Host, state: ViewState): void {
  host.setState(state);
}
