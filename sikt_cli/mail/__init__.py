"""E-mail: messages built with the email package, headers that cannot be injected, SMTP."""
