"""Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""

import os

import environ
import psycopg
from psycopg import sql

config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
if "postgresql" in config["ENGINE"]:
    name = config["NAME"]
    with psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}")
