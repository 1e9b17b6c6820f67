/**
 * Reading a trace file for the CLI: decode it and fold it into the model. A file that
 * is missing, foreign or cut short is a TraceFileError (exit 3) whose message names the
 * problem and, for a truncated file, the byte offset where reading stopped.
 *
 * The file is read in chunks and each chunk's events are folded in before the next is
 * read, so at no point are the whole file's bytes and all of its decoded events held at
 * once (a 10M-event trace decoded whole is ~1 GB of event objects on top of the model).
 */
import { closeSync, openSync, readFileSync, readSync, fstatSync } from 'node:fs';
import { TraceDecoder, type RecordSink } from '../trace/decoder';
import { TraceFormatError } from '../trace/format';
import { TraceModel } from '../trace/model';
import { TraceFileError } from './errors';
import type { TraceEvent } from '../trace/events';
import type { TraceHeader } from '../trace/model-types';

export interface LoadedTrace {
  model: TraceModel;
  /** The file's bytes, read again when asked for (they are not kept while the model is built). */
  readonly bytes: Uint8Array;
}

/** Bytes read per step: big enough for few calls, small next to the model. */
const READ_CHUNK = 4 << 20;

function cannotRead(file: string, e: unknown): TraceFileError {
  const code = (e as NodeJS.ErrnoException).code;
  return new TraceFileError(`${file}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message})`);
}

/**
 * Decodes `file` chunk by chunk, handing each chunk's events to `fold` (and the header
 * first, once known); throws TraceFileError for anything but a whole, readable trace.
 */
function decodeFile(file: string, fold: ((header: TraceHeader, events: TraceEvent[]) => void) | RecordSink): TraceHeader {
  let fd: number;
  let size: number;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (st.isDirectory()) { closeSync(fd); throw Object.assign(new Error('is a directory'), { code: 'EISDIR' }); }
    size = st.size;
  } catch (e) {
    throw cannotRead(file, e);
  }
  const decoder = new TraceDecoder();
  const chunk = new Uint8Array(Math.min(READ_CHUNK, Math.max(size, 1)));
  try {
    for (;;) {
      let n: number;
      try { n = readSync(fd, chunk, 0, chunk.length, null); } catch (e) { throw cannotRead(file, e); }
      if (n === 0) break;
      let events: TraceEvent[] | undefined;
      try {
        // A sink (the model) takes the records straight from the bytes.
        if (typeof fold === 'function') events = decoder.push(chunk.subarray(0, n));
        else decoder.pushTo(chunk.subarray(0, n), fold);
      } catch (e) {
        if (e instanceof TraceFormatError) throw new TraceFileError(`${file}: not a readable async-trace file: ${e.message}`);
        throw e;
      }
      if (events && decoder.header && typeof fold === 'function') fold(decoder.header, events);
    }
  } finally {
    closeSync(fd);
  }
  const end = decoder.end();
  if (!decoder.header) throw new TraceFileError(`${file}: not a readable async-trace file: ${end.error ?? 'no header'} at byte ${end.stoppedAt}`);
  if (!end.complete) {
    const why = end.error ?? 'truncated';
    throw new TraceFileError(`${file}: ${why}; whole batches end at byte ${end.stoppedAt} of ${size}`);
  }
  return decoder.header;
}

export function loadTrace(file: string): LoadedTrace {
  const model = new TraceModel();
  decodeFile(file, model);
  return {
    model,
    get bytes() { return new Uint8Array(readFileSync(file)); },
  };
}

/** Checks that `file` is a whole, readable trace without building its model; returns its header. */
export function checkTrace(file: string): TraceHeader {
  return decodeFile(file, () => undefined);
}
