"""Platform adapters: one folder per platform, named in REGISTRY (see base.py for the protocol)."""
