// Crate
