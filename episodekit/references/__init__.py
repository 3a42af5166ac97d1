"""The reference library (references.yaml) kept from outside sources: import, lookup, add and verify."""
