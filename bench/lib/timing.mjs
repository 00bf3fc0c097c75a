// Timing: every contender of a group runs in the same process, one after another, round by
// round (round 1 of every contender, then round 2 …), so that a slow patch of a shared
// machine lands on all of them rather than on one (the order is shuffled per round). Each gets
// a warm-up first; the figure is the median over rounds of calls per second, and a ratio is
// the median over rounds of the ratio within the round (ratioOf). Calls are awaited one at a time when the
// contender is async: the figure is the latency of one validation, as a handshake sees it.

import { performance } from 'node:perf_hooks';

/** Median of numbers (mean of the middle two for an even count). */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Calls `fn(i)` for about `ms` milliseconds; returns calls per second. */
async function runFor(fn, ms, counter, isAsync) {
  const start = performance.now();
  let calls = 0;
  let now = start;
  // The clock is read after every call: ~50 ns, under 1% of the fastest contender (a cache
  // hit), and a slow contender (10 ms a call) does not overrun its window by a batch.
  if (isAsync) {
    while (now - start < ms) {
      await fn(counter.i++);
      calls++;
      now = performance.now();
    }
  } else {
    while (now - start < ms) {
      fn(counter.i++);
      calls++;
      now = performance.now();
    }
  }
  return (calls / (now - start)) * 1000;
}

/** A fixed pseudo-random permutation per round, so that no contender always runs first. */
function shuffled(list, round) {
  const out = [...list];
  let seed = 0x9e3779b9 ^ (round * 2654435761);
  for (let i = out.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * The ratio of two measurements of one group: the median over rounds of the per-round ratio.
 * Contenders of a round ran within a second of each other, so a ratio taken inside a round
 * cancels most of the load other processes put on a shared machine; the medians of the two
 * series separately do not.
 */
export function ratioOf(a, b) {
  if (!a?.rounds || !b?.rounds || a.rounds.length !== b.rounds.length) return undefined;
  return median(a.rounds.map((x, k) => x / b.rounds[k]));
}

/**
 * Measures a group of contenders `{ id, fn }`. `fn(i)` receives a call counter (so it can pick
 * a new leaf each call) and may return a promise. A contender whose first call throws or
 * reports failure (`check` returns a string) is not timed: its entry carries `fails`.
 * Returns Map id → { opsPerSec, usPerCall, rounds: number[] } or { fails }.
 */
export async function measureGroup(contenders, { rounds = 5, ms = 200, warmupMs = 100 } = {}) {
  const state = [];
  for (const c of contenders) {
    const counter = { i: 0 };
    let failure;
    let isAsync = false;
    try {
      const first = c.fn(counter.i++);
      isAsync = first instanceof Promise;
      const value = isAsync ? await first : first;
      failure = c.check ? c.check(value) : undefined;
    } catch (error) {
      failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (failure === undefined) {
      try {
        await runFor(c.fn, warmupMs, counter, isAsync);
      } catch (error) {
        failure = `threw during warm-up: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    state.push({ c, counter, isAsync, failure, samples: [] });
  }
  for (let r = 0; r < rounds; r++) {
    for (const s of shuffled(state, r)) {
      if (s.failure !== undefined) continue;
      s.samples.push(await runFor(s.c.fn, ms, s.counter, s.isAsync));
    }
  }
  const out = new Map();
  for (const s of state) {
    if (s.failure !== undefined) {
      out.set(s.c.id, { fails: oneLine(s.failure) });
    } else {
      const opsPerSec = median(s.samples);
      out.set(s.c.id, { opsPerSec, usPerCall: 1e6 / opsPerSec, rounds: s.samples });
    }
  }
  return out;
}

function oneLine(text) {
  const line = String(text).replace(/\s+/g, ' ').trim();
  return line.length > 90 ? `${line.slice(0, 87)}...` : line;
}

/** Milliseconds taken by `fn()` (awaited), median of `times` runs after one warm-up run. */
export async function timeOnce(fn, times = 3) {
  await fn();
  const samples = [];
  for (let k = 0; k < times; k++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}
