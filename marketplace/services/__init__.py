"""The only writers: rules, transactions and state changes live here."""
