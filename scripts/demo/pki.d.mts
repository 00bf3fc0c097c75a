/** Types of pki.mjs, for the TypeScript examples that reuse the demo PKI. */

/** The files of a demo PKI by name (`ca.pem`, `server.pem`, `valid.pem`, `valid-key.pem` …). */
export type DemoFiles = Record<string, string>;

/**
 * Makes the demo PKI in `dir`: a root and an issuing CA, the server's certificate for
 * localhost and 127.0.0.1, and client certificates `valid`, `expired`, `unknown-ca` and
 * `wrong-san`, each with its key.
 */
export function makeDemoPki(dir: string, now?: Date): Promise<{ dir: string; files: DemoFiles }>;
