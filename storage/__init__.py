"""Stored state: models, engine and sessions, migrations, repositories and the services that
change what is stored.

- `storage.models`: the SQLAlchemy models of DESIGN.md section 4
- `storage.engine`: `database_url`, `make_engine`, `session_factory`, `transaction`
- `storage.migrate`: `upgrade`, `current_revision`, `head_revision`, `is_empty`
- `storage.errors`: the domain errors (`NotFound`, `Conflict`, `ImmutableVersion`, ...)
- repositories, one per aggregate: `instrument_repo`, `organization_repo`, `user_repo`,
  `audit_repo` (and `passwords` for hashing)
"""
