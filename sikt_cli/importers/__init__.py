"""Importers: old minutes (Word, Markdown, text) → a draft protokoll and notes on every doubt."""
