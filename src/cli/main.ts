#!/usr/bin/env node
// PLACEHOLDER: replaced by the CLI work (issue 6).
export {};
