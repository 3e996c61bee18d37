"""The read side of the core: what the views read (paging, one claim in detail, pickers)."""
