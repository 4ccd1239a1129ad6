"""AudioRouter training layer."""
