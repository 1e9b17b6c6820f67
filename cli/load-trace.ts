/**
 * Reading a trace file for the CLI: decode it whole and fold it into the model. A file
 * that is missing, foreign or cut short is a TraceFileError (exit 3) whose message
 * names the problem and, for a truncated file, the byte offset where reading stopped.
 */
import { readFileSync } from 'node:fs';
import { readTraceModel } from '../trace/feed';
import { TraceFormatError } from '../trace/format';
import type { TraceModel } from '../trace/model';
import { TraceFileError } from './errors';

export interface LoadedTrace {
  model: TraceModel;
  bytes: Uint8Array;
}

export function loadTrace(file: string): LoadedTrace {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TraceFileError(`${file}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message})`);
  }
  let decoded;
  try {
    decoded = readTraceModel(bytes);
  } catch (e) {
    if (e instanceof TraceFormatError) throw new TraceFileError(`${file}: not a readable async-trace file: ${e.message}`);
    throw e;
  }
  if (!decoded.complete) {
    const why = decoded.error ?? 'truncated';
    throw new TraceFileError(`${file}: ${why}; whole batches end at byte ${decoded.stoppedAt} of ${bytes.length}`);
  }
  return { model: decoded.model, bytes };
}
