"""Writing many rows fast: what importing the corpus's 26,000 transcript items needs."""

from django.db import connection

INSERT_BATCH = 500  # rows per statement: well under SQLite's and PostgreSQL's parameter limits


def insert_rows(model, field_names: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, plain multi-row INSERTs elsewhere. ``bulk_create``
    builds a model instance per row and binds parameters in Python, which made
    it most of the time of importing the corpus's transcript items."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in field_names]
    json_columns = [index for index, field in enumerate(fields) if field.get_internal_type() == "JSONField"]
    if json_columns:
        rows = [_prepared(row, fields, json_columns) for row in rows]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    row_placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            batch = rows[start : start + INSERT_BATCH]
            values = ", ".join([row_placeholders] * len(batch))
            params = [value for row in batch for value in row]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)


def _prepared(row: tuple, fields, json_columns) -> tuple:
    values = list(row)
    for index in json_columns:
        if values[index] is not None:
            values[index] = fields[index].get_db_prep_save(values[index], connection)
    return tuple(values)
