"""seamharness: review and regression harness for the kernel's SEAMCALL helpers."""

__version__ = "0.1.0"
