"""mathcast: verified, narrated, animated math lessons."""
