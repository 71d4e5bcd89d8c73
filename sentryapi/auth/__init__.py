"""Authentication and authorization: users, API tokens, scopes and roles."""
