"""Artifact stores beyond the local directory: each registers its URL scheme in `mathcast.store.STORES`."""
