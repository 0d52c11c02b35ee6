"""Pure rules of affiliation: numbers, identities, rights. No ORM, clock, settings or I/O."""
