"""The demo programme from seed 004, loaded by `flask demo load`."""
