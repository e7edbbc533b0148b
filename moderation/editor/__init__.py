"""The editors' tools: test, explain, measure and compare rule sets."""
