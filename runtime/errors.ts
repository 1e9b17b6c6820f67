/**
 * The runtime's error classes, asyncio's names camel-cased. Each sets `name` so
 * messages and traces read well, and each is a distinct class so `instanceof`
 * tells them apart (our TimeoutError is not the DOM one).
 */

export class CancelledError extends Error {
  constructor(message = '') {
    super(message);
    this.name = 'CancelledError';
  }
}

export class TimeoutError extends Error {
  constructor(message = 'timed out', options?: ErrorOptions) {
    super(message, options);
    this.name = 'TimeoutError';
  }
}

export class InvalidStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStateError';
  }
}

/** asyncio's RuntimeError: misuse of the loop (closed, not running, no current task). */
export class RuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeError';
  }
}

export class QueueEmpty extends Error {
  constructor(message = 'queue is empty') {
    super(message);
    this.name = 'QueueEmpty';
  }
}

export class QueueFull extends Error {
  constructor(message = 'queue is full') {
    super(message);
    this.name = 'QueueFull';
  }
}

export class QueueShutDown extends Error {
  constructor(message = 'queue is shut down') {
    super(message);
    this.name = 'QueueShutDown';
  }
}

export class BrokenBarrierError extends Error {
  constructor(message = 'barrier is broken') {
    super(message);
    this.name = 'BrokenBarrierError';
  }
}

export class LimitOverrunError extends Error {
  readonly consumed: number;
  constructor(message: string, consumed: number) {
    super(message);
    this.name = 'LimitOverrunError';
    this.consumed = consumed;
  }
}

export class IncompleteReadError extends Error {
  readonly partial: Uint8Array;
  readonly expected: number | null;
  constructor(partial: Uint8Array, expected: number | null) {
    super(`${partial.length} bytes read on a total of ${expected === null ? 'undefined' : expected} expected bytes`);
    this.name = 'IncompleteReadError';
    this.partial = partial;
    this.expected = expected;
  }
}

/** What a TaskGroup throws when children (or its body) failed: all the errors, in order. */
export class ExceptionGroup extends AggregateError {
  constructor(message: string, errors: readonly unknown[]) {
    super(errors, message);
    this.name = 'ExceptionGroup';
  }
}
