/**
 * Calling the host's observers (`onVerdict`, `onError`): whatever one does must reach neither
 * the verdict nor the process. TypeScript accepts an async function where `=> void` is asked
 * for, and the rejection of a promise nobody handles ends a Node process by default, so a
 * returned promise is handled as a throw is.
 */
export function callObserver(call: () => unknown, failed: (error: unknown) => void): void {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    failed(error);
    return;
  }
  const then = thenOf(result);
  if (then) {
    try {
      then.call(result, undefined, failed);
    } catch (error) {
      failed(error);
    }
  }
}

/** The failure handler of an observer whose failures have nowhere to go. */
export function ignore(): void {}

function thenOf(
  value: unknown,
): ((ok: unknown, failed: (e: unknown) => void) => unknown) | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null)
    return undefined;
  try {
    const then = (value as { then?: unknown }).then;
    return typeof then === 'function' ? (then as ReturnType<typeof thenOf>) : undefined;
  } catch {
    return undefined;
  }
}
