"""Files → model, read only: layout, decoding, YAML with positions, the formats, the model.

Nothing here writes a file or prints; every problem in a file is a Diagnostic.
"""
