"""Role-based question catalogues and session agendas."""
