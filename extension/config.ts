/**
 * Typed access to the `asyncTrace.*` settings (package.json `contributes.configuration`).
 * One reader, so every default and every bound lives in one place; callers never
 * call `getConfiguration` with string keys themselves.
 */
import * as vscode from 'vscode';
import { DEFAULT_TRACE_FOLDER } from '../trace/file-names';
import { TRACER_DEFAULTS } from '../trace/tracer-settings';

export interface AsyncTraceConfig {
  /** Program to trace when no editor or launch configuration names one ('' when unset). */
  program: string;
  /** Events the runtime buffers for a slow reader before it drops (and counts) the excess. */
  eventBufferSize: number;
  /** A loop turn longer than this is reported as a blocked loop. */
  blockedLoopThresholdMs: number;
  /** Where traces are written, relative to the workspace folder unless absolute. */
  traceFolder: string;
  /** Flight recorder: keep only the most recent events, this much of them ('64MB'); '' records everything. */
  ringSize: string;
}

/** The tracer's own defaults (trace/), so a setting left alone changes nothing; package.json says the same (a test checks). */
export const configDefaults: AsyncTraceConfig = {
  program: '',
  eventBufferSize: TRACER_DEFAULTS.bufferEvents,
  blockedLoopThresholdMs: TRACER_DEFAULTS.blockedMs,
  traceFolder: DEFAULT_TRACE_FOLDER,
  ringSize: '',
};

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

export function readConfig(scope?: vscode.ConfigurationScope): AsyncTraceConfig {
  const c = vscode.workspace.getConfiguration('asyncTrace', scope);
  const text = (key: keyof AsyncTraceConfig): string => {
    const v = c.get<unknown>(key);
    return typeof v === 'string' ? v.trim() : '';
  };
  return {
    program: text('program'),
    eventBufferSize: Math.floor(positive(c.get('eventBufferSize'), configDefaults.eventBufferSize)),
    blockedLoopThresholdMs: positive(c.get('blockedLoopThresholdMs'), configDefaults.blockedLoopThresholdMs),
    traceFolder: text('traceFolder') || configDefaults.traceFolder,
    ringSize: text('ringSize'),
  };
}
