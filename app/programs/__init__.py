"""Programmes, target groups, eligibility criteria and cohorts."""
