import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

// The fake context: CN "svc-api", O "Org", OU "Platform", L nil, SAN with DNS, IP, Email, URI.
describe('string methods', () => {
  it.each([
    ['CN.include?("api")', true],
    ['CN.include?("API")', false],
    ['CN.start_with?("svc-")', true],
    ['CN.start_with?("app-")', false],
    ['CN.start_with?("app-", "svc-")', true],
    ['CN.end_with?("-api")', true],
    ['CN.end_with?("-web", "-db")', false],
    ['CN.downcase == "svc-api"', true],
    ['O.downcase == "Org"', false],
    ['CN.upcase == "SVC-API"', true],
    ['CN.upcase == "svc-api"', false],
    ['CN.strip == "svc-api"', true],
    ['" \\t svc \\n".strip == "svc"', true],
    ['"  ".strip.empty?', true],
    ['" a ".strip == " a"', false],
    ['CN.length == 7', true],
    ['"héllo😀".length == 6', true],
    ['CN.length == 8', false],
    ['"".empty?', true],
    ['CN.empty?', false],
    ['CN.present?', true],
    ['"  ".present?', false],
    ['L.present?', false],
    ['"  ".blank?', true],
    ['CN.blank?', false],
    ['L.blank?', true],
    ['L.nil?', true],
    ['CN.nil?', false],
    ['L.to_s == ""', true],
    ['CN.to_s == "svc-api"', true],
    ['SAN.length.to_s == "4"', true],
    ['true.to_s == "false"', false],
    ['CN.match?("svc-*")', true],
    ['CN.match?("svc-???")', true],
    ['CN.match?("svc-??")', false],
    ['CN.match?("*-web")', false],
    ['CN.match?("svc-api")', true],
    ['"a*b".match?("a\\\\*b")', true],
    ['"axb".match?("a\\\\*b")', false],
  ])('%s is %s', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it('takes a computed argument as well as a literal', () => {
    expect(run('CN.include?(O.downcase)', { CN: 'svc-org' })).toBe(true);
    expect(run('CN.start_with?(OU)', { CN: 'Platform-x' })).toBe(true);
    expect(run('CN.match?(OU)', { OU: 'svc-*' })).toBe(true);
    expect(run('CN.include?(L)')).toBe(false);
  });
});

describe('list methods', () => {
  it.each([
    ['SAN.include?("DNS:api.example.com")', true],
    ['SAN.include?("DNS:other.example.com")', false],
    ['SAN.include?("test")', false],
    ['SAN.include?("api.example.com")', false],
    ['SAN.include?("dns:API.Example.COM.")', true],
    ['SAN.include?("email:ops@EXAMPLE.com")', true],
    ['SAN.include?("Email:OPS@example.com")', false],
    ['SAN.include?("IP Address:10.0.0.1")', true],
    ['SAN.include?("URI:spiffe://example.org/svc")', true],
    ['SAN.include?("unknown:thing")', false],
    ['SAN.any?("*example*")', true],
    ['SAN.any?("*test*")', false],
    ['SAN.any?("DNS:*.example.com")', true],
    ['SAN.all?("*example*")', false],
    ['SAN.all?("*:*")', true],
    ['SAN.none?("DNS:*.internal")', true],
    ['SAN.none?("IP:10.*")', false],
    ['SAN.any?', true],
    ['SAN.all?', true],
    ['SAN.none?', false],
    ['SAN.length == 4', true],
    ['SAN.length != 4', false],
    ['SAN.empty?', false],
    ['SAN.present?', true],
    ['SAN.blank?', false],
    ['SAN.first == "DNS:api.example.com"', true],
    ['SAN.last == "DNS:api.example.com"', false],
    ['SAN.first.start_with?("DNS:")', true],
    ['SAN.join(",").include?("IP:10.0.0.1,Email:")', true],
    ['SAN.join.include?(",")', false],
  ])('%s is %s', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it('handles an empty SAN list', () => {
    expect(run('SAN.empty? && SAN.none? && SAN.all?("x") && !SAN.any?', { SAN: [] })).toBe(true);
    expect(run('SAN.first.nil? && SAN.last == nil && SAN.blank?', { SAN: [] })).toBe(true);
  });

  it('canonicalizes a computed SAN argument too, and keeps it when it has no known prefix', () => {
    expect(run('SAN.include?(CN)', { CN: 'dns:API.example.com' })).toBe(true);
    expect(run('SAN.include?(CN)', { CN: 'x:y', SAN: ['x:y'] })).toBe(true);
  });

  it('does not canonicalize the arguments of other string lists', () => {
    const context = { DN: 'CN=a,OU=dns:X', SUBJECT: 'CN=a,OU=dns:X' };
    expect(run('DN.values("OU").include?("dns:X")', context)).toBe(true);
    expect(run('DN.values("OU").include?("DNS:x")', context)).toBe(false);
  });
});
