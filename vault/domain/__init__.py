"""The pure domain core: what folders, stations and reads are, and what a read means.

Nothing in this package imports a database, web or serial library. `rules.decide` is where a
read becomes a custody event and alarms; everything around it (the bridge, the database, the
pages) only carries values in and out.
"""
