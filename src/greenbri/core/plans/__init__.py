"""The policy plans greenbri tracks: their items as cited data, status records and the evaluation."""
