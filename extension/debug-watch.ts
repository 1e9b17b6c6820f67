/**
 * Watches the debug adapter of a traced run's sessions (a DebugAdapterTracker on every
 * session, kept for the ones that belong to a run) and tells the run when its program
 * stops and when it goes again.
 *
 * Why a tracker: `stopped` is an adapter event the API does not surface otherwise, and
 * the end of a pause is either the adapter's `continued` event or, when the user
 * resumes (continue, step), the client's request, for which DAP adapters need not send
 * `continued`. A session that ends while stopped ends the pause too.
 *
 * Sessions belong to a run by the marker in their configuration, or through their
 * parent session (js-debug runs the program in a child session of the launch).
 */
import * as vscode from 'vscode';

export const runMarker = '__asyncTraceRun';

export interface RunDebugListener {
  /** The program stopped on `threadId` (a breakpoint, a step, `debugger`, pause). */
  stopped(session: vscode.DebugSession, threadId: number, reason: string, atUnixMs: number): void;
  /** It runs again, or (`ending`) its session ended while stopped. */
  resumed(session: vscode.DebugSession, atUnixMs: number, ending?: boolean): void;
}

const resumeRequests = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'goto', 'restartFrame']);

/** Wall-clock ms with sub-millisecond resolution (trace times are compared with it). */
export function nowUnixMs(): number {
  return performance.timeOrigin + performance.now();
}

export function runIdOf(session: vscode.DebugSession): string | undefined {
  for (let s: vscode.DebugSession | undefined = session; s; s = s.parentSession) {
    const id = s.configuration[runMarker] as unknown;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

export class DebugWatch implements vscode.Disposable {
  private readonly listeners = new Map<string, RunDebugListener>();
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => {
        const runId = runIdOf(session);
        if (runId === undefined) return undefined;
        let stopped = false;
        const resume = (ending = false): void => {
          if (!stopped) return;
          stopped = false;
          this.listeners.get(runId)?.resumed(session, nowUnixMs(), ending);
        };
        return {
          onDidSendMessage: (m: { type?: string; event?: string; body?: { threadId?: number; reason?: string } }) => {
            if (m.type !== 'event') return;
            if (m.event === 'stopped') {
              stopped = true;
              this.listeners.get(runId)?.stopped(session, m.body?.threadId ?? 0, m.body?.reason ?? '', nowUnixMs());
            } else if (m.event === 'continued') resume();
            else if (m.event === 'terminated' || m.event === 'exited') resume(true);
          },
          onWillReceiveMessage: (m: { type?: string; command?: string }) => {
            if (m.type === 'request' && m.command !== undefined && resumeRequests.has(m.command)) resume();
            else if (m.type === 'request' && (m.command === 'disconnect' || m.command === 'terminate')) resume(true);
          },
          onWillStopSession: () => resume(true),
          onExit: () => resume(true),
        };
      },
    });
  }

  /** Listens to the sessions of run `runId` until the returned disposable is disposed. */
  watch(runId: string, listener: RunDebugListener): vscode.Disposable {
    this.listeners.set(runId, listener);
    return new vscode.Disposable(() => this.listeners.delete(runId));
  }

  dispose(): void {
    this.registration.dispose();
    this.listeners.clear();
  }
}
