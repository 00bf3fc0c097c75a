/**
 * mtls-gate: mutual TLS for Node.js servers. This module is the public surface of
 * shared/API.md, re-exported by name; the framework adapters are subpath exports.
 */

export {
  type BundleFinding,
  type BundleFindingKind,
  daysLeft,
  EXPIRING_WITHIN_DAYS,
  type LintOptions,
  lintBundle,
  type ValidityStatus,
  validityStatus,
} from './bundle-lint.js';
export { type AlgorithmIdentifier, Certificate } from './certificate.js';
export { Budget, type BudgetLimits, DEFAULT_BUDGET } from './chain/budget.js';
export { buildChain, type ChainResult } from './chain/build-chain.js';
export { ChainCache, type ChainCacheOptions } from './chain/cache.js';
export { type ChainOptions, DEFAULT_MAX_DEPTH } from './chain/options.js';
export {
  checkKeyStrength,
  MIN_RSA_BITS,
  type SchemeError,
  type SchemeOptions,
  type SignatureScheme,
  signatureScheme,
} from './crypto/algorithms.js';
export { type CryptoBackend, type VerifyResult, verifyIssued } from './crypto/backend.js';
export { createNodeBackend, nodeBackend } from './crypto/node.js';
export { createWebCryptoBackend, webCryptoBackend } from './crypto/webcrypto.js';
export {
  attributeOid,
  type DNForm,
  type DNInput,
  DNSyntaxError,
  dnAttribute,
  dnEquals,
  dnIsWithin,
  formatDN,
  normalizeDN,
  parseDN,
} from './dn.js';
export {
  INVALID_REASONS,
  type InvalidReason,
  MTLS_ERROR_DESCRIPTIONS,
  MTLS_HTTP_STATUS,
  MtlsError,
  MtlsErrorCode,
} from './errors.js';
export type {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Extension,
  GeneralSubtree,
  KeyUsage,
  NameConstraints,
} from './extensions.js';
export type { GeneralName } from './general-name.js';
export { type CertificateInput, type NodeX509Like, parseCertificates } from './input.js';
export { OID } from './oids.js';
export type { KeyAlgorithm, PublicKeyInfo } from './public-key.js';
export type { DNAttribute, RDN } from './rdn.js';
export { type CompiledRule, compileRule } from './rules/compile-rule.js';
export { type RuleCertificateFields, type RuleContext, ruleContext } from './rules/context.js';
export type { RuleExplanation } from './rules/explain.js';
export { RuleSyntaxError } from './rules/rule-syntax-error.js';
export {
  canonicalizeSAN,
  formatGeneralName,
  type SANKind,
  SANSyntaxError,
} from './san.js';
export { parseSANList } from './san-list.js';
export { TrustBundle } from './trust/trust-bundle.js';
export {
  type AddBundleOptions,
  MAX_BUNDLE_NAME_LENGTH,
  TrustStore,
  TrustStoreError,
  validateBundleName,
} from './trust/trust-store.js';
export {
  type CertificateBoundClaims,
  type ClientConfig,
  certificateThumbprint,
  checkCertificateBinding,
  createVerifier,
  DEFAULT_VERDICT_CACHE_SIZE,
  type ErrorBody,
  hostPatternMatches,
  MAX_CLIENT_BUNDLES,
  type Verdict,
  type VerdictFailure,
  type VerdictSuccess,
  type Verifier,
  type VerifierChainOptions,
  type VerifierConfig,
  VerifierConfigError,
  type VerifyRequest,
  verdictErrorBody,
} from './verifier/index.js';
