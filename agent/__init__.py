"""AudioRouter agent layer."""
