/** What a command may touch: two output streams, the colour style and a file reader. */

import type { Style } from './style.js';

/** The world as a command sees it; main.ts builds it from `process`, nothing else does. */
export interface CliIO {
  /** Writes to standard output (the result: text or JSON). */
  readonly out: (text: string) => void;
  /** Writes to standard error (errors and notices). */
  readonly err: (text: string) => void;
  readonly style: Style;
  /** Reads a file, or standard input for `-`. Throws the Node error on failure. */
  readonly readFile: (path: string) => Uint8Array;
  /** The current time; commands take `--at` to override it. */
  readonly now: () => Date;
}
