"""Programme messages as outbox rows (models, services, planning), the dispatcher that sends
them, mail rendering and delivery over SMTP or to .eml files, and the organisers' outbox."""
