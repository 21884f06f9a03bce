"""Bad input on the partner API: every mistake is a 4xx in the one error shape naming the
field, never a 500, and nothing is saved — not even part of a batch. One module per kind
of mistake: body size, body format, unknown fields, values, queries and headers, batches."""
