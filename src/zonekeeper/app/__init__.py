"""The application layer: every use case the interfaces offer, one module per area.

The CLI, the REST API and the tests call only this layer. A use case takes a `Context`
(made once per process by the interface) and plain arguments, and returns typed results or
raises `InputError` with every problem found (docs/architecture.md, "The floors").
"""
