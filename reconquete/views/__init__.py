"""Reconquest pages: the manager dashboard (snapshots), campaigns, the agent's call list,
detection thresholds. Split by page family."""
