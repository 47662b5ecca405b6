"""Developer tools: demo data seeding helpers and generated demo pictures."""
