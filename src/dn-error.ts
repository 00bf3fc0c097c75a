/** The error every malformed distinguished name raises. */

/**
 * A distinguished name that cannot be parsed: bad RFC 4514, slash or newline syntax, an
 * unknown attribute type, a `#hex` value that is not one BER element, or DER that is not a
 * `Name`. `position` is the offset (UTF-16 code units in a string, octets in DER) where the
 * problem was found.
 */
export class DNSyntaxError extends Error {
  override readonly name: string = 'DNSyntaxError';
  /** Where the problem was found: a string index, or a byte offset for DER input. */
  readonly position: number;

  constructor(message: string, position: number, options?: ErrorOptions) {
    super(`${message} (at ${position})`, options);
    this.position = position;
  }
}
