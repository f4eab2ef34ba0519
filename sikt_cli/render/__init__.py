"""Data → text or bytes, never a write: templates (sandboxed), contexts, output formats,
calendar, mail HTML, JSON Schemas."""
