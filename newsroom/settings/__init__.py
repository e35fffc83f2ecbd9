"""Settings: ``base`` holds everything and is switched by environment variables;
``test`` swaps in fast backends for the test suite."""
