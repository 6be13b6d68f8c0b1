"""The database adapter: peewee models, the connection, the schema version, small queries."""
