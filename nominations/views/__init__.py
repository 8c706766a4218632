"""Nomination pages by use case (``nominating``, ``candidate``, ``nomination``, ``staff``).

Every write goes through nominations.workflow; every read through nominations.queries (and
nominations.metrics); every permission through the rules in nominations.rules."""
