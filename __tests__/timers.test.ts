// The timeline while a rewind re-enters frames (runtime/timers.ts): the
// pauses between the frames' tails move the timers armed before them, and a
// tail that ran only straight-line code counts as the runtime's time too,
// unless it set a timer or ran as long as real work. A fake clock stands in
// for the platform's, so each case is exact; fixtures/timer-rewind-deep
// checks the whole under a real clock.
import type { Runtime } from '../runtime/runtime.js';
import { Timers } from '../runtime/timers.js';

let clock = 0;

function timers(): Timers {
  const t = new Timers({} as Runtime);
  t.use({ set: () => ({}), clear: () => undefined, now: () => clock });
  return t;
}

function dueTimes(t: Timers): number[] {
  return t.capture().active.map((x) => (x as unknown as { due: number }).due);
}

/** A timer armed at 0 for 20 ms; the runtime pauses from 0 to 100; a tail runs from 100 to 105 and ends as `endTail` says; a second pause lasts to 200; a tail sets a 1 ms timer at 201. */
function rewindWithTail(endTail: (t: Timers) => void, tailEnds = 105): number[] {
  clock = 0;
  const t = timers();
  t.setTimeout(() => undefined, 20);
  t.holdArming();
  t.pause();
  clock = 100;
  t.resume();
  clock = tailEnds;
  endTail(t);
  clock = 200;
  t.resume();
  clock = 201;
  t.setTimeout(() => undefined, 1);
  t.releaseArming();
  return dueTimes(t);
}

test('a tail that passed a point is the program time it took', () => {
  expect(rewindWithTail((t) => t.pause())).toEqual([20 + 195, 202]);
});

test('a straight-line tail is the runtime time: the pause reaches back to the resume', () => {
  expect(rewindWithTail((t) => t.pauseAfterStraightTail())).toEqual([20 + 200, 202]);
});

test('a straight-line tail that set a timer stays the program time (the timer was due from the running timeline)', () => {
  const due = rewindWithTail((t) => {
    t.setTimeout(() => undefined, 50);
    t.pauseAfterStraightTail();
  });
  // the first timer moved by both pauses (195); the one set at 105 by the second (95); then the 1 ms one
  expect(due).toEqual([20 + 195, 105 + 50 + 95, 202]);
});

test('a straight-line tail as long as real work (a native sort, a blocking read) stays the program time', () => {
  const due = rewindWithTail((t) => t.pauseAfterStraightTail(), 160);
  expect(due).toEqual([20 + 100 + 40, 202]);
});
