"""The knowledge base, its loader and validator: plain Python, never imports textual."""
