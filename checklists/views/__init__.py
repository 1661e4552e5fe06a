"""Thin views: scope, fetch, call a service, render. One module per part of a migration."""
