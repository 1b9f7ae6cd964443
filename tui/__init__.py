"""The paperscope terminal UI: a thin Textual shell over the headless `search` query layer.

Nothing in `indexer` or `search` imports this package; `tui.app.run_app` is the
entry point (`search tui`).
"""
