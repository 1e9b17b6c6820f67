import assert from 'node:assert/strict';
import { parseUpToPause, pauseBeginExpression, pauseEndExpression, traceUpToPauseExpression } from './pause-requests';

const PAUSED = Symbol.for('async-trace.debuggerPaused');
const UP_TO = Symbol.for('async-trace.traceUpToPause');
const g = globalThis as Record<symbol, unknown>;
/** What a debug adapter does with an expression: evaluates it in the program's global scope. */
const evaluate = (expression: string): unknown => (0, eval)(expression);

describe('pause requests to the traced program', () => {
  afterEach(() => { delete g[PAUSED]; delete g[UP_TO]; });

  it('pass the extension\'s reading of the stop and the resume to the program, and answer -1 when it is not traced', () => {
    assert.equal(evaluate(pauseBeginExpression(1_700_000_000_123.25)), -1);
    const calls: unknown[][] = [];
    g[PAUSED] = (...args: unknown[]) => { calls.push(args); return 42; };
    assert.equal(evaluate(pauseBeginExpression(1_700_000_000_123.25)), 42);
    assert.equal(evaluate(pauseEndExpression(1_700_000_003_000.5)), 42);
    // A reading that is no number is left out: the program uses its own clock.
    evaluate(pauseEndExpression(Number.NaN));
    assert.deepEqual(calls, [['begin', 1_700_000_000_123.25], ['end', 1_700_000_003_000.5], ['end', undefined]]);
  });

  it('ask for the trace up to the stop, and read the answer however the adapter quotes it', () => {
    assert.equal(evaluate(traceUpToPauseExpression), '');
    g[UP_TO] = () => JSON.stringify({ through: 1234, held: 0 });
    const answer = evaluate(traceUpToPauseExpression) as string;
    assert.deepEqual(parseUpToPause(answer), { through: 1234, held: 0 });
    assert.deepEqual(parseUpToPause(`'${answer}'`), { through: 1234, held: 0 });
    assert.deepEqual(parseUpToPause(`"${answer}"`), { through: 1234, held: 0 });
    assert.equal(parseUpToPause(''), undefined);
    assert.equal(parseUpToPause("''"), undefined);
    assert.equal(parseUpToPause('ReferenceError: x is not defined'), undefined);
    assert.equal(parseUpToPause('{"through":"1"}'), undefined);
  });
});
