"""The claim table: its lazy model, the view that paints it, the filter bar and the status style."""
