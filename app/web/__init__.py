"""Web pieces every blueprint shares (inline checks, scenario explorers, refusal messages, quiz labels).

Blueprints import from here and from app.services, never from each other (tests/test_architecture.py).
"""
