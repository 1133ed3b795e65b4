"""The native side of the cross-check: a C harness with the mirror's primitives, and the child runner."""
