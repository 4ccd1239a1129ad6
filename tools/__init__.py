"""AudioRouter tools layer."""
