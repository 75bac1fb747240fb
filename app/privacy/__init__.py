"""Data protection across domains: retention of participant data (the person's own export and
erasure live with their account and sign-ups)."""
