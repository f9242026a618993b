"""Who may call doclane's HTTP surfaces: API keys, their scopes, the key store."""
