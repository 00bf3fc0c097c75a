// PLACEHOLDER: replaced by the host-integration work (issue 5).
export {};
