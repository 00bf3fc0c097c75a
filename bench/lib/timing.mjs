// Timing: every contender of a group runs in the same process, one after another, round by
// round (round 1 of every contender, then round 2 …), so that a slow patch of a shared
// machine lands on all of them rather than on one. Each gets a warm-up first; the figure is
// the median over rounds of calls per second. Calls are awaited one at a time when the
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
  // Check the clock every 8 calls: cheap next to the fastest contender (a cache hit).
  if (isAsync) {
    while (now - start < ms) {
      for (let k = 0; k < 8; k++) await fn(counter.i++);
      calls += 8;
      now = performance.now();
    }
  } else {
    while (now - start < ms) {
      for (let k = 0; k < 8; k++) fn(counter.i++);
      calls += 8;
      now = performance.now();
    }
  }
  return (calls / (now - start)) * 1000;
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
    for (const s of state) {
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
