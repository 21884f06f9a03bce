"""A generated, believable transport network for load tests: `manage.py generate_dataset`.

Rows are streamed from seeded Python generators into PostgreSQL with COPY; the tables'
secondary indexes and constraints are dropped for the load and rebuilt afterwards.
"""
