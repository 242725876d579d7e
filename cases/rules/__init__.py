"""The rules module: working-day calendar, timescales and due dates. Pure Python: nothing here
imports Django or the apps, so it is fast and can be property-tested on its own."""
