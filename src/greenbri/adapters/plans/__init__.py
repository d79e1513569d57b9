"""Where the plans' status records are kept (files in the data directory; one small interface)."""
