"""The pipeline's rule and feature components, one factory a module (registered by entry points)."""
