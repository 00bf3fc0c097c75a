/** The verifier: per-client policy, verdicts, their cache and RFC 8705 token binding. */

export {
  type ClientConfig,
  MAX_CLIENT_BUNDLES,
  VerifierConfigError,
} from './client-config.js';
export {
  createVerifier,
  type Verifier,
  type VerifierChainOptions,
  type VerifierConfig,
  type VerifyRequest,
} from './create-verifier.js';
export { bundleApplies, hostPatternMatches } from './server-name.js';
export {
  type CertificateBoundClaims,
  certificateThumbprint,
  checkCertificateBinding,
} from './token-binding.js';
export {
  type ErrorBody,
  type Verdict,
  type VerdictFailure,
  type VerdictSuccess,
  verdictErrorBody,
} from './verdict.js';
export { DEFAULT_VERDICT_CACHE_SIZE } from './verdict-cache.js';
