/** The shape of a distinguished name, shared by the DER reader, the RFC 4514 codec and rules. */

/** One attribute type and value (RFC 4514 `attributeTypeAndValue`). */
export interface DNAttribute {
  /** The attribute type as a dotted OID (`2.5.4.3` for CN). */
  readonly type: string;
  /** The value as text. Empty when the value has no string form (then `ber` is set). */
  readonly value: string;
  /**
   * The BER encoding of the value (tag, length and content) when it has no string form we
   * render, or when it was written as `#hex` in RFC 4514 input. Formatted back as `#hex`.
   */
  readonly ber?: Uint8Array | undefined;
}

/** A relative distinguished name: one or more attributes (multi-valued with `+`). */
export type RDN = readonly DNAttribute[];
