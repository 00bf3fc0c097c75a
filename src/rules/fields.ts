/**
 * Reading a certificate field from a context. The context may be hand-made, so each read
 * checks that the value has the field's type; a wrong value fails the rule, and nothing
 * taken from the context is ever called.
 */

import { CERTIFICATE_FIELDS, type CertificateField } from './context.js';
import { asObject, fail, type Site } from './failure.js';
import type { Evaluator } from './typed.js';
import { type RuleType, type } from './types.js';

const getTime = Date.prototype.getTime;

/** The static type of a field. */
export function fieldType(field: CertificateField): RuleType {
  const spelled = CERTIFICATE_FIELDS[field];
  return spelled === 'string?' ? type('string', true) : type(spelled);
}

/** True when `name` is a field of every certificate context. */
export function isField(name: string): name is CertificateField {
  return Object.hasOwn(CERTIFICATE_FIELDS, name);
}

function checked(field: CertificateField, site: Site): (value: unknown) => unknown {
  switch (CERTIFICATE_FIELDS[field]) {
    case 'string?':
      return (v) =>
        typeof v === 'string' ? v : v == null ? null : fail(site, `${site.text} is not a string`);
    case 'string':
    case 'name':
      return (v) => (typeof v === 'string' ? v : fail(site, `${site.text} is not a string`));
    case 'sans':
      return (v) => (Array.isArray(v) ? v : fail(site, `${site.text} is not a list`));
    case 'time':
      return (v) => {
        if (typeof v === 'number' && Number.isFinite(v)) return v;
        let ms = Number.NaN;
        try {
          // The intrinsic, not v.getTime: a value from the context is never called.
          ms = getTime.call(v);
        } catch {}
        return Number.isFinite(ms) ? ms : fail(site, `${site.text} is not a time`);
      };
  }
}

/** An evaluator reading `field` of the certificate that `owner` evaluates to. */
export function fieldReader(
  owner: { readonly evaluate: Evaluator; readonly site: Site } | undefined,
  field: CertificateField,
  site: Site,
): Evaluator {
  const check = checked(field, site);
  if (owner === undefined) {
    return (context) => check((context as Record<string, unknown>)[field]);
  }
  const read = owner.evaluate;
  const ownerSite = owner.site;
  return (context) => check((asObject(read(context), ownerSite) as Record<string, unknown>)[field]);
}

/** An evaluator reading `CHAIN` of the top-level context. */
export function chainReader(site: Site): Evaluator {
  return (context) => {
    const v = (context as Record<string, unknown>).CHAIN;
    return Array.isArray(v) ? v : fail(site, `${site.text} is not a list`);
  };
}
