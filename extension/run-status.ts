/**
 * Status bar progress of a running trace: bytes, events, tasks and elapsed time,
 * refreshed when bytes arrive and once a second for the clock. Shown only while its run
 * is the one on screen (`visible`), so the status bar follows the trace in the panel.
 */
import * as vscode from 'vscode';

export class RunStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('asyncTrace.run', vscode.StatusBarAlignment.Left, 100);
  private readonly startedAt = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  private bytes = 0;
  private events = 0;
  private tasks = 0;

  constructor(private readonly program: string, private readonly visible: () => boolean = () => true) {
    this.item.name = 'Async Trace';
    this.item.command = 'workbench.action.debug.stop';
    this.item.tooltip = 'Async Trace is recording. Click to stop the program.';
  }

  start(): void {
    this.render();
    this.timer = setInterval(() => this.render(), 1000);
  }

  update(bytes: number, events: number, tasks: number): void {
    this.bytes = bytes;
    this.events = events;
    this.tasks = tasks;
    this.render();
  }

  private render(): void {
    const secs = ((Date.now() - this.startedAt) / 1000).toFixed(0);
    const kb = this.bytes < 10_240 ? `${this.bytes} B` : `${(this.bytes / 1024).toFixed(0)} KB`;
    this.item.text = `$(record) ${this.program}: ${this.events} events, ${this.tasks} tasks, ${kb}, ${secs}s`;
    if (this.visible()) this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.item.dispose();
  }
}
