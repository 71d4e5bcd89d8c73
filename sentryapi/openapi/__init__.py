"""The public API as a contract: the published OpenAPI document, its docs pages and checks.

- ``operations``: what each operation's document says, derived from its view class
- ``publish``: internal document (every operation) -> published one (public only)
- ``compat``: breaking-change check against the committed ``openapi/public.json``
- ``validation``: validate bodies against the document (examples, real responses)
- ``docs``: the offline ReDoc / Swagger UI pages; ``cli``: ``flask openapi ...``
"""
