/** GeneralName (RFC 5280 §4.2.1.6), decoded from DER into plain values. */

import { asciiAt, contentOf, DerError, DerReader, decodeOid, encodingOf, type Tlv } from './der.js';

export type GeneralName =
  | { readonly kind: 'dns'; readonly value: string }
  | { readonly kind: 'email'; readonly value: string }
  | { readonly kind: 'uri'; readonly value: string }
  /** 4 or 16 octets in a SAN; 8 or 32 (address and mask) in a name constraint. */
  | { readonly kind: 'ip'; readonly bytes: Uint8Array }
  /** The DER of the Name (a SEQUENCE of RDNs). */
  | { readonly kind: 'dirName'; readonly der: Uint8Array }
  | { readonly kind: 'rid'; readonly oid: string }
  /** `value` is the DER of the [0] EXPLICIT content. */
  | { readonly kind: 'otherName'; readonly typeId: string; readonly value: Uint8Array }
  | { readonly kind: 'x400Address' | 'ediPartyName'; readonly der: Uint8Array };

/** Decodes one GeneralName TLV (a context-specific tag). */
export function decodeGeneralName(tlv: Tlv): GeneralName {
  switch (tlv.tag) {
    case 0x81:
      return { kind: 'email', value: ia5(tlv) };
    case 0x82:
      return { kind: 'dns', value: ia5(tlv) };
    case 0x86:
      return { kind: 'uri', value: ia5(tlv) };
    case 0x87:
      return { kind: 'ip', bytes: contentOf(tlv) };
    case 0x88:
      return {
        kind: 'rid',
        oid: decodeOid({
          tag: 0x06,
          start: tlv.start,
          valueStart: tlv.valueStart,
          end: tlv.end,
          bytes: tlv.bytes,
        }),
      };
    case 0xa4: {
      const inner = DerReader.inside(tlv);
      const name = inner.expect(0x30, 'directoryName');
      inner.done('directoryName');
      return { kind: 'dirName', der: encodingOf(name) };
    }
    case 0xa0: {
      const r = DerReader.inside(tlv);
      const typeId = decodeOid(r.expect(0x06, 'otherName type-id'));
      const value = r.expect(0xa0, 'otherName value');
      r.done('otherName');
      return { kind: 'otherName', typeId, value: contentOf(value) };
    }
    case 0xa3:
      return { kind: 'x400Address', der: encodingOf(tlv) };
    case 0xa5:
      return { kind: 'ediPartyName', der: encodingOf(tlv) };
    default:
      throw new DerError(`unknown GeneralName tag 0x${tlv.tag.toString(16)}`);
  }
}

function ia5(tlv: Tlv): string {
  return asciiAt(tlv.bytes, tlv.valueStart, tlv.end, 'IA5String');
}

/** Decodes `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName`. */
export function decodeGeneralNames(seq: Tlv, what: string): GeneralName[] {
  if (seq.tag !== 0x30) throw new DerError(`${what}: expected a SEQUENCE`);
  const r = DerReader.inside(seq);
  const names: GeneralName[] = [];
  while (r.hasMore()) {
    r.next();
    names.push(decodeGeneralName(r));
  }
  return names;
}
