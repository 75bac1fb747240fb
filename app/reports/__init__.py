"""What a programme achieved: figures per cohort without anyone's name, for organisers."""
