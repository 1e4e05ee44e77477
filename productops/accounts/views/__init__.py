"""The account page: your login, your role and your personal access tokens."""
