//! TLS for the mail servers: the system's roots plus the configured `ca_file`.
