//! CLI end-to-end tests (filled in by the CLI work).
