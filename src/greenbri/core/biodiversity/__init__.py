"""Species occurrences, Red List categories, record licences and threatened species near projects.

Pure: no I/O. The Darwin Core Archive reader and the GBIF connector (adapters) turn their inputs into
the occurrence rows of :mod:`.occurrence`; :mod:`.proximity` finds threatened species near projects
with the screening's geodesic search.
"""
