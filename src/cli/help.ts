/** The `--help` text of every command. Kept beside each other so they read as one manual. */

/** Top-level help: `mtls-gate --help`. */
export const MAIN_HELP = `mtls-gate — check client certificates the way an mTLS server will

Usage:
  mtls-gate verify --bundle ca.pem [options] client.pem   accept or reject a client certificate
  mtls-gate inspect cert.pem [more.pem …]                  show certificates and lint a bundle
  mtls-gate rule 'FORMULA' cert.pem                        evaluate a validation rule and explain it

Options:
  -h, --help      show help (also after any command: mtls-gate verify --help)
  -v, --version   print the version

Exit codes: 0 accepted, 1 rejected, 2 usage or input error.
Colours are used on a terminal only; set NO_COLOR to turn them off.
`;

/** `mtls-gate verify --help`. */
export const VERIFY_HELP = `Usage: mtls-gate verify --bundle ca.pem [--bundle …] [options] client.pem

Builds a chain from the client certificate to an anchor in the bundles, checks every link
(signature, validity, CA flag, path length, key usage, extended key usage, name constraints),
then the rule if one is given. Prints the chain as a tree and which link failed and why.

client.pem may hold the leaf followed by the intermediates the client sends.

Options:
  --bundle FILE        trusted CA certificates (PEM or DER); repeat for several bundles
  --untrusted FILE     intermediates as the client would present them; repeatable
  --rule FORMULA       a validation rule, e.g. 'SAN.include?("DNS:api.example.com")'
  --at TIME            validate at this ISO-8601 time instead of now
  --purpose PURPOSE    client (default), server or any: the extended key usage to require
  --allow-ca-leaf      accept a CA certificate as the leaf (verifier: chain.allowCaLeaf)
  --allow-sha1         accept SHA-1 signatures of a legacy PKI (verifier: chain.allowSha1)
  --no-strict          skip the RFC 5280 profile rules (verifier: chain.strict = false)
  --json               print the verdict as JSON
  -h, --help           show this help

Exit codes: 0 accepted, 1 rejected (code and reason printed), 2 usage or input error.
`;

/** `mtls-gate inspect --help`. */
export const INSPECT_HELP = `Usage: mtls-gate inspect [options] cert.pem [more.pem …]

Shows each certificate: subject and issuer (RFC 4514), SANs (canonical spelling), validity
with days left, key type and size, signature algorithm, SHA-256 and SHA-1 fingerprints, and
the extensions that matter (basicConstraints, keyUsage, extendedKeyUsage, nameConstraints).

A leaf followed by CA certificates is shown as a chain, as a client sends it. Any other
input of more than one certificate (or any input with --lint) is checked as a trust bundle:
each certificate's status (valid, expiring, expired, not yet valid) and what a trust bundle
should not carry (not a CA, weak key, SHA-1 signature, duplicate).

Use - to read standard input.

Options:
  --at TIME            show validity as of this ISO-8601 time instead of now
  --expiring-days N    warn about certificates expiring within N days (default 14)
  --lint               lint a single certificate as a one-certificate trust bundle
  --strict             exit 1 when the lint finds anything
  --json               print the certificates and findings as JSON
  -h, --help           show this help
`;

/** `mtls-gate rule --help`. */
export const RULE_HELP = `Usage: mtls-gate rule [options] 'FORMULA' cert.pem

Evaluates a certificate validation rule against a certificate and explains the clause that
decided the result — the quickest way to debug a formula. Only the first certificate of the
file is used (the client's leaf).

Examples:
  mtls-gate rule 'SAN.include?("DNS:api.example.com")' client.pem
  mtls-gate rule 'CN.start_with?("svc-") && !SAN.include?("DNS:evil")' client.pem

Options:
  --json               print the result as JSON
  -h, --help           show this help

Exit codes: 0 the rule passes, 1 it fails, 2 usage error (a bad rule shows a caret under
the position) or unreadable certificate.
`;
