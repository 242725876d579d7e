"""The DfE's statutory returns, derived from the records: the CIN census (XML) and the SSDA903
return for children looked after (CSV tables), validated with the DfE's own published rules.

Like `audits`, this app reads every other app and nothing imports it (DESIGN §3)."""
