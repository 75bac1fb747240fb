"""Start page, health check, language choice, privacy notice, error pages."""
