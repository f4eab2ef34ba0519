"""The only layer that prints, prompts or exits: one module per command or command group."""
