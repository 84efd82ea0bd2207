"""Figure builders: pure functions, DataFrame in, plain figure dict out (no database, no request)."""
