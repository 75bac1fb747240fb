"""Participants' feedback on the sessions they took part in; organisers and coaches read it
without names."""
