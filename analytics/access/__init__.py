"""Access: accounts, roles and what each may do (`auth`: capabilities, password hashing,
sign-in and lock-out, the account command line) and the append-only audit log (`audit`).
Every check of a role lives here; pages ask, never decide.

May import: common, store.
"""
