"""The shipped questionnaire versions and recommendation rules (YAML files, package data)."""
