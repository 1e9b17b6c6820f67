/**
 * Socket and server events arrive from Node's event loop, outside the runtime loop's
 * callbacks; they reach the loop only through `callSoonThreadsafe`. Once the loop is
 * closed (its `run()` has ended) there is nobody left to tell, and scheduling would throw
 * inside a Node event handler, so the event is dropped.
 */
import type { EventLoop } from '../loop';

export function callFromNode(loop: EventLoop, fn: () => void): void {
  if (!loop.isClosed()) loop.callSoonThreadsafe(fn);
}
