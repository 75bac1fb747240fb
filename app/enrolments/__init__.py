"""Sign-up: a person's enrolment in a cohort for one target group, its approval and history."""
