"""Certificates: the programme's rule, issuance (one or a whole cohort in the background), the
stored PDFs, revocation and public verification."""
